import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ImportJobDto, ImportJobsDto } from '../../shared/api/import.ts';
import { importTemplateNames } from '../../shared/api/import.ts';
import { writeImportTemplates } from '../../server/services/import/files/index.ts';
import { call } from '../helpers/auth.ts';
import { minimalPdf } from '../fixtures/uploads/hostile.ts';
import { rawRows } from '../../db/dialect.ts';
import { testStore } from '../helpers/context.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * Issue 14 item 3: the same load from files, by the import command and through the console's
 * upload, on the store of the run. The downloadable templates are the load: they reference each
 * other and load with zero problems.
 */
const { ctx, app, db, session } = await staffWorld(['staff', 'admin']);
const templates = mkdtempSync(join(tmpdir(), 'portier-import-templates-'));
afterAll(() => rmSync(templates, { recursive: true, force: true }));
beforeAll(async () => {
  await writeImportTemplates(templates);
});

const databaseUrl = ctx.deps.config.databaseUrl;
const runImportCommand = (args: string[]) =>
  runCli('import', args, { DATA_DIR: ctx.dataDir, ...(databaseUrl && { DATABASE_URL: databaseUrl }) });

const countOf = async (table: string) =>
  Number(
    (await rawRows<{ n: number | string }>(db, sql`select count(*) as n from ${sql.identifier(table)}`))[0]!
      .n,
  );

describe('npm run import', () => {
  it('checks a folder of CSV files without storing, loads it, and a second load changes nothing', async () => {
    const contractsBefore = await countOf('contracts');
    const dry = await runImportCommand(['--dry-run', join(templates, 'csv')]);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run/);
    expect(dry.stdout).toMatch(/contracts\s+1\s+0\s+0\s+0/);
    expect(await countOf('contracts')).toBe(contractsBefore);

    const loaded = await runImportCommand([join(templates, 'csv')]);
    expect(loaded.code).toBe(0);
    expect(await countOf('contracts')).toBe(contractsBefore + 1);

    const again = await runImportCommand([join(templates, 'import-template.xlsx')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/contracts\s+0\s+0\s+1\s+0/);
    expect(again.stdout).toMatch(/ledgerEntries\s+0\s+0\s+1\s+0/);
  }, 60_000); // three runs of the CLI, each a process of its own

  it('refuses a broken file with every problem at its file and row, exit code 1, nothing stored', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'portier-import-broken-'));
    try {
      for (const name of importTemplateNames)
        writeFileSync(join(broken, `${name}.csv`), readFileSync(join(templates, 'csv', `${name}.csv`)));
      const rent = readFileSync(join(broken, 'rent_components.csv'), 'utf8');
      writeFileSync(join(broken, 'rent_components.csv'), rent.replace(/;(\d[\d.]*,\d\d);/, ';12,345;'));
      const units = readFileSync(join(broken, 'units.csv'), 'utf8');
      writeFileSync(join(broken, 'units.csv'), units.replace(';flat;', ';castle;'));
      const before = await countOf('rent_components');
      const run = await runImportCommand([broken]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/Refused: 2 problem/);
      expect(run.stderr).toMatch(/rent_components\.csv:2 .*amount/);
      expect(run.stderr).toMatch(/units\.csv:2 .*kind/);
      expect(await countOf('rent_components')).toBe(before);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('publishes the documents a load names, with their PDFs, once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'portier-import-documents-'));
    try {
      for (const name of importTemplateNames)
        writeFileSync(join(folder, `${name}.csv`), readFileSync(join(templates, 'csv', `${name}.csv`)));
      writeFileSync(
        join(folder, 'documents.csv'),
        'externalId;file;recipientKind;recipientExternalId;type;title;date\n' +
          'D-1;Betriebskosten 2025.pdf;contract;V-5001;operating_cost_statement;Betriebskostenabrechnung 2025;15.11.2026\n',
      );
      mkdirSync(join(folder, 'documents'));
      writeFileSync(join(folder, 'documents', 'Betriebskosten 2025.pdf'), minimalPdf());
      const documentsBefore = await countOf('documents');
      const outboxBefore = await countOf('notifications');
      const first = await runImportCommand([folder]);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/documents\s+1\s+0\s+0\s+0/);
      expect(await countOf('documents')).toBe(documentsBefore + 1);
      const [document] = await rawRows<{
        title: string;
        scope: string;
        publishedAt: number | Date;
        sha256: string;
      }>(
        db,
        sql`select d.title, d.scope, d.published_at as "publishedAt", f.sha256
          from documents d join files f on f.id = d.file_id where d.external_id = 'D-1'`,
      );
      expect(document).toMatchObject({ title: 'Betriebskostenabrechnung 2025', scope: 'contract' });
      expect(new Date(document!.publishedAt).toISOString()).toBe('2026-11-15T00:00:00.000Z');
      // Stored in the file store like an upload, and announced through the outbox like one.
      expect(readFileSync(ctx.deps.files.pathOf(document!.sha256)).subarray(0, 5).toString()).toBe('%PDF-');
      expect(await countOf('notifications')).toBeGreaterThanOrEqual(outboxBefore);

      const again = await runImportCommand([folder]);
      expect(again.stdout).toMatch(/documents\s+0\s+0\s+1\s+0/);
      expect(await countOf('documents')).toBe(documentsBefore + 1);

      writeFileSync(
        join(folder, 'documents.csv'),
        'externalId;file;recipientKind;recipientExternalId;type;title\n' +
          'D-2;fehlt.pdf;contract;V-5001;letter;Schreiben\n' +
          'D-3;kein-pdf.pdf;contract;V-5001;letter;Schreiben\n',
      );
      writeFileSync(join(folder, 'kein-pdf.pdf'), 'MZ not a pdf');
      const refused = await runImportCommand([folder]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/documents\.csv:2 .*file_not_found/);
      expect(refused.stderr).toMatch(/documents\.csv:3 .*not_a_pdf/);
      // The PDFs are fine, the addressee exists nowhere: found while writing, located all the same.
      writeFileSync(
        join(folder, 'documents.csv'),
        'externalId;file;recipientKind;recipientExternalId;type;title\n' +
          'D-4;Betriebskosten 2025.pdf;contract;V-404;letter;Schreiben\n',
      );
      const unknown = await runImportCommand([folder]);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/documents\.csv:2 .*unknown_reference/);
      expect(await countOf('documents')).toBe(documentsBefore + 1);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000); // four runs of the CLI, each a process of its own

  it('answers a usage error with exit code 2', async () => {
    expect((await runImportCommand([])).code).toBe(2);
    expect((await runImportCommand(['--mode=sometimes', templates])).code).toBe(2);
    expect((await runImportCommand([join(templates, 'nothing-here')])).code).toBe(2);
  }, 60_000); // three runs of the CLI, each a process of its own
});

