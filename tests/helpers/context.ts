import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { closeWriter } from '../../server/unit-of-work/index.ts';
import { createTestDatabase } from './pg-template.ts';

/**
 * The store the integration and security tests run on: SQLite unless the vitest project says
 * otherwise (vitest.config.ts sets TEST_STORE=postgres for the PostgreSQL project, issue 19
 * "every integration and security test runs on both stores").
 */
export const testStore: 'sqlite' | 'postgres' = process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

export interface TestContext {
  deps: Deps;
  dataDir: string;
  close(): void;
}

/** A test's world on either store: closing it removes the database and the data dir. */
export interface TestWorld {
  deps: Deps;
  dataDir: string;
  store: 'sqlite' | 'postgres';
  close(): Promise<void>;
}

const testConfig = (dataDir: string, overrides: Partial<Config>, databaseUrl?: string) =>
  loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(databaseUrl && { DATABASE_URL: databaseUrl }) },
    { publicUrl: 'http://portier.test', ...overrides },
  );

/**
 * A real SQLite file with all migrations in a fresh temp dir; mails land in `<dataDir>/mail`.
 * SQLite only: tests of the SQLite file itself (backup, storage faults) use it; everything else
 * takes `createTestWorld`, which runs on the project's store.
 */
export function createTestDeps(overrides: Partial<Config> = {}): TestContext {
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-test-'));
  const config = testConfig(dataDir, overrides);
  const db = openDatabase(join(dataDir, 'portier.sqlite'));
  const deps: Deps = createDeps(config, db);
  return {
    deps,
    dataDir,
    close() {
      closeWriter(db);
      db.$client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh, migrated database on the store of this run (`testStore`) and the dependencies over it;
 * mails land in `<dataDir>/mail`, stored files in `<dataDir>/files` on both stores. On PostgreSQL
 * the database is a copy of the run's migrated template (tests/helpers/pg-template.ts), dropped at
 * `close()`.
 */
export async function createTestWorld(overrides: Partial<Config> = {}): Promise<TestWorld> {
  if (testStore === 'sqlite') {
    const sqlite = createTestDeps(overrides);
    const close = () => Promise.resolve(sqlite.close());
    return { deps: sqlite.deps, dataDir: sqlite.dataDir, store: 'sqlite', close };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-test-'));
  const database = await createTestDatabase();
  const deps = createDeps(testConfig(dataDir, overrides, database.url), database.db);
  return {
    deps,
    dataDir,
    store: 'postgres',
    async close() {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
