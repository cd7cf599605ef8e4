import pg from 'pg';
import type { Db } from '../../db/client.ts';
import { pingPostgres } from '../../db/client-pg.ts';
import { HttpError } from './http-error.ts';
import { badRequest, type DomainError } from '../domain/errors.ts';
import { isPostgres } from '../../db/dialect.ts';

/**
 * What is wrong with the database, as far as a client needs to know. These are conditions of the
 * machine, not of the request (https://sqlite.org/rescode.html): a read-only mount or file, a full
 * disk, an I/O error, a lock held longer than busy_timeout (on PostgreSQL lock_timeout), a file
 * that cannot be opened; on PostgreSQL also a server that cannot be reached or takes no
 * connections now (`unreachable`: restarting, failing over, shutting down). They pass when the
 * operator fixes the machine or the server is back, so the answer is 503 + Retry-After (RFC 9110
 * §15.6.4), never a 500 that would look like a bug in Portier, and the same process recovers.
 */
export type StorageCondition = 'read_only' | 'full' | 'io_error' | 'busy' | 'cannot_open' | 'unreachable';

/** Primary result codes; better-sqlite3 reports extended codes such as SQLITE_IOERR_WRITE as `.code`. */
const conditionByPrimaryCode: Record<string, StorageCondition> = {
  SQLITE_READONLY: 'read_only',
  SQLITE_FULL: 'full',
  SQLITE_IOERR: 'io_error',
  SQLITE_BUSY: 'busy',
  SQLITE_LOCKED: 'busy',
  SQLITE_CANTOPEN: 'cannot_open',
};

export const storageRetryAfterSeconds = 5;

/**
 * PostgreSQL's SQLSTATE codes that are the server's state, not the statement's
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html). Class 08 (connection
 * exception) is matched as a class below.
 */
const conditionBySqlState: Record<string, StorageCondition> = {
  '57P01': 'unreachable', // admin_shutdown: a restart or a fast shutdown ended the session
  '57P02': 'unreachable', // crash_shutdown: another backend crashed, the server restarts
  '57P03': 'unreachable', // cannot_connect_now: starting up, shutting down, in recovery
  '53300': 'busy', // too_many_connections: max_connections taken (by every instance together)
  '55P03': 'busy', // lock_not_available: a unit waited its lock_timeout (unit-of-work/postgres.ts)
  '25006': 'read_only', // read_only_sql_transaction: a standby, or default_transaction_read_only
  '53100': 'full', // disk_full
  '58030': 'io_error', // io_error
};

/**
 * The socket's errors (Node's `code`) as node-postgres passes them on: the server is not there
 * (yet), or the network between went away. A name that does not resolve (ENOTFOUND) belongs here
 * too: the server's name goes from DNS while its container restarts. They carry nothing that says
 * "PostgreSQL"; they can be read as the database's because a request opens no other connection
 * (mail, SMS, push and webhooks go out through their outboxes, Redis answers its own failures).
 */
const unreachableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** node-postgres's own errors, which carry no code (pg/lib/client.js, pg-pool). */
const conditionByDriverMessage: Record<string, StorageCondition> = {
  'Connection terminated unexpectedly': 'unreachable',
  'Connection terminated due to connection timeout': 'unreachable',
  'Client has encountered a connection error and is not queryable': 'unreachable',
  // Every pooled connection stayed busy for connectionTimeoutMillis (db/client-pg.ts).
  'timeout exceeded when trying to connect': 'busy',
};

/**
 * What one error of a chain says: a condition, null when it is a database error of another kind
 * (a constraint, a syntax error: the request's, not the machine's), undefined when it says nothing.
 */
function conditionOfOne(error: Error): StorageCondition | null | undefined {
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_')) {
    // SQLITE_IOERR_WRITE → SQLITE_IOERR, SQLITE_READONLY_DBMOVED → SQLITE_READONLY …
    const primary = /^SQLITE_[A-Z]+/.exec(code)![0];
    return conditionByPrimaryCode[primary] ?? null;
  }
  if (error instanceof pg.DatabaseError) {
    if (!error.code) return null;
    return error.code.startsWith('08') ? 'unreachable' : (conditionBySqlState[error.code] ?? null);
  }
  if (typeof code === 'string' && unreachableSocketCodes.has(code)) return 'unreachable';
  // Node's connect to every address of a name (localhost: ::1 and 127.0.0.1) failing.
  if (error instanceof AggregateError) {
    for (const each of error.errors as unknown[]) {
      const found = each instanceof Error ? conditionOfOne(each) : undefined;
      if (found) return found;
    }
  }
  return Object.hasOwn(conditionByDriverMessage, error.message)
    ? conditionByDriverMessage[error.message]
    : undefined;
}

/**
 * The storage condition behind an error, or null. drizzle wraps driver errors in a
 * DrizzleQueryError whose `cause` is the SqliteError or node-postgres's error, and node-postgres's
 * pool wraps a connect that timed out, so the chain of causes is walked.
 */
export function storageConditionOf(error: unknown): StorageCondition | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const condition = conditionOfOne(current);
    if (condition !== undefined) return condition;
    current = current.cause;
  }
  return null;
}

