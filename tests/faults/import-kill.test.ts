import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { generateLandlordCsv, scaled } from '../../bench/import/generate.ts';
import { openDatabase } from '../../db/client.ts';
import { projectPath } from '../../server/lib/paths.ts';

/**
 * Issue 14 "Bad input": an import interrupted by `kill -9` leaves the database as it was before the
 * load. The import command loads a generated landlord (a fiftieth of the benchmark's: 1,000 flats,
 * 26,000 ledger entries) into a file that already holds a first load; it is killed while its one
 * transaction is writing (the write-ahead log grows past 1 MB), and the database must then hold
 * exactly what it held before, pass its integrity check, and take the same load completely.
 */
const root = mkdtempSync(join(tmpdir(), 'portier-faults-import-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const dataDir = join(root, 'data');
const databaseFile = join(dataDir, 'portier.sqlite');
const tables = [
  'estates',
  'buildings',
  'units',
  'persons',
  'contracts',
  'rent_components',
  'invoices',
  'ledger_entries',
];

function counts(): Record<string, number> {
  const db = new Database(databaseFile, { readonly: true });
  try {
    return Object.fromEntries(
      tables.map((table) => [
        table,
        (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n,
      ]),
    );
  } finally {
    db.close();
  }
}

function runImport(
  folder: string,
  onStart?: (kill: () => void) => void,
): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', projectPath('server', 'cli', 'import.ts'), '--mode=full', folder],
      {
        cwd: projectPath(),
        env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
        stdio: 'ignore',
      },
    );
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve({ code, signal }));
    onStart?.(() => child.kill('SIGKILL'));
  });
}

describe('kill -9 during an import', () => {
  it('leaves the database as it was before the load, and the load can be run again', async () => {
    const small = join(root, 'small');
    const large = join(root, 'large');
    await generateLandlordCsv(small, scaled(0.004));
    await generateLandlordCsv(large, scaled(0.02));
    mkdirSync(dataDir, { recursive: true });
    openDatabase(databaseFile).$client.close();
    expect((await runImport(small)).code).toBe(0);
    const before = counts();
    expect(before.units).toBe(200);

    let killedWhileWriting = false;
    const killed = await runImport(large, (kill) => {
      const wal = `${databaseFile}-wal`;
      const watch = setInterval(() => {
        if (existsSync(wal) && statSync(wal).size > 1024 * 1024) {
          killedWhileWriting = true;
          clearInterval(watch);
          kill();
        }
      }, 5);
      setTimeout(() => clearInterval(watch), 120_000).unref();
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killedWhileWriting).toBe(true);

    const db = new Database(databaseFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(counts()).toEqual(before);

    expect((await runImport(large)).code).toBe(0);
    expect(counts().units).toBe(1000);
  });
});
