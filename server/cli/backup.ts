import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { backupDatabase, databaseFileName, Refusal } from './database-file.ts';
import { backupPostgres } from './database-postgres.ts';

/**
 * `npm run backup -- <target>`: an online backup of the store `npm start` serves, while the server
 * runs: with DATABASE_URL a `pg_dump --format=custom` of PostgreSQL (database-postgres.ts), else
 * $DATA_DIR/portier.sqlite through SQLite's backup API. <target> is a file name, or a directory
 * that gets `portier-<time>.sqlite` (`portier-<time>.dump` on PostgreSQL). The files in DATA_DIR
 * are copied by the operator (docs/operations.md "Backup and restore").
 * Exit codes: 0 done, 2 refused (message says why), 1 failed.
 */
async function main(argv: string[]): Promise<number> {
  const [target] = argv;
  if (!target || target.startsWith('-')) {
    console.error(
      'Usage: npm run backup -- <file or directory>   (reads DATABASE_URL, else DATA_DIR, default ./data)',
    );
    return 2;
  }
  const config = loadConfig();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const extension = config.databaseUrl ? 'dump' : 'sqlite';
  const file =
    existsSync(target) && statSync(target).isDirectory()
      ? join(target, `portier-${stamp}.${extension}`)
      : resolve(target);
  if (config.databaseUrl) {
    const report = await backupPostgres(config.databaseUrl, file);
    console.log(
      `Backed up PostgreSQL (DATABASE_URL) to ${report.file} (${report.bytes} bytes, ` +
        `${report.migrations.length} migrations, pg_restore reads it).`,
    );
    return 0;
  }
  const source = join(config.dataDir, databaseFileName);
  const report = await backupDatabase(source, file);
  console.log(
    `Backed up ${source} to ${report.file} (${report.bytes} bytes, ` +
      `${report.migrations.length} migrations, integrity ok).`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Refusal ? `Refused: ${error.message}` : error);
    process.exit(error instanceof Refusal ? 2 : 1);
  },
);
