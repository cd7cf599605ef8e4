// ERP import at a landlord's scale (issue 14 "Performance"). Method: a generated landlord (50,000
// units, 55,000 contracts, 80,000 persons, 1.3 M ledger entries, 660,000 invoices; `--quick`: a
// twentieth) as CSV files; `npm run import` (the built CLI with its own flags) loads them into a
// fresh, migrated SQLite file, then a child process loads the same files again and counts what it
// writes. Baseline, same run: the rows the first load wrote, copied into another fresh file with raw
// better-sqlite3 prepared INSERTs in one transaction (the store's limit). Peak RSS is the first
// load's own maxRSS, the whole process with its reader thread.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/client.ts';
import { costRatio, type Figure } from '../lib/report.ts';
import { fullScale, generateLandlordCsv, scaled } from './generate.ts';

interface ChildResult {
  ms: number;
  rowsWritten: number | null;
  maxRssMb: number;
  rows: number;
}

// The heap bounds of `npm run import` (package.json) and of the server's import worker (jobs.ts).
const importerFlags = ['--max-old-space-size=256', '--max-semi-space-size=8'];

function child(args: string[], flags: string[] = importerFlags): ChildResult {
  const out = execFileSync(
    process.execPath,
    [...flags, '--import', 'tsx', 'bench/import/child.ts', ...args],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env: { ...process.env, LOG_LEVEL: 'warn' },
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

/**
 * The first load as a landlord runs it: `npm run import -- --mode=full <folder>` on the built CLI
 * with its own flags, timed from start to exit; its peak RSS is read by a preloaded exit hook.
 */
function cliImport(dataDir: string, csv: string): ChildResult {
  const rssFile = join(dataDir, 'max-rss');
  const started = performance.now();
  execFileSync(
    process.execPath,
    [
      ...importerFlags,
      '--import',
      './bench/import/max-rss.mjs',
      'dist/server/cli/import.js',
      '--mode=full',
      csv,
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', BENCH_MAX_RSS_FILE: rssFile },
    },
  );
  const ms = performance.now() - started;
  return { ms, rowsWritten: null, maxRssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, rows: 0 };
}

export async function runImportBench(quick: boolean, log: (line: string) => void): Promise<Figure[]> {
  const scale = quick ? scaled(0.05) : fullScale;
  const root = mkdtempSync(join(tmpdir(), 'portier-bench-import-'));
  try {
    const csv = join(root, 'csv');
    log(`import: generating ${scale.units} units, ${scale.ledgerEntries} ledger entries as CSV …`);
    await generateLandlordCsv(csv, scale);
    const dataDir = join(root, 'data');
    execFileSync('mkdir', ['-p', dataDir]);
    openDatabase(join(dataDir, 'portier.sqlite')).$client.close();
    log('import: first load …');
    const first = cliImport(dataDir, csv);
    log(`import: first load ${(first.ms / 1000).toFixed(1)} s; second load …`);
    const second = child(['import', dataDir, csv, 'full', '--count-writes']);
    log('import: raw baseline …');
    // The baseline holds every row in memory before it times the inserts: no heap bound.
    const raw = child(['raw', join(dataDir, 'portier.sqlite'), join(root, 'raw.sqlite')], []);
    const label = quick ? ' (1/20 scale)' : '';
    return [
      {
        bench: 'import',
        name: `first full load, ${scale.units} units${label}`,
        value: first.ms / 1000,
        unit: 's',
        baseline: raw.ms / 1000,
        ratio: costRatio(first.ms, raw.ms),
        target: '≤ 3× raw inserts',
        pass: first.ms <= 3 * raw.ms,
        note: `files read as they are written, in one transaction; ${raw.rows} rows`,
      },
      {
        bench: 'import',
        name: `same load again${label}`,
        value: second.ms / 1000,
        unit: 's',
        baseline: first.ms / 1000,
        ratio: costRatio(second.ms, first.ms),
        target: '≤ 0.5× first load',
        pass: second.ms <= 0.5 * first.ms,
      },
      {
        bench: 'import',
        name: `rows written by the same load again${label}`,
        value: second.rowsWritten ?? Number.NaN,
        unit: 'rows',
        target: '0',
        pass: second.rowsWritten === 0,
      },
      {
        bench: 'import',
        name: `peak RSS of the first load${label}`,
        value: first.maxRssMb,
        unit: 'MB',
        target: '≤ 400 MB',
        pass: first.maxRssMb <= 400,
      },
    ];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
