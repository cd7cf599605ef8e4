import { join } from 'node:path';
import type { Config } from './config.ts';
import type { Db } from '../db/client.ts';
import { FileStore } from './files/store.ts';
import { createMailer, type Mailer } from './notify/mailer.ts';
import { createSmsSender, type SmsSender } from './notify/channels/sms.ts';
import { RateLimits } from './auth/rate-limits.ts';
import { DomainBus } from './events/bus.ts';
import { systemResolver, type HostResolver } from './notify/push-endpoints.ts';
import { connectScaleOut, type ScaleOut } from './scale/redis.ts';

/** Everything a request handler may need, built once in main.ts (or per test). */
export interface Deps {
  config: Config;
  db: Db;
  files: FileStore;
  /** The clock. Tests replace it to expire tokens and sessions. */
  now: () => Date;
  /**
   * SMTP, or `.eml` files in `$DATA_DIR/mail/`. Only the outbox worker uses it: the projector
   * (server/events/projector.ts) queues its rows in the unit of work's transaction.
   */
  mailer: Mailer;
  /** The SMS provider (HTTP by SMS_URL, else files in `$DATA_DIR/sms/`); used by the outbox worker. */
  sms: SmsSender;
  /** Login, reset and code-guessing throttles, stored in the same SQLite file. */
  rateLimits: RateLimits;
  /** In-process domain events, published after commit; the live layer subscribes (server/events/bus.ts). */
  bus: DomainBus;
  /** DNS for the push worker's address check (notify/push-endpoints.ts); tests answer it themselves. */
  resolveHost: HostResolver;
  /**
   * Redis shared with the other instances (REDIS_URL; server/scale/redis.ts); undefined on a single
   * instance. Whoever made the deps closes it (main.ts on shutdown, tests in afterAll).
   */
  redis?: ScaleOut;
}

/** The standard wiring for a config and an open database; `overrides` replaces single parts (tests). */
export function createDeps(config: Config, db: Db, overrides: Partial<Deps> = {}): Deps {
  const redis =
    'redis' in overrides
      ? overrides.redis
      : config.redisUrl
        ? connectScaleOut({ url: config.redisUrl, quiet: config.logLevel === 'silent' })
        : undefined;
  return {
    config,
    db,
    files: new FileStore(join(config.dataDir, 'files')),
    now: () => new Date(),
    mailer: createMailer(config),
    sms: createSmsSender(config),
    rateLimits: new RateLimits(db, redis),
    bus: new DomainBus(),
    resolveHost: systemResolver,
    redis,
    ...overrides,
  };
}
