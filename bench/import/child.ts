// One measured run in its own process, so its peak RSS is its own (issue 14 "Performance").
//   child.ts import <dataDir> <csvDir> <mode> [--count-writes] → the importer on the files (as `npm run import`)
//   child.ts raw <sourceDb> <targetDb>          → the same rows copied with raw prepared INSERTs
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as ClientModule from '../../db/client.ts';
import type * as ThreadedModule from '../../server/services/import/files/threaded.ts';
import type * as RunModule from '../../server/services/import/run.ts';

// The importer as built (`npm run bench` builds first), as `npm run import` runs it: its memory is
// the product's, not that of the TypeScript loader this file runs under.
const built = (path: string) => pathToFileURL(join(process.cwd(), 'dist', path)).href;
const { openDatabase } = (await import(built('db/client.js'))) as typeof ClientModule;
const { openImportFilesInThread } = (await import(
  built('server/services/import/files/threaded.js')
)) as typeof ThreadedModule;
const { runImport } = (await import(built('server/services/import/run.js'))) as typeof RunModule;

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

/**
 * Counts every row the load inserts, updates or deletes in the store's own tables: temporary
 * triggers on this connection (the importer's own keys live in a temporary table, not counted).
 */
function countWrites(db: ReturnType<typeof openDatabase>): () => number {
  const client = db.$client;
  client.exec('create temp table bench_writes (n integer not null); insert into bench_writes values (0);');
  const tablesOfStore = client
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like 'CREATE VIRTUAL%'",
    )
    .pluck()
    .all() as string[];
  for (const table of tablesOfStore)
    for (const event of ['insert', 'update', 'delete'])
      try {
        client.exec(
          `create temp trigger "bench_${table}_${event}" after ${event} on main."${table}" begin update temp.bench_writes set n = n + 1; end;`,
        );
      } catch {
        // shadow tables of full-text indexes take no triggers; their own table's writes are counted
      }
  return () => (client.prepare('select n from temp.bench_writes').get() as { n: number }).n;
}

async function importRun(): Promise<Record<string, unknown>> {
  const db = openDatabase(join(a!, 'portier.sqlite'));
  // Counting costs a trigger per row: only the load that should write nothing is counted.
  const writes = process.argv.includes('--count-writes') ? countWrites(db) : null;
  const started = performance.now();
  const outcome = await runImport(
    { db, now: () => new Date(), timeZone: 'Europe/Berlin' },
    await openImportFilesInThread(b!),
    { mode: mode === 'full' ? 'full' : 'delta', dryRun: false },
    { source: 'file', label: 'bench' },
  );
  const done = performance.now();
  const written = writes?.() ?? null;
  db.$client.close();
  if (!outcome.ok) throw new Error(`refused: ${JSON.stringify(outcome.problems.slice(0, 5))}`);
  return {
    ms: done - started,
    // The import run's own row and its audit entry are the only writes of an unchanged load.
    rowsWritten: written === null ? null : written - 2,
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
