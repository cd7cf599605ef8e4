import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importTemplateNames } from '../../shared/api/import.ts';
import { writeImportTemplates } from '../../server/services/import/files/index.ts';
import { FileStore } from '../../server/files/store.ts';
import { minimalPdf } from '../fixtures/uploads/hostile.ts';
import { postgresMissing, startPgServer, type PgServer } from '../helpers/pg-server.ts';
import { skipWithout } from '../helpers/server-binaries.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * API.md "Integration": `npm run import` loads into the store `DATA_DIR` / `DATABASE_URL` name, as
 * `npm start` serves it. With DATABASE_URL the rows go to PostgreSQL (migrated first, like a
 * start), the documents' PDFs to DATA_DIR's file store, and no SQLite file appears.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

describe.skipIf(gate.skip)(`npm run import on PostgreSQL${gate.label}`, () => {
  let server: PgServer;
  let client: pg.Client;
  const dir = mkdtempSync(join(tmpdir(), 'portier-import-pg-'));
  const dataDir = join(dir, 'data');
  const templates = join(dir, 'templates');

  beforeAll(async () => {
    server = await startPgServer();
    await writeImportTemplates(templates);
  }, 120_000);

  afterAll(async () => {
    await client?.end();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const runImportCommand = (args: string[]) =>
    runCli('import', args, { DATA_DIR: dataDir, DATABASE_URL: server.url });

  const countOf = async (table: string) => {
    if (!client) {
      client = new pg.Client({ connectionString: server.url });
      await client.connect();
    }
    const result = await client.query<{ n: string }>(
      `select count(*) as n from ${pg.escapeIdentifier(table)}`,
    );
    return Number(result.rows[0]!.n);
  };

  it('checks, loads and loads again into PostgreSQL; no SQLite file in DATA_DIR', async () => {
    // The first run migrates the empty database, as `npm start` would.
    const dry = await runImportCommand(['--dry-run', join(templates, 'csv')]);
    expect(dry.stderr).toBe('');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/Dry run/);
    expect(dry.stdout).toMatch(/contracts\s+1\s+0\s+0\s+0/);
    expect(await countOf('contracts')).toBe(0);
    expect(await countOf('import_runs')).toBe(1);

    const loaded = await runImportCommand([join(templates, 'csv')]);
    expect(loaded.stderr).toBe('');
    expect(loaded.code).toBe(0);
    expect(await countOf('contracts')).toBe(1);

    const again = await runImportCommand([join(templates, 'import-template.xlsx')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/contracts\s+0\s+0\s+1\s+0/);
    expect(again.stdout).toMatch(/ledgerEntries\s+0\s+0\s+1\s+0/);
    expect(existsSync(join(dataDir, 'portier.sqlite'))).toBe(false);
  });

  it("stores a load's documents in PostgreSQL and their PDFs in DATA_DIR; refuses a broken load", async () => {
    const folder = join(dir, 'with-documents');
    mkdirSync(join(folder, 'documents'), { recursive: true });
    for (const name of importTemplateNames)
      writeFileSync(join(folder, `${name}.csv`), readFileSync(join(templates, 'csv', `${name}.csv`)));
    writeFileSync(
      join(folder, 'documents.csv'),
      'externalId;file;recipientKind;recipientExternalId;type;title;date\n' +
        'D-1;Betriebskosten 2025.pdf;contract;V-5001;operating_cost_statement;Betriebskostenabrechnung 2025;15.11.2026\n',
    );
    writeFileSync(join(folder, 'documents', 'Betriebskosten 2025.pdf'), minimalPdf());
    const run = await runImportCommand([folder]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/documents\s+1\s+0\s+0\s+0/);
    const { rows } = await client.query<{ sha256: string }>(
      "select f.sha256 from documents d join files f on f.id = d.file_id where d.external_id = 'D-1'",
    );
    expect(rows).toHaveLength(1);
    const pdf = new FileStore(join(dataDir, 'files')).pathOf(rows[0]!.sha256);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    const units = readFileSync(join(folder, 'units.csv'), 'utf8');
    writeFileSync(join(folder, 'units.csv'), units.replace(';flat;', ';castle;'));
    const refused = await runImportCommand([folder]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/units\.csv:2 .*kind/);
  });
});
