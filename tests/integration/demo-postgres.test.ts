import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { planDemoErpLoad, seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { openStore, type Store } from '../../server/store.ts';
import { projectPath } from '../../server/lib/paths.ts';
import { runImport, type ImportOutcome } from '../../server/services/import/run.ts';
import { bodySource } from '../../server/services/import/validate.ts';
import type { ImportMode, ImportRecords } from '../../shared/api/import.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { postgresMissing, startPgServer, type PgServer } from '../helpers/pg-server.ts';
import { freePort, skipWithout, stopProcess, waitForOutput } from '../helpers/server-binaries.ts';

/**
 * API.md "Scale-out": with DATABASE_URL the demo resets and seeds PostgreSQL, and the app serves it
 * as it serves the embedded SQLite. The same seed goes into both stores (the way server/main.ts
 * opens and seeds them, at one fixed time), and the tenant's and the staff's pages answer the
 * same rows from each; a second seed on the same PostgreSQL starts from empty again.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

// One moment for both seeds: the ledger runs up to `now`, so both stores hold the same months.
const now = new Date('2026-11-20T09:30:00Z');

interface Seeded {
  store: Store;
  app: App;
  dataDir: string;
}

/** An ERP load through the importer, as the demo's own load goes in. */
async function importInto(
  seeded: Seeded,
  records: Partial<ImportRecords>,
  mode: ImportMode,
): Promise<ImportOutcome> {
  return await runImport(
    { db: seeded.store.db, now: () => now, timeZone: 'Europe/Berlin' },
    bodySource(records),
    { mode, dryRun: false },
    { source: 'file', label: 'test load' },
  );
}

async function seedInto(dataDir: string, databaseUrl?: string): Promise<Seeded> {
  const config = loadConfig(
    { DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...(databaseUrl && { DATABASE_URL: databaseUrl }) },
    { publicUrl: 'http://portier.test' },
  );
  const store = await openStore(config, { reset: true });
  const deps = createDeps(config, store.db, { now: () => now });
  await seedDemo(deps);
  return { store, app: createApp(deps), dataDir };
}

/** Rows per table of the PostgreSQL database (every table in `public`). */
async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      "select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1",
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const result = await client.query<{ n: string }>(
        `select count(*) as n from ${pg.escapeIdentifier(name)}`,
      );
      counts[name] = Number(result.rows[0]!.n);
    }
    return counts;
  } finally {
    await client.end();
  }
}

const pages = ['contracts', 'invoices', 'tickets', 'documents'] as const;
type Page = (typeof pages)[number];

/** The tenant's four lists: their ids, as the app answers them. */
async function tenantPages(app: App): Promise<Record<Page, string[]>> {
  const session = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
  const out = {} as Record<Page, string[]>;
  for (const page of pages) {
    const res = await call(app, `/api/${page}`, { cookie: session });
    expect(res.status, `GET /api/${page}`).toBe(200);
    const body = (await res.json()) as Record<Page, { id: string }[]>;
    out[page] = body[page].map((row) => row.id).sort();
  }
  return out;
}

