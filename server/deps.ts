import { join } from 'node:path';
import type { Config } from './config.ts';
import type { Db } from '../db/client.ts';
import { FileStore } from './files/store.ts';
import { createMailer, type Mailer } from './notify/mailer.ts';
import { RateLimits } from './auth/rate-limits.ts';
import { DomainBus } from './events/bus.ts';

/** Everything a request handler may need, built once in main.ts (or per test). */
export interface Deps {
  config: Config;
  db: Db;
  files: FileStore;
  /** The clock. Tests replace it to expire tokens and sessions. */
  now: () => Date;
  /** SMTP, or `.eml` files in `$DATA_DIR/mail/`. Send through `sendMail` (server/notify/mailer.ts). */
  mailer: Mailer;
  /** Login, reset and code-guessing throttles, stored in the same SQLite file. */
  rateLimits: RateLimits;
  /** In-process domain events, published after commit; the live layer subscribes (server/events/bus.ts). */
  bus: DomainBus;
}

/** The standard wiring for a config and an open database; `overrides` replaces single parts (tests). */
export function createDeps(config: Config, db: Db, overrides: Partial<Deps> = {}): Deps {
  return {
    config,
    db,
    files: new FileStore(join(config.dataDir, 'files')),
    now: () => new Date(),
    mailer: createMailer(config),
    rateLimits: new RateLimits(db),
    bus: new DomainBus(),
    ...overrides,
  };
}
