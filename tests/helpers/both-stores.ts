import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { openPostgres, type PostgresStore } from '../../db/client-pg.ts';
import { startPgServer, type PgServer } from './pg-server.ts';

/** A store a both-stores case runs on: its name and its handle (there once `beforeAll` ran). */
export type NamedStore = [name: 'sqlite' | 'postgres', db: () => Db];

/**
 * Inside a `describe`: a fresh SQLite file and a throwaway PostgreSQL, both migrated and given
 * the same `seed`, closed and removed afterwards. Run the cases over the answer with
 * `describe.each(stores)` so each one runs on each store.
 */
export function bothStores(seed: (db: Db) => Promise<void>, options: { maxConnections?: number } = {}) {
  let server: PgServer | undefined;
  let postgres: PostgresStore | undefined;
  let sqliteDir: string | undefined;
  let sqlite: Db | undefined;
  const stores: NamedStore[] = [
    ['sqlite', () => sqlite!],
    ['postgres', () => postgres!.db],
  ];

  beforeAll(async () => {
    server = await startPgServer();
    postgres = await openPostgres(server.url, { maxConnections: options.maxConnections ?? 2 });
    sqliteDir = mkdtempSync(join(tmpdir(), 'portier-both-stores-'));
    sqlite = openDatabase(join(sqliteDir, 'portier.sqlite'));
    for (const [, store] of stores) await seed(store());
  }, 120_000);

  afterAll(async () => {
    await postgres?.close();
    await server?.stop();
    sqlite?.$client.close();
    if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
  });

  return stores;
}