describe.skipIf(gate.skip)(`the demo on PostgreSQL${gate.label}`, () => {
  let server: PgServer;
  let onPostgres: Seeded;
  let onSqlite: Seeded;
  let seededCounts: Record<string, number>;
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'portier-demo-pg-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    server = await startPgServer();
    onPostgres = await seedInto(tempDir(), server.url);
    seededCounts = await rowCounts(server.url);
    onSqlite = await seedInto(tempDir());
  }, 180_000);

  afterAll(async () => {
    await onPostgres?.store.close();
    await onSqlite?.store.close();
    await server?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('is in PostgreSQL, its files in DATA_DIR', async () => {
    expect(onPostgres.store.kind).toBe('postgres');
    expect(onSqlite.store.kind).toBe('sqlite');
    const res = await call(onPostgres.app, '/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, store: 'postgres' });
    // The demo's ERP load, logins, documents and tickets are all there.
    for (const table of ['contracts', 'invoices', 'ledger_entries', 'users', 'documents', 'tickets', 'files'])
      expect(seededCounts[table], table).toBeGreaterThan(0);
  });

  it("answers the tenant's contracts, invoices, tickets and documents as the SQLite demo does", async () => {
    const fromPostgres = await tenantPages(onPostgres.app);
    const fromSqlite = await tenantPages(onSqlite.app);
    for (const page of pages) expect(fromPostgres[page].length, page).toBeGreaterThan(0);
    // The seed is deterministic: the same rows, by id, on both stores.
    expect(fromPostgres).toEqual(fromSqlite);
  });

  it('lets the tenant write on her ticket and the staff see it in the inbox', async () => {
    const { app } = onPostgres;
    const tenant = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    const list = await call(app, '/api/tickets', { cookie: tenant });
    const { tickets } = (await list.json()) as { tickets: { id: string; status: string }[] };
    const open = tickets.find((ticket) => !['closed', 'resolved'].includes(ticket.status));
    expect(open, 'an open ticket of the tenant').toBeDefined();
    const body = 'Der Handwerker kann am Donnerstag ab 8 Uhr kommen.';
    const posted = await call(app, `/api/tickets/${open!.id}/messages`, {
      json: { body, clientId: 'demo-pg-message-1' },
      cookie: tenant,
    });
    expect(posted.status).toBe(201);

    const staff = await loginAs(app, DEMO_LOGINS.staff, DEMO_PASSWORD);
    let found: { id: string; lastMessage: { body: string; authorRole: string } | null } | undefined;
    let cursor: string | null = null;
    do {
      const res = await call(
        app,
        `/api/staff/tickets${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
        {
          cookie: staff,
        },
      );
      expect(res.status).toBe(200);
      const page = (await res.json()) as { tickets: NonNullable<typeof found>[]; nextCursor: string | null };
      found = page.tickets.find((ticket) => ticket.id === open!.id);
      cursor = page.nextCursor;
    } while (!found && cursor);
    expect(found?.lastMessage).toMatchObject({ body, authorRole: 'customer' });
  });

  it('takes ERP loads on PostgreSQL as on SQLite: unchanged, refused, updated', async () => {
    const { records } = planDemoErpLoad(now);
    const results = [];
    for (const seeded of [onPostgres, onSqlite]) {
      // The demo's own load again: everything unchanged, nothing ended.
      const again = await importInto(seeded, records, 'full');
      // A key named twice: refused, with the place of the first sighting, nothing stored.
      const twice = await importInto(
        seeded,
        { ...records, estates: [...records.estates, records.estates[0]!] },
        'delta',
      );
      // One estate renamed: updated in place.
      const renamed = await importInto(
        seeded,
        { estates: [{ ...records.estates[0]!, name: 'Musterquartier (umbenannt)' }] },
        'delta',
      );
      results.push({
        again: again.ok && again.result.counts,
        twice: !twice.ok && twice.problems.map((problem) => problem.code),
        renamed: renamed.ok && renamed.result.counts.estates,
      });
    }
    const [fromPostgres, fromSqlite] = results;
    expect(fromPostgres!.again).toBeTruthy();
    for (const counts of Object.values(fromPostgres!.again || {})) {
      expect(counts.created + counts.updated + counts.ended).toBe(0);
    }
    expect(fromPostgres!.twice).toContain('duplicate_external_id');
    expect(fromPostgres!.renamed).toMatchObject({ updated: 1, created: 0 });
    expect(fromPostgres).toEqual(fromSqlite);
  });

  it('resets PostgreSQL on a second seed: the same rows, nothing doubled, the message gone', async () => {
    expect((await rowCounts(server.url)).ticket_messages).toBe(seededCounts.ticket_messages! + 1);
    await onPostgres.store.close();
    onPostgres = await seedInto(onPostgres.dataDir, server.url);
    expect(await rowCounts(server.url)).toEqual(seededCounts);
    expect(await tenantPages(onPostgres.app)).toEqual(await tenantPages(onSqlite.app));
  }, 120_000);

  it('starts the server with --demo on DATABASE_URL; a start without it keeps the data', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const start = (args: string[]) =>
      spawn(process.execPath, ['--import', 'tsx', projectPath('server', 'main.ts'), ...args], {
        cwd: projectPath(),
        env: {
          ...process.env,
          DATABASE_URL: server.url,
          DATA_DIR: join(dataDir, 'data'),
          DEMO_DATA_DIR: join(dataDir, 'demo'),
          PORT: String(port),
          HOST: '127.0.0.1',
          PUBLIC_URL: origin,
          LOG_LEVEL: 'silent',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const tenantLogin = () =>
      fetch(`${origin}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ login: DEMO_LOGINS.tenant, password: DEMO_PASSWORD }),
      });
    for (const args of [['--demo'], []]) {
      const child = start(args);
      try {
        await waitForOutput(child, /listening/, 120_000);
        const res = await fetch(`${origin}/api/health`);
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ ok: true, store: 'postgres' });
        // The demo's logins: seeded by --demo, still there after a start without it.
        expect((await tenantLogin()).status, `login after ${args.join(' ') || 'npm start'}`).toBe(200);
      } finally {
        await stopProcess(child, ['SIGTERM']);
      }
      // Shut down cleanly: the pool ended, nothing left to kill.
      expect(child.exitCode).toBe(0);
    }
  }, 240_000);
});

describe('DATABASE_URL', () => {
  it('names PostgreSQL; unset or empty leaves the embedded SQLite', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://portier@db:5432/portier' }).databaseUrl).toBe(
      'postgres://portier@db:5432/portier',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/portier' }).databaseUrl).toBe(
      'postgresql://db/portier',
    );
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  it('refuses anything else, saying what it must be', () => {
    for (const url of ['mysql://db/portier', 'sqlite:./data/portier.sqlite', 'db.example.org', 'postgres://'])
      expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(
        /DATABASE_URL must be a PostgreSQL URL starting with postgres:\/\/ or postgresql:\/\//,
      );
  });
});