describe('the console import', () => {
  const upload = (files: { name: string; bytes: Uint8Array }[], query: string, cookie = session.admin) => {
    const form = new FormData();
    for (const file of files) form.append('file', new File([new Uint8Array(file.bytes)], file.name));
    return app.request(`/api/staff/admin/imports?${query}`, {
      method: 'POST',
      body: form,
      headers: { origin: 'http://portier.test', cookie: `portier_session=${cookie}` },
    });
  };
  const followJob = async (id: string): Promise<ImportJobDto> => {
    let job: ImportJobDto | undefined;
    for (let i = 0; i < 600 && (!job || job.state === 'running'); i++) {
      const res = await call(app, `/api/staff/admin/imports/${id}`, { cookie: session.admin });
      job = ((await res.json()) as { job: ImportJobDto }).job;
      if (job.state === 'running') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return job!;
  };
  const workbook = () => ({
    name: 'Bestand 2026.xlsx',
    bytes: readFileSync(join(templates, 'import-template.xlsx')),
  });

  it('checks a workbook, then applies it; the history says who, how and what', async () => {
    const res = await upload([workbook()], 'dryRun=true&mode=delta');
    expect(res.status).toBe(202);
    const started = ((await res.json()) as { job: ImportJobDto }).job;
    expect(started.state).toBe('running');
    const checked = await followJob(started.id);
    expect(checked.state).toBe('checked');
    expect(checked.counts).not.toBeNull();
    expect(checked.label).toBe('Bestand 2026.xlsx');

    const applied = await followJob(
      ((await (await upload([workbook()], 'dryRun=false')).json()) as { job: ImportJobDto }).job.id,
    );
    expect(applied.state).toBe('applied');
    const history = (await (
      await call(app, '/api/staff/admin/imports', { cookie: session.admin })
    ).json()) as ImportJobsDto;
    const mine = history.jobs.find((job) => job.id === applied.id)!;
    expect(mine.startedBy).toMatch(/\S/);
    expect(mine.source).toBe('console');
  });

  // SQLite's busy_timeout of the serving connection; on PostgreSQL a load shortens the units' queue
  // wait instead (server/unit-of-work/postgres.ts `shortenQueueWait`), which only that module reads.
  it.runIf(testStore === 'sqlite')(
    'while a load writes, the serving connection waits 100 ms for the lock instead of 5 s',
    async () => {
      const busyTimeout = () => db.$client.pragma('busy_timeout', { simple: true }) as number;
      expect(busyTimeout()).toBe(5000);
      const res = await upload([workbook()], 'dryRun=true');
      const job = ((await res.json()) as { job: ImportJobDto }).job;
      expect(job.state).toBe('running');
      expect(busyTimeout()).toBe(100);
      expect((await followJob(job.id)).state).toBe('checked');
      expect(busyTimeout()).toBe(5000);
    },
  );

  it('reports a refused load with file, row and field', async () => {
    const persons = readFileSync(join(templates, 'csv', 'persons.csv'), 'utf8').replace(
      ';natural;',
      ';robot;',
    );
    const files = importTemplateNames.map((name) => ({
      name: `${name}.csv`,
      bytes:
        name === 'persons'
          ? new TextEncoder().encode(persons)
          : readFileSync(join(templates, 'csv', `${name}.csv`)),
    }));
    const job = await followJob(
      ((await (await upload(files, 'dryRun=true')).json()) as { job: ImportJobDto }).job.id,
    );
    expect(job.state).toBe('refused');
    expect(job.problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ file: 'persons.csv', row: 2, field: 'kind' })]),
    );
  });

  it('refuses uploads that are not a workbook or CSV files, and non-admins', async () => {
    expect((await upload([{ name: 'x.exe', bytes: new Uint8Array([77, 90]) }], 'dryRun=true')).status).toBe(
      415,
    );
    expect((await upload([workbook(), workbook()], 'dryRun=true')).status).toBe(415);
    expect(
      (await upload([{ name: 'Kontakte (alt).csv', bytes: new Uint8Array([65]) }], 'dryRun=true')).status,
    ).toBe(400);
    expect((await upload([], 'dryRun=true')).status).toBe(400);
    expect((await upload([workbook()], 'dryRun=maybe')).status).toBe(400);
    expect((await upload([workbook()], 'dryRun=true', session.staff)).status).toBe(403);
    expect((await call(app, '/api/staff/admin/imports/nope', { cookie: session.admin })).status).toBe(404);
    // A path in the file name is dropped: the file is only ever written under its own name.
    const traversal = await upload(
      [{ name: '../../etc/passwd.csv', bytes: new Uint8Array([65]) }],
      'dryRun=true',
    );
    if (traversal.status === 202) {
      const job = await followJob(((await traversal.json()) as { job: ImportJobDto }).job.id);
      expect(job.state).toBe('refused');
      expect(job.problems.map((problem) => problem.code)).toContain('unknown_file');
    } else expect(traversal.status).toBe(400);
  });

  it('offers the templates for download', async () => {
    const xlsx = await call(app, '/api/staff/admin/imports/templates/import-template.xlsx', {
      cookie: session.admin,
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(new Uint8Array(await xlsx.arrayBuffer()).slice(0, 2)).toEqual(new Uint8Array([0x50, 0x4b]));
    for (const name of importTemplateNames) {
      const csv = await call(app, `/api/staff/admin/imports/templates/${name}.csv`, {
        cookie: session.admin,
      });
      expect(csv.status, name).toBe(200);
      expect(await csv.text()).toMatch(/externalId/i);
    }
    expect(
      (await call(app, '/api/staff/admin/imports/templates/secrets.csv', { cookie: session.admin })).status,
    ).toBe(404);
  });
});
