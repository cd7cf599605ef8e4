import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { closeWriter } from '../../server/unit-of-work/index.ts';

export interface TestContext {
  deps: Deps;
  dataDir: string;
  close(): void;
}

/** A real SQLite file with all migrations in a fresh temp dir; mails land in `<dataDir>/mail`. */
export function createTestDeps(overrides: Partial<Config> = {}): TestContext {
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-test-'));
  const config = loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    { publicUrl: 'http://portier.test', ...overrides },
  );
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
