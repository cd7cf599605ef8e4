import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tablesOf } from '../../db/dialect.ts';
import {
  findDocumentsByExternalIds,
  findIdsByExternalIds,
  findImportRun,
  listPartiesOf,
} from '../../db/repositories/erp-import.ts';
import { latestEventId } from '../../db/repositories/events.ts';
import type { StoredEvent } from '../../db/repositories/events.ts';
import { createApp, type App } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { writeImportTemplates } from '../../server/services/import/files/index.ts';
import { openStore, type Store } from '../../server/store.ts';
import type { CreatedApiKeyDto } from '../../shared/api/integration.ts';
import {
  importTemplateNames,
  type ImportJobDto,
  type ImportJobsDto,
  type ImportResult,
} from '../../shared/api/import.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { minimalPdf } from '../fixtures/uploads/hostile.ts';
import { postgresMissing, startPgServer, type PgServer } from '../helpers/pg-server.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * API.md "Integration" on PostgreSQL (DATABASE_URL): `POST /api/v1/import` and the console's
 * upload run in the import's worker thread on a pool of its own, with the same answers as on
 * SQLite (erp-import.test.ts, erp-import-files.test.ts): all or nothing, dry runs, counts, 422
 * with the records, the job's progress and history, the live events of what it published, 409 for
 * a second load. While a load writes, units of work wait for it: this process's answer 503 after a
 * moment, reads answer on, and another instance's unit commits after the load.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

/** A small landlord as its ERP would send it. */
function landlord(estateName = 'Gartenstadt Nord') {
  return {
    estates: [{ externalId: 'PG-E-1', name: estateName, city: 'Leipzig', country: 'DE' }],
    buildings: [
      {
        externalId: 'PG-B-1',
        estateExternalId: 'PG-E-1',
        street: 'Lindenweg',
        houseNumber: '7',
        postalCode: '04109',
        city: 'Leipzig',
        country: 'DE',
        use: 'residential',
        currency: 'EUR',
      },
    ],
    units: [{ externalId: 'PG-U-1', buildingExternalId: 'PG-B-1', number: '0.01', kind: 'flat', floor: 0 }],
    persons: [
      {
        externalId: 'PG-P-1',
        kind: 'natural',
        firstName: 'Greta',
        lastName: 'Lindqvist',
        customerNumber: 'K-910001',
      },
    ],
    contracts: [
      {
        externalId: 'PG-C-1',
        number: 'MV-910001',
        kind: 'residential',
        unitExternalIds: ['PG-U-1'],
        parties: [{ personExternalId: 'PG-P-1', role: 'main_tenant' }],
        startDate: '2024-04-01',
        currency: 'EUR',
        paymentMethod: 'transfer',
        rentComponents: [{ kind: 'net_rent', amount: 61000, validFrom: '2024-04-01' }],
      },
    ],
  };
}

