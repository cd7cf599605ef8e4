import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importEntities, importModes, type ImportMode, type ImportProblem } from '../../shared/api/import.ts';
import { loadConfig } from '../config.ts';
import { FileStore } from '../files/store.ts';
import { documentPreparer } from '../services/import/documents.ts';
import { openImportFilesInThread } from '../services/import/files/threaded.ts';
import { runImport } from '../services/import/run.ts';
import { openStore } from '../store.ts';

const usage =
  'Usage: npm run import -- [--dry-run] [--mode=delta|full] <folder of CSV files | workbook.xlsx>\n' +
  '       (loads into DATABASE_URL, else the database of DATA_DIR, default ./data; docs/import.md\n' +
  '       describes the files)';

/** `file.csv:12 contracts C-1 iban invalid_iban: The IBAN is not valid …` — one line per problem. */
function describe(problem: ImportProblem): string {
  const where = problem.file ? `${problem.file}${problem.row ? `:${problem.row}` : ''}` : problem.entity;
  const what = [
    problem.entity !== 'file' && problem.file ? problem.entity : null,
    problem.externalId,
    problem.field,
  ]
    .filter(Boolean)
    .join(' ');
  return `${where}${what ? ` ${what}` : ''} ${problem.code}: ${problem.message}`;
}

/**
 * `npm run import`: the same load as `POST /api/v1/import`, from files the ERP exported (API.md
 * "Integration"), into the store `npm start` serves (server/store.ts: PostgreSQL at DATABASE_URL,
 * else the SQLite file in DATA_DIR; the documents' PDFs go to DATA_DIR's file store on both). A
 * running server may be serving the same database: the load is one transaction, on SQLite waiting
 * its turn for the write lock like any other writer. The files are read in a thread of their own
 * that never opens the database. Exit codes: 0 loaded (or checked), 1 refused (every problem
 * printed with its file and row), 2 usage, 3 failed.
 */
async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean', default: false }, mode: { type: 'string', default: 'delta' } },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
    return 2;
  }
  const [target, ...extra] = parsed.positionals;
  const mode = parsed.values.mode as ImportMode;
  if (!target || extra.length > 0 || !(importModes as readonly string[]).includes(mode)) {
    console.error(usage);
    return 2;
  }
  const path = resolve(target);
  if (!existsSync(path)) {
    console.error(`No such file or folder: ${path}\n${usage}`);
    return 2;
  }
  const dryRun = parsed.values['dry-run'];
  const config = loadConfig();
  const store = await openStore(config);
  const { db } = store;
  try {
    let shown = -1;
    const outcome = await runImport(
      {
        db,
        now: () => new Date(),
        timeZone: config.timeZone,
        prepareDocuments: documentPreparer(path, new FileStore(join(config.dataDir, 'files')), {
          store: !dryRun,
        }),
        onProgress: ({ done, total }) => {
          const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
          if (process.stderr.isTTY && percent !== shown)
            process.stderr.write(`\rloading ${(shown = percent)} %`);
        },
      },
      await openImportFilesInThread(path),
      { mode, dryRun },
      { source: 'file', label: basename(path) },
    );
    if (process.stderr.isTTY) process.stderr.write('\r');
    if (!outcome.ok) {
      console.error(`Refused: ${outcome.problemCount} problem(s); nothing was stored.`);
      for (const problem of outcome.problems) console.error(describe(problem));
      return 1;
    }
    const { counts } = outcome.result;
    console.log(`${dryRun ? 'Dry run (nothing stored)' : 'Loaded'}: ${basename(path)}, mode ${mode}`);
    console.log(['entity', 'created', 'updated', 'unchanged', 'ended'].map((h) => h.padStart(14)).join(''));
    for (const entity of importEntities) {
      const row = counts[entity];
      console.log(
        [entity, row.created, row.updated, row.unchanged, row.ended]
          .map((v) => String(v).padStart(14))
          .join(''),
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(3);
  },
);