/**
 * Text PostgreSQL refuses to store: a NUL character (SQLSTATE 22021 in text, 22P05 in jsonb).
 * Validation refuses NUL in every parsed input (server/lib/validate.ts) and in the address
 * (app.ts); this turns text that reaches a statement another way into the same 400 instead of a
 * 500. SQLite stores such text, so there it never gets here.
 */
export function textRefusedByStore(error: unknown): DomainError | null {
  const state = sqlStateOf(error);
  return state === '22021' || state === '22P05'
    ? badRequest('invalid_character', 'The request holds a character that cannot be stored.')
    : null;
}

/** The SQLSTATE of a failed query; drizzle wraps the driver's error as its cause. */
export function sqlStateOf(error: unknown): string | undefined {
  for (let at: unknown = error; at instanceof Error; at = at.cause) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** The HTTP and socket answer for a storage condition (same code in both, API.md error shape). */
export function storageUnavailable(): HttpError {
  return new HttpError(
    503,
    'storage_unavailable',
    'Saving is not possible right now. Please try again in a moment.',
    undefined,
    { 'Retry-After': String(storageRetryAfterSeconds) },
  );
}

interface ProbeState {
  checkedAt: number;
  /** What the last probe found. */
  probed: StorageCondition | null;
  /** The last storage failure of a request, and when: health reports it for a few seconds. */
  failed: StorageCondition | null;
  failedAt: number;
  /** PostgreSQL: the probe under way, which health checks arriving meanwhile share. */
  probing?: Promise<StorageCondition | null>;
}

const probeIntervalMs = 5_000;
const states = new WeakMap<object, ProbeState>();

function stateOf(db: Db): ProbeState {
  let state = states.get(db.$client);
  if (!state)
    states.set(
      db.$client,
      (state = { checkedAt: -Infinity, probed: null, failed: null, failedAt: -Infinity }),
    );
  return state;
}

/**
 * Remembers that a request just failed on storage. The probe cannot see everything (on a full
 * disk a rolled-back write never reaches the file), so health reports a real failure for 5 s.
 */
export function noteStorageFailure(db: Db, condition: StorageCondition, now: number): void {
  const state = stateOf(db);
  state.failed = condition;
  state.failedAt = now;
}

/**
 * Whether the database takes writes: a write that is rolled back at once. Creating a table needs
 * a new page, so it fails on a read-only file (SQLITE_READONLY) and on a database at its size
 * limit (SQLITE_FULL) alike, and nothing reaches the file. At most every 5 s, so a health check
 * polled by a load balancer costs nothing. busy_timeout is 0 for the probe: a writer of another
 * process (backup) holding the lock means the file is writable, and the event loop never waits.
 */
export function storageCondition(db: Db, now: number): StorageCondition | null {
  const state = stateOf(db);
  if (now - state.failedAt < probeIntervalMs) return state.failed;
  if (now - state.checkedAt < probeIntervalMs) return state.probed;
  // PostgreSQL: no file to probe here (read-only or full is the server's, met by the statement that
  // hits it); a request's storage failure above still shows for a few seconds.
  if (isPostgres(db)) return null;
  const sqlite = db.$client;
  if (sqlite.inTransaction) return state.probed;
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  let condition: StorageCondition | null = null;
  try {
    sqlite.pragma('busy_timeout = 0');
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      sqlite.exec('CREATE TABLE portier_write_probe (x)');
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    }
  } catch (error) {
    condition = storageConditionOf(error) ?? 'io_error';
    if (condition === 'busy') condition = null;
  } finally {
    sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
  state.checkedAt = now;
  state.probed = condition;
  return condition;
}

/** PostgreSQL: how often health asks the server at most, and how long it waits for the answer. */
export const postgresProbeIntervalMs = 1_500;
export const postgresProbeTimeoutMs = 2_000;

/**
 * Conditions a `select 1` cannot see: it reads, so a server that refuses writes (a standby, a full
 * disk) answers it. A request that met one of them is reported for a few seconds, as on SQLite;
 * a lost server is the probe's to see, so health turns ok as soon as the server is back.
 */
const unseenByPing = new Set<StorageCondition>(['read_only', 'full', 'io_error']);

/**
 * What health reports about the store (server/routes/health.ts). SQLite: the write probe above.
 * PostgreSQL: a `select 1` on a pooled connection, at most every 1.5 s (health checks arriving
 * meanwhile get the last answer, or share the probe under way) and waiting 2 s at most, so a load
 * balancer polling health cannot hammer the server and a server that does not answer is reported
 * within the health check's own timeout.
 */
export async function storageHealth(db: Db, now: number): Promise<StorageCondition | null> {
  if (!isPostgres(db)) return storageCondition(db, now);
  const state = stateOf(db);
  if (state.failed && unseenByPing.has(state.failed) && now - state.failedAt < probeIntervalMs)
    return state.failed;
  if (now - state.checkedAt < postgresProbeIntervalMs) return state.probed;
  state.probing ??= pingPostgres(db, postgresProbeTimeoutMs)
    .then(
      () => null,
      (error: unknown) => storageConditionOf(error) ?? 'unreachable',
    )
    .then((condition) => {
      state.checkedAt = now;
      state.probed = condition;
      state.probing = undefined;
      return condition;
    });
  return await state.probing;
}
