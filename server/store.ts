import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db/client.ts';
import { openPostgres, resetPostgres } from '../db/client-pg.ts';
import type { Config } from './config.ts';
import { closeWriter } from './unit-of-work/index.ts';

/** The database a server runs on, and how to close it when it stops. */
export interface Store {
  db: Db;
  kind: 'sqlite' | 'postgres';
  /** SQLite: the unit of work's writer and the main connection; PostgreSQL: the pool. */
  close(): Promise<void>;
}

/**
 * Opens the store the config names (API.md "Scale-out"): PostgreSQL at `DATABASE_URL`, else the
 * SQLite file in `DATA_DIR`; pending migrations are applied either way. With `reset` (the demo,
 * never `npm start`) it is emptied first: DATA_DIR removed (the SQLite file and the stored files),
 * and on PostgreSQL the schema dropped and migrated from scratch. Files stay in DATA_DIR on both
 * stores. server/main.ts opens its store here, and so does the demo's PostgreSQL test.
 */
export async function openStore(config: Config, options: { reset?: boolean } = {}): Promise<Store> {
  if (options.reset) rmSync(config.dataDir, { recursive: true, force: true });
  mkdirSync(config.dataDir, { recursive: true });
  if (config.databaseUrl) {
    if (options.reset) await resetPostgres(config.databaseUrl);
    const store = await openPostgres(config.databaseUrl);
    // node-postgres refuses a second end(); a shutdown racing its own timeout may ask twice.
    let closing: Promise<void> | undefined;
    return { db: store.db, kind: 'postgres', close: () => (closing ??= store.close()) };
  }
  const db = openDatabase(join(config.dataDir, 'portier.sqlite'));
  return {
    db,
    kind: 'sqlite',
    close: () => {
      closeWriter(db);
      if (db.$client.open) db.$client.close();
      return Promise.resolve();
    },
  };
}
