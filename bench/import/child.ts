// One measured run in its own process, so its peak RSS is its own (issue 14 "Performance").
//   child.ts import <dataDir> <csvDir> <mode>  → the importer on the files (as `npm run import`)
//   child.ts raw <sourceDb> <targetDb>          → the same rows copied with raw prepared INSERTs
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { loadImportFiles } from '../../server/services/import/files/index.ts';
import { runImportNow } from '../../server/services/import/run.ts';

const [command, a, b, mode] = process.argv.slice(2);

const tables = [
  'estates',
  'buildings',
  'units',
  'persons',
  'contracts',
  'contract_units',
  'contract_parties',
  'rent_components',
  'invoices',
  'ledger_entries',
];

async function importRun(): Promise<Record<string, unknown>> {
  const db = openDatabase(join(a!, 'portier.sqlite'));
  const changesBefore = (db.$client.prepare('select total_changes() as n').get() as { n: number }).n;
  const started = performance.now();
  const loaded = await loadImportFiles(b!);
  const read = performance.now();
  const outcome = runImportNow(
    {
      db,
      now: () => new Date(),
      timeZone: 'Europe/Berlin',
      fileProblems: loaded.problems,
      locations: loaded.locations,
      recordsParsed: true,
    },
    { mode: mode === 'full' ? 'full' : 'delta', dryRun: false, records: loaded.records },
    { source: 'file', label: 'bench' },
  );
  const done = performance.now();
  const changes =
    (db.$client.prepare('select total_changes() as n').get() as { n: number }).n - changesBefore;
  db.$client.close();
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.problems.slice(0, 5))}`);
  return {
    ms: done - started,
    readMs: read - started,
    applyMs: done - read,
    // The import run's own row and its audit entry are the only writes of an unchanged load.
    rowsWritten: changes - 2,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    counts: outcome.result.counts,
  };
}

function rawRun(): Record<string, unknown> {
  const source = new Database(a, { readonly: true });
  const target = openDatabase(b!);
  const rows = tables.map((table) => ({ table, rows: source.prepare(`select * from ${table}`).raw().all() }));
  const started = performance.now();
  let count = 0;
  target.$client.transaction(() => {
    for (const { table, rows: values } of rows) {
      if (values.length === 0) continue;
      const width = (values[0] as unknown[]).length;
      const insert = target.$client.prepare(
        `insert into ${table} values (${Array(width).fill('?').join(',')})`,
      );
      for (const row of values) insert.run(row);
      count += values.length;
    }
  })();
  const ms = performance.now() - started;
  target.$client.close();
  source.close();
  return { ms, rows: count };
}

const result = command === 'import' ? await importRun() : rawRun();
console.log(JSON.stringify(result));
