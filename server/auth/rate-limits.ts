import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  RateLimiterSQLite,
  type IRateLimiterOptions,
  type RateLimiterStoreAbstract,
} from 'rate-limiter-flexible';
import type { Db } from '../../db/client.ts';
import { isPostgres } from '../../db/dialect.ts';
import { deleteExpiredRateLimits, rateLimitTable } from '../../db/repositories/rate-limits.ts';
import { tooMany } from '../lib/http-error.ts';
import type { ScaleOut } from '../scale/redis.ts';

const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;

/** Failed password guesses per account and client address before the first block (OWASP ASVS V6.3.1). */
export const passwordGuessesAllowed = 5;
const firstBlockSeconds = 15 * minute;
/**
 * Household invitations per contract and day: enough for a family moving in together, too few to
 * use the portal's mail to send letters to strangers (every invitation mails an address the main
 * tenant typed).
 */
export const householdInvitationsPerDay = 5;
/** One-time sign-up codes (e-mail or SMS) per person and hour, across every sign-up attempt. */
export const signupCodesPerHour = 5;
/** Letter requests per client address and hour: a household or an office, not a flood of tasks. */
export const letterRequestsPerHour = 5;

/** Resolves with the limiter's answer whether the key was within its limit or not. */
async function settle(attempt: Promise<RateLimiterRes>): Promise<RateLimiterRes> {
  try {
    return await attempt;
  } catch (outcome) {
    if (outcome instanceof RateLimiterRes) return outcome;
    throw outcome;
  }
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Throttling backed by rate-limiter-flexible's RateLimiterSQLite on the app's own connection,
 * so limits survive restarts and need no Redis (DESIGN.md: Redis is the scale-out path).
 * Every `check…` throws 429 `too_many_requests` (with Retry-After) when a limit is reached.
 *
 * With REDIS_URL the same limiters (same options) count in Redis (RateLimiterRedis), so a limit
 * run out on one instance holds on every other. While Redis is unreachable each instance counts
 * in memory on its own (the library's insurance limiter): logins go on, limited per instance,
 * instead of failing or waiting for Redis.
 */
export class RateLimits {
  /** Consecutive wrong passwords per account + address; reset by a success. */
  private readonly passwordFailures: RateLimiterStoreAbstract;
  /** How often that counter ran full in the last day: each block lasts twice as long (15 min, 30, 60 …). */
  private readonly passwordBlocks: RateLimiterStoreAbstract;
  /** Wrong passwords from one address across all accounts (credential stuffing). */
  private readonly passwordFailuresByIp: RateLimiterStoreAbstract;
  /** Reset-mail requests per address: beyond the limit the request is refused. */
  private readonly resetRequestsByIp: RateLimiterStoreAbstract;
  /** Reset mails per recipient: beyond the limit the mail is silently not sent (no mail bombing). */
  private readonly resetMailsByEmail: RateLimiterStoreAbstract;
  /** Wrong registration codes and tokens per address. */
  private readonly guessesByIp: RateLimiterStoreAbstract;
  /** Household invitations per contract (`householdInvitationsPerDay`). */
  private readonly householdInvitations: RateLimiterStoreAbstract;
  /** Sign-up codes (seed 004) per person: the held mailbox or phone is not bombarded. */
  private readonly signupCodesByPerson: RateLimiterStoreAbstract;
  /** Public "request a registration letter" forms per address (seed 002). */
  private readonly letterRequestsByIp: RateLimiterStoreAbstract;
  private lastSweep = 0;

  constructor(
    private readonly db: Db,
    private readonly redis?: ScaleOut,
  ) {
    const limiter = redis ? redisLimiter(redis) : isPostgres(db) ? memoryLimiter : sqliteLimiter(db);
    this.passwordFailures = limiter({
      keyPrefix: 'pw_fail',
      points: passwordGuessesAllowed,
      duration: day,
    });
    this.passwordBlocks = limiter({
      keyPrefix: 'pw_block',
      points: 1000,
      duration: day,
    });
    this.passwordFailuresByIp = limiter({
      keyPrefix: 'pw_fail_ip',
      points: 100,
      duration: hour,
      blockDuration: hour,
    });
    this.resetRequestsByIp = limiter({
      keyPrefix: 'reset_ip',
      points: 20,
      duration: hour,
    });
    this.resetMailsByEmail = limiter({
      keyPrefix: 'reset_mail',
      points: 3,
      duration: hour,
    });
    this.guessesByIp = limiter({
      keyPrefix: 'guess_ip',
      points: 30,
      duration: hour,
      blockDuration: hour,
    });
    this.householdInvitations = limiter({
      keyPrefix: 'household_invite',
      points: householdInvitationsPerDay,
      duration: day,
    });
    this.signupCodesByPerson = limiter({
      keyPrefix: 'signup_code',
      points: signupCodesPerHour,
      duration: hour,
    });
    this.letterRequestsByIp = limiter({
      keyPrefix: 'letter_request_ip',
      points: letterRequestsPerHour,
      duration: hour,
    });
  }

  /** Before verifying a password for `accountKey` (a user id, or the login typed when unknown). */
  async checkPasswordGuess(accountKey: string, ip: string): Promise<void> {
    const [account, address] = await Promise.all([
      this.passwordFailures.get(`${accountKey}|${ip}`),
      this.passwordFailuresByIp.get(ip),
    ]);
    if (account && account.consumedPoints > passwordGuessesAllowed) throw tooMany(retryAfter(account));
    if (address && address.consumedPoints > this.passwordFailuresByIp.points)
      throw tooMany(retryAfter(address));
  }

  async recordPasswordFailure(accountKey: string, ip: string): Promise<void> {
    const key = `${accountKey}|${ip}`;
    await this.sweep();
    await settle(this.passwordFailuresByIp.consume(ip));
    const failures = await settle(this.passwordFailures.consume(key));
    if (failures.consumedPoints >= passwordGuessesAllowed) {
      const blocks = await settle(this.passwordBlocks.consume(key));
      const seconds = Math.min(firstBlockSeconds * 2 ** (blocks.consumedPoints - 1), day);
      await this.passwordFailures.block(key, seconds);
    }
  }

  /** A correct password clears the account's counter for this address (the block history stays). */
  async resetPasswordFailures(accountKey: string, ip: string): Promise<void> {
    await this.passwordFailures.delete(`${accountKey}|${ip}`);
  }

  async checkResetRequest(ip: string): Promise<void> {
    const res = await settle(this.resetRequestsByIp.consume(ip));
    if (res.consumedPoints > this.resetRequestsByIp.points) throw tooMany(retryAfter(res));
  }

  async allowResetMail(email: string): Promise<boolean> {
    const res = await settle(this.resetMailsByEmail.consume(email));
    return res.consumedPoints <= this.resetMailsByEmail.points;
  }

  async checkGuess(ip: string): Promise<void> {
    const res = await this.guessesByIp.get(ip);
    if (res && res.consumedPoints > this.guessesByIp.points) throw tooMany(retryAfter(res));
  }

  async recordWrongGuess(ip: string): Promise<void> {
    await this.sweep();
    await settle(this.guessesByIp.consume(ip));
  }

  /** Counts one household invitation for the contract; 429 past the daily allowance. */
  async checkHouseholdInvitation(contractId: string): Promise<void> {
    await this.sweep();
    const res = await settle(this.householdInvitations.consume(contractId));
    if (res.consumedPoints > this.householdInvitations.points) throw tooMany(retryAfter(res));
  }

  /** Counts one sign-up code to the person's held contact; 429 past the hourly allowance. */
  async checkSignupCode(personId: string): Promise<void> {
    await this.sweep();
    const res = await settle(this.signupCodesByPerson.consume(personId));
    if (res.consumedPoints > this.signupCodesByPerson.points) throw tooMany(retryAfter(res));
  }

  /** Counts one public letter request from the address; 429 past the hourly allowance. */
  async checkLetterRequest(ip: string): Promise<void> {
    await this.sweep();
    const res = await settle(this.letterRequestsByIp.consume(ip));
    if (res.consumedPoints > this.letterRequestsByIp.points) throw tooMany(retryAfter(res));
  }

  /** Expired rows are dead weight; drop them now and then instead of on a timer. Redis expires its own keys. */
  private async sweep(): Promise<void> {
    if (this.redis) return;
    const now = Date.now();
    if (now - this.lastSweep < 10 * minute * 1000) return;
    this.lastSweep = now;
    await deleteExpiredRateLimits(this.db, now);
  }
}

type LimiterOptions = Pick<IRateLimiterOptions, 'keyPrefix' | 'points' | 'duration' | 'blockDuration'>;

/**
 * PostgreSQL without REDIS_URL: counted in this process (a restart forgets them). Limits shared by
 * several instances are Redis's (API.md "Scale-out"); the PostgreSQL store keeps no limiter table.
 */
const memoryLimiter = (options: LimiterOptions): RateLimiterStoreAbstract =>
  new RateLimiterMemory(options) as unknown as RateLimiterStoreAbstract;

/** The embedded store: the library's own table in the app's SQLite file. */
function sqliteLimiter(db: Db): (options: LimiterOptions) => RateLimiterStoreAbstract {
  // The library's own table, created here so limiters can be built with `tableCreated: true` and
  // never race their own asynchronous table creation.
  db.$client.exec(
    `CREATE TABLE IF NOT EXISTS ${rateLimitTable} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`,
  );
  const store = {
    storeClient: db.$client,
    storeType: 'better-sqlite3',
    tableName: rateLimitTable,
    tableCreated: true,
  };
  return (options) => new RateLimiterSQLite({ ...store, ...options });
}

/**
 * Shared by every instance: keys `portier:rl:<prefix>:<key>`. `rejectIfRedisNotReady` answers at
 * once while the connection is down (instead of queueing the command until Redis is back), and
 * the insurance limiter with the same options takes over meanwhile.
 */
function redisLimiter(redis: ScaleOut): (options: LimiterOptions) => RateLimiterStoreAbstract {
  return (options) => {
    const insurance = new RateLimiterMemory(options);
    const limiter = new RateLimiterRedis({
      ...options,
      keyPrefix: redis.key(`rl:${options.keyPrefix}`),
      storeClient: redis.client,
      useRedisPackage: true,
      rejectIfRedisNotReady: true,
      insuranceLimiter: insurance,
    });
    // The library asks whether the connection is ready before counting, not before deleting: a
    // delete would wait in the client's queue until Redis is back, and with it the login of a
    // correct password (which clears its counter). While Redis is down the insurance counts.
    const remove = limiter.delete.bind(limiter);
    limiter.delete = (key, deleteOptions) =>
      redis.client.isReady ? remove(key, deleteOptions) : insurance.delete(key, deleteOptions);
    return limiter;
  };
}
