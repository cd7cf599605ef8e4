import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createDeps } from '../../server/deps.ts';
import { loadConfig } from '../../server/config.ts';
import { openDatabase } from '../../db/client.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { createTestDeps, type TestContext } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * Issue 7 item 6: the two commands of docs/operations.md, run as separate processes exactly like an
 * operator would (the sources through tsx; `npm run backup|restore` runs the same files from dist/).
 * The server stays in this process and keeps writing while the backup runs.
 */
const runBackupCli = (command: 'backup' | 'restore', args: string[], dataDir: string) =>
  runCli(command, args, { DATA_DIR: dataDir });

const count = (file: string, table: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
};

let ctx: TestContext;
let scratch: string;
let backupFile: string;
let messagesBefore = 0;
let messagesAfter = 0;

beforeAll(async () => {
  ctx = createTestDeps();
  await seedDemo(ctx.deps);
  scratch = mkdtempSync(join(tmpdir(), 'portier-backup-'));
  backupFile = join(scratch, 'nightly.sqlite');
});
afterAll(() => {
  ctx?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('npm run backup', () => {
  it('copies a consistent database while the server keeps writing', async () => {
    const app = createApp(ctx.deps);
    const token = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    const ticketId = ctx.deps.db.$client
      .prepare(
        'SELECT id FROM tickets WHERE contract_id = (SELECT id FROM contracts WHERE number = ?) LIMIT 1',
      )
      .pluck()
      .get(DEMO_CONTRACT_NUMBERS.tenant) as string;
    const live = join(ctx.dataDir, 'portier.sqlite');
    messagesBefore = count(live, 'ticket_messages');

    // Writes go on, one acknowledged message after another, until the backup process is done.
    let writing = true;
    let acknowledged = 0;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        const res = await call(app, `/api/tickets/${ticketId}/messages`, {
          cookie: token,
          json: { body: `Während der Sicherung ${n}`, clientId: `backup-write-${n}` },
        });
        expect(res.status).toBe(201);
        acknowledged++;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const run = await runBackupCli('backup', [backupFile], ctx.dataDir);
    writing = false;
    await writer;

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('integrity ok');
    expect(acknowledged).toBeGreaterThan(0);
    messagesAfter = count(live, 'ticket_messages');
    // A snapshot from some moment of the run: never torn, never ahead of the live database.
    const inBackup = count(backupFile, 'ticket_messages');
    expect(inBackup).toBeGreaterThanOrEqual(messagesBefore);
    expect(inBackup).toBeLessThanOrEqual(messagesAfter);
    expect(readdirSync(scratch)).toEqual(['nightly.sqlite']);
  });

  it('refuses to overwrite an existing backup', async () => {
    const run = await runBackupCli('backup', [backupFile], ctx.dataDir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('exists already');
  });
});

describe('npm run restore', () => {
  it('restores into a fresh DATA_DIR, and the app serves the data', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'portier-restore-'));
    try {
      const run = await runBackupCli('restore', [backupFile], fresh);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);

      const config = loadConfig(
        { DATA_DIR: fresh, LOG_LEVEL: 'silent' },
        { publicUrl: 'http://portier.test' },
      );
      const db = openDatabase(join(fresh, 'portier.sqlite'));
      try {
        const app = createApp(createDeps(config, db));
        const token = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
        const res = await call(app, '/api/contracts', { cookie: token });
        expect(res.status).toBe(200);
        expect(JSON.stringify(await res.json())).toContain(DEMO_CONTRACT_NUMBERS.tenant);
        const restored = db.$client.prepare('SELECT count(*) FROM ticket_messages').pluck().get() as number;
        expect(restored).toBe(count(backupFile, 'ticket_messages'));
      } finally {
        db.$client.close();
      }
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('refuses while a server holds the database, and leaves it untouched', async () => {
    const run = await runBackupCli('restore', [backupFile], ctx.dataDir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('stop the server first');
    expect(count(join(ctx.dataDir, 'portier.sqlite'), 'ticket_messages')).toBe(messagesAfter);
  });

  it('keeps the replaced database beside the restored one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portier-restore-'));
    try {
      copyFileSync(backupFile, join(dir, 'portier.sqlite'));
      const run = await runBackupCli('restore', [backupFile], dir);
      expect(run.code).toBe(0);
      expect(readdirSync(dir).some((name) => name.startsWith('portier.sqlite.before-restore-'))).toBe(true);
      expect(existsSync(join(dir, 'portier.sqlite'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file that is not an intact Portier database', async () => {
    const garbage = join(scratch, 'garbage.sqlite');
    writeFileSync(garbage, 'SQLite format 3\0 but not really'.repeat(200));
    const dir = mkdtempSync(join(tmpdir(), 'portier-restore-'));
    try {
      const run = await runBackupCli('restore', [garbage], dir);
      expect(run.code).toBe(2);
      expect(existsSync(join(dir, 'portier.sqlite'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a backup written by a newer version (unknown migration)', async () => {
    const newer = join(scratch, 'newer.sqlite');
    copyFileSync(backupFile, newer);
    const db = new Database(newer);
    db.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run(
      'future',
      4_102_444_800_000,
    );
    db.close();
    const dir = mkdtempSync(join(tmpdir(), 'portier-restore-'));
    try {
      const run = await runBackupCli('restore', [newer], dir);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('newer');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