/** Polls `probe` until it holds, for at most 60 s (a worker thread starts, a lock is waited for). */
async function until(probe: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(gate.skip)(`the ERP import on PostgreSQL${gate.label}`, () => {
  let server: PgServer;
  let store: Store;
  let deps: Deps;
  let app: App;
  let admin: string;
  let secret: string;
  /** A session of its own for looking at locks and holding rows, as another client would. */
  let observer: pg.Client;
  const published: { log: StoredEvent[] } = { log: [] };
  const dir = mkdtempSync(join(tmpdir(), 'portier-import-pg-api-'));
  const templates = join(dir, 'templates');

  beforeAll(async () => {
    server = await startPgServer();
    const config = loadConfig(
      { DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', DATABASE_URL: server.url },
      { publicUrl: 'http://portier.test' },
    );
    store = await openStore(config);
    deps = createDeps(config, store.db);
    await seedDemo(deps);
    deps.bus.on('log.committed', ({ events }) => void published.log.push(...events));
    app = createApp(deps);
    admin = await loginAs(app, DEMO_LOGINS.admin, DEMO_PASSWORD);
    const key = await call(app, '/api/staff/admin/api-keys', {
      cookie: admin,
      json: { name: 'Wodis nightly', scopes: ['import'] },
    });
    expect(key.status).toBe(201);
    secret = ((await key.json()) as CreatedApiKeyDto).secret;
    observer = new pg.Client({ connectionString: server.url });
    await observer.connect();
    await writeImportTemplates(templates);
  }, 180_000);

  afterAll(async () => {
    await observer?.end();
    await store?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const load = (body: unknown, via: App = app) =>
    call(via, '/api/v1/import', { origin: null, headers: { authorization: `Bearer ${secret}` }, json: body });

  /** Rows of every table a load of `landlord()` writes. */
  async function tableCounts(): Promise<Record<string, number>> {
    const t = tablesOf(store.db);
    const tables = {
      estates: t.estates,
      buildings: t.buildings,
      units: t.units,
      persons: t.persons,
      contracts: t.contracts,
      contractUnits: t.contractUnits,
      contractParties: t.contractParties,
      rentComponents: t.rentComponents,
    };
    const counts: Record<string, number> = {};
    for (const [name, table] of Object.entries(tables))
      counts[name] = (await store.db.select({ n: count() }).from(table))[0]!.n;
    return counts;
  }

  /** Backends of the load's own pool (services/import/worker.ts). */
  const loadConnections = async () =>
    Number(
      (
        await observer.query<{ n: string }>(
          "select count(*) as n from pg_stat_activity where application_name = 'portier erp load'",
        )
      ).rows[0]!.n,
    );

  it('a dry run counts and stores nothing; a load stores everything; the same load again is unchanged', async () => {
    const before = await tableCounts();
    const dry = await load({ dryRun: true, ...landlord() });
    expect(dry.status).toBe(200);
    const checked = (await dry.json()) as ImportResult;
    expect(checked.dryRun).toBe(true);
    expect(checked.counts.contracts).toEqual({ created: 1, updated: 0, unchanged: 0, ended: 0 });
    expect(await tableCounts()).toEqual(before);

    const first = await load(landlord());
    expect(first.status).toBe(200);
    expect(((await first.json()) as ImportResult).counts).toMatchObject({
      estates: { created: 1 },
      buildings: { created: 1 },
      units: { created: 1 },
      persons: { created: 1 },
      contracts: { created: 1 },
    });
    const contractId = (await findIdsByExternalIds(store.db, 'contracts', ['PG-C-1'])).get('PG-C-1');
    const personId = (await findIdsByExternalIds(store.db, 'persons', ['PG-P-1'])).get('PG-P-1');
    expect(contractId).toBeDefined();
    expect((await listPartiesOf(store.db, contractId!)).map((party) => party.personId)).toEqual([personId]);
    const stored = await tableCounts();
    expect(stored.contracts).toBe(before.contracts! + 1);

    const again = await load(landlord());
    expect(again.status).toBe(200);
    const unchanged = (await again.json()) as ImportResult;
    for (const counts of Object.values(unchanged.counts))
      expect(counts.created + counts.updated + counts.ended).toBe(0);
    expect(unchanged.counts.contracts.unchanged).toBe(1);
    expect(await tableCounts()).toEqual(stored);

    // The history: one run per load, written by the worker on its own pool, which it closed.
    const runs = await call(app, '/api/staff/admin/imports', { cookie: admin });
    const jobs = ((await runs.json()) as ImportJobsDto).jobs.filter((job) => job.source === 'api');
    expect(jobs.map((job) => job.state)).toEqual(['applied', 'applied', 'checked']);
    expect((await findImportRun(store.db, jobs[0]!.id))?.run.counts).toMatchObject({
      contracts: { unchanged: 1 },
    });
    await until(async () => (await loadConnections()) === 0, 'the load closed its pool');
    // Each load starts the import's worker thread: slow on a busy machine.
  }, 180_000);

  it('refuses a load with an invalid record: 422 with the records, nothing stored, the run kept', async () => {
    const bad = landlord('Gartenstadt Süd');
    bad.units.push({
      externalId: 'PG-U-2',
      buildingExternalId: 'PG-B-404',
      number: '2.01',
      kind: 'castle',
    } as never);
    const before = await tableCounts();
    const res = await load(bad);
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as {
      error: { code: string; records: { entity: string; externalId: string; field: string; code: string }[] };
    };
    expect(error.code).toBe('import_invalid');
    expect(error.records.map((r) => `${r.entity}:${r.externalId}:${r.field}:${r.code}`)).toEqual(
      expect.arrayContaining(['units:PG-U-2:kind:invalid_value']),
    );
    expect(await tableCounts()).toEqual(before);
    const { estates } = tablesOf(store.db);
    const estate = await store.db
      .select({ name: estates.name })
      .from(estates)
      .where(eq(estates.externalId, 'PG-E-1'));
    expect(estate).toEqual([{ name: 'Gartenstadt Nord' }]);
    const runs = (
      (await (await call(app, '/api/staff/admin/imports', { cookie: admin })).json()) as ImportJobsDto
    ).jobs;
    expect(runs[0]).toMatchObject({ source: 'api', state: 'refused' });
    expect(runs[0]!.problemCount).toBeGreaterThan(0);
  }, 120_000);

  it('holds the units of work while it writes: 503 here, a wait on another instance, reads answer, a second load 409', async () => {
    // Another client holds the estate's row, so the load, which changes its name, stops there with
    // its transaction open: it has queued on the event log first and holds that queue meanwhile.
    await observer.query('begin');
    await observer.query("select 1 from estates where external_id = 'PG-E-1' for update");
    const loading = load(landlord('Gartenstadt Nord-Ost'));
    await until(
      async () =>
        (
          await observer.query(
            `select 1 from pg_locks l join pg_class c on c.oid = l.relation
              where c.relname = 'events' and l.mode = 'ShareRowExclusiveLock' and l.granted
                and l.pid in (select pid from pg_stat_activity where application_name = 'portier erp load')`,
          )
        ).rowCount === 1,
      'the load holds the queue',
    );
    expect(await loadConnections()).toBeLessThanOrEqual(2);

    // A write of this process gives up at once with 503 and Retry-After, never 500.
    const startedAt = Date.now();
    const write = await call(app, '/api/staff/admin/household', {
      method: 'PUT',
      cookie: admin,
      json: { removalNeedsApproval: true },
    });
    expect(write.status).toBe(503);
    expect(write.headers.get('retry-after')).toBe('5');
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe('storage_unavailable');
    expect(Date.now() - startedAt).toBeLessThan(4_000);
    // Reads answer from the committed rows.
    const read = await call(app, '/api/staff/admin/household', { cookie: admin });
    expect(read.status).toBe(200);
    // The running job is listed with its progress; a second load is refused.
    const listed = (
      (await (await call(app, '/api/staff/admin/imports', { cookie: admin })).json()) as ImportJobsDto
    ).jobs[0]!;
    expect(listed.state).toBe('running');
    expect(listed.progress).not.toBeNull();
    const second = await load(landlord());
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('import_running');

    // Another instance (its own pool, no load of its own) waits for its turn instead.
    const other = await openStore(
      loadConfig(
        { DATA_DIR: join(dir, 'other'), LOG_LEVEL: 'silent', DATABASE_URL: server.url },
        { publicUrl: 'http://portier.test' },
      ),
    );
    try {
      const otherApp = createApp(createDeps(deps.config, other.db));
      const waiting = call(otherApp, '/api/staff/admin/household', {
        method: 'PUT',
        cookie: admin,
        json: { removalNeedsApproval: true },
      });
      await until(
        async () =>
          (
            await observer.query(
              `select 1 from pg_locks l join pg_class c on c.oid = l.relation
                where c.relname = 'events' and not l.granted`,
            )
          ).rowCount === 1,
        "the other instance's unit waits for the load",
      );
      await observer.query('commit');
      const loaded = await loading;
      expect(loaded.status).toBe(200);
      expect(((await loaded.json()) as ImportResult).counts.estates.updated).toBe(1);
      expect((await waiting).status).toBe(200);
    } finally {
      await other.close();
    }
    // With the load over, this process writes again.
    const after = await call(app, '/api/staff/admin/household', {
      method: 'PUT',
      cookie: admin,
      json: { removalNeedsApproval: false },
    });
    expect(after.status).toBe(200);
  }, 180_000);

  it("a console upload with documents: checked, then applied as a job; the documents' live events follow the commit", async () => {
    const upload = (files: { name: string; bytes: Uint8Array }[], query: string) => {
      const form = new FormData();
      for (const file of files) form.append('file', new File([new Uint8Array(file.bytes)], file.name));
      return app.request(`/api/staff/admin/imports?${query}`, {
        method: 'POST',
        body: form,
        headers: { origin: 'http://portier.test', cookie: `portier_session=${admin}` },
      });
    };
    const followJob = async (id: string): Promise<ImportJobDto> => {
      let job: ImportJobDto | undefined;
      await until(async () => {
        const res = await call(app, `/api/staff/admin/imports/${id}`, { cookie: admin });
        job = ((await res.json()) as { job: ImportJobDto }).job;
        return job.state !== 'running';
      }, 'the job finished');
      return job!;
    };
    const files = [
      ...importTemplateNames.map((name) => ({
        name: `${name}.csv`,
        bytes: readFileSync(join(templates, 'csv', `${name}.csv`)),
      })),
      {
        name: 'documents.csv',
        bytes: new TextEncoder().encode(
          'externalId;file;recipientKind;recipientExternalId;type;title;date\n' +
            'D-PG-1;Betriebskosten 2025.pdf;contract;V-5001;operating_cost_statement;Betriebskostenabrechnung 2025;15.11.2026\n',
        ),
      },
      { name: 'Betriebskosten 2025.pdf', bytes: minimalPdf() },
    ];

    const dry = await upload(files, 'dryRun=true&mode=delta');
    expect(dry.status).toBe(202);
    const checked = await followJob(((await dry.json()) as { job: ImportJobDto }).job.id);
    expect(checked).toMatchObject({ state: 'checked', source: 'console', dryRun: true });
    expect(checked.counts?.documents.created).toBe(1);
    expect((await findDocumentsByExternalIds(store.db, ['D-PG-1'])).size).toBe(0);

    const latestBefore = await latestEventId(store.db);
    published.log.length = 0;
    const res = await upload(files, 'dryRun=false');
    expect(res.status).toBe(202);
    const applied = await followJob(((await res.json()) as { job: ImportJobDto }).job.id);
    expect(applied).toMatchObject({ state: 'applied', source: 'console', dryRun: false });
    expect(applied.counts?.contracts.created).toBe(1);
    expect(applied.counts?.documents.created).toBe(1);
    expect(applied.startedBy).toMatch(/\S/);
    expect((await findDocumentsByExternalIds(store.db, ['D-PG-1'])).size).toBe(1);
    // The document's events went to the bus after the load committed, with the ids they have in the log.
    expect(published.log.length).toBeGreaterThan(0);
    for (const event of published.log) expect(event.id).toBeGreaterThan(latestBefore);
    expect(Math.max(...published.log.map((event) => event.id))).toBeLessThanOrEqual(
      await latestEventId(store.db),
    );
    const run = await findImportRun(store.db, applied.id);
    expect(run?.run).toMatchObject({ status: 'applied', source: 'console', problemCount: 0 });
    await until(async () => (await loadConnections()) === 0, 'the load closed its pool');
  }, 180_000);
});
