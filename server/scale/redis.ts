import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';

/**
 * Redis for running several instances against one landlord (API.md "Scale-out", `REDIS_URL`):
 * the live layer's adapter (server/realtime/index.ts), shared rate limits (server/auth/rate-limits.ts),
 * staff presence (server/services/tickets/staff-viewers.ts) and leases that let a scheduled job run
 * on one instance at a time (server/lib/periodic.ts). Nothing here is used without `REDIS_URL`.
 *
 * Connections: one for commands (limits, leases, presence) and one the live adapter publishes on;
 * the adapter copies the latter for its blocking stream reads and its Pub/Sub, so a slow `XREAD`
 * never holds up a login's rate-limit check. Every connection carries a name unique to this
 * instance (`CLIENT SETNAME`), which is how close() finds the adapter's blocked reads.
 */
export type RedisClient = ReturnType<typeof createClient>;

/** Every key this deployment writes starts with it; a second landlord takes another database (`redis://host/1`). */
export const redisKeyPrefix = 'portier:';

/** `SET key token NX PX ttl` holds a lease; these change it only while `token` still owns it. */
const renewIfOwner = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const releaseIfOwner = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** How long a lease outlives a holder that stopped renewing it (crashed, partitioned). */
export const defaultLeaseMs = 30_000;

export interface ScaleOutOptions {
  url: string;
  /** Log connection trouble (off in tests). */
  quiet?: boolean;
  /** Lease lifetime (renewed at a third of it while held). */
  leaseMs?: number;
}

/** A lease on one job across instances: at most one holder, taken over after `ttlMs` if the holder vanished. */
export class Lease {
  private readonly token = randomUUID();
  private keepAlive: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly redis: ScaleOut,
    readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /**
   * True when this instance holds the lease now: extends it if it is ours, takes it if it is free.
   * While held it is renewed in the background, so the holder keeps the job until it stops or dies.
   * Redis unreachable → false: a job skipped is safer than a job run twice.
   */
  async hold(): Promise<boolean> {
    if (this.stopped || !this.redis.client.isReady) return false;
    try {
      const ours = await this.renew();
      const held =
        ours ||
        (await this.redis.client.set(this.key, this.token, {
          condition: 'NX',
          expiration: { type: 'PX', value: this.ttlMs },
        })) === 'OK';
      if (held) this.startKeepAlive();
      else this.stopKeepAlive();
      return held;
    } catch {
      this.stopKeepAlive();
      return false;
    }
  }

  /** Gives the lease up (compare-and-delete: never someone else's). */
  async release(): Promise<void> {
    this.stopped = true;
    this.stopKeepAlive();
    if (!this.redis.client.isReady) return;
    try {
      await this.redis.client.eval(releaseIfOwner, { keys: [this.key], arguments: [this.token] });
    } catch {
      // Gone with the connection: it expires by itself.
    }
  }

  private async renew(): Promise<boolean> {
    const renewed = await this.redis.client.eval(renewIfOwner, {
      keys: [this.key],
      arguments: [this.token, String(this.ttlMs)],
    });
    return Number(renewed) === 1;
  }

  private startKeepAlive(): void {
    if (this.keepAlive) return;
    this.keepAlive = setInterval(
      () => {
        void this.renew().then(
          (ours) => {
            if (!ours) this.stopKeepAlive();
          },
          () => this.stopKeepAlive(),
        );
      },
      Math.max(1, Math.floor(this.ttlMs / 3)),
    );
    this.keepAlive.unref();
  }

  private stopKeepAlive(): void {
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = null;
  }
}

/** The Redis side of one instance. Built by `connectScaleOut` (server/deps.ts) when `REDIS_URL` is set. */
export class ScaleOut {
  /** Rate limits, leases, presence. */
  readonly client: RedisClient;
  /** What the live adapter publishes on; the adapter copies it for reading (see the file comment). */
  readonly liveClient: RedisClient;
  /** This instance among the others (connection names, logs). */
  readonly instanceId = randomUUID().slice(0, 8);
  readonly leaseMs: number;
  private readonly liveName: string;
  private readonly leases = new Set<Lease>();
  private closed = false;

  constructor(options: ScaleOutOptions) {
    this.leaseMs = options.leaseMs ?? defaultLeaseMs;
    const name = `portier-${this.instanceId}`;
    this.liveName = `${name}-live`;
    const report = (what: string) => (error: unknown) => {
      if (!options.quiet && !this.closed) console.warn(`redis (${what}):`, (error as Error).message ?? error);
    };
    this.client = createClient({ url: options.url, name });
    this.client.on('error', report('commands'));
    this.liveClient = createClient({ url: options.url, name: this.liveName });
    this.liveClient.on('error', report('live'));
    // Not awaited: commands issued meanwhile wait in the client's queue. Failures come as 'error'
    // events and the client keeps reconnecting.
    for (const client of [this.client, this.liveClient]) client.connect().catch(report('connect'));
  }

  /** Resolves once both connections are up (start-up, tests). */
  async ready(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.client.isReady && this.liveClient.isReady)) {
      if (Date.now() > deadline) throw new Error('Redis not reachable at REDIS_URL');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  key(name: string): string {
    return `${redisKeyPrefix}${name}`;
  }

  /** A lease for one job name (`notice scheduler` → `portier:lease:notice-scheduler`); released by close() if its owner did not. */
  lease(job: string): Lease {
    const slug = job.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const lease = new Lease(this, this.key(`lease:${slug}`), this.leaseMs);
    this.leases.add(lease);
    return lease;
  }

  /** `up` when the command connection answers PING within a second. */
  async status(): Promise<'up' | 'down'> {
    if (!this.client.isReady) return 'down';
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        this.client.ping(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), 1000);
        }),
      ]);
      return answer === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Ends every connection. Call after the live layer closed (its adapter then stops reading): a
   * stream read blocks for up to a few seconds, so this unblocks the adapter's reads by their
   * connection name and waits until they are gone, then closes the rest.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.allSettled([...this.leases].map((lease) => lease.release()));
    this.closed = true;
    if (this.client.isReady && this.liveClient.isReady) {
      try {
        const own = await this.liveClient.clientId();
        const deadline = Date.now() + 3000;
        for (;;) {
          const copies = (await this.client.clientList()).filter(
            (entry) => entry.name === this.liveName && entry.id !== own,
          );
          if (copies.length === 0 || Date.now() > deadline) break;
          for (const copy of copies)
            if (copy.cmd === 'xread') await this.client.sendCommand(['CLIENT', 'UNBLOCK', String(copy.id)]);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } catch {
        // Closing anyway.
      }
    }
    await Promise.allSettled(
      [this.liveClient, this.client].map(async (client) => {
        if (client.isOpen) await client.close();
        else client.destroy();
      }),
    );
  }
}

/** Starts connecting (not awaited: see the constructor); `ready()` waits for it. */
export function connectScaleOut(options: ScaleOutOptions): ScaleOut {
  return new ScaleOut(options);
}
