import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { Refusal, restoreDatabase } from './database-file.ts';
import { restorePostgres } from './database-postgres.ts';

/**
 * `npm run restore -- <backup file>`: replaces the store `npm start` serves with a verified backup:
 * with DATABASE_URL PostgreSQL from a `pg_dump` of `npm run backup` (pg_restore,
 * database-postgres.ts), else $DATA_DIR/portier.sqlite. Refuses while a server uses the database:
 * stop it first, restore, start it (pending migrations run at start). Exit codes: 0 done, 2 refused
 * (message says why), 1 failed.
 */
async function main(argv: string[]): Promise<number> {
  const [backup] = argv;
  if (!backup || backup.startsWith('-')) {
    console.error(
      'Usage: npm run restore -- <backup file>   (writes DATABASE_URL, else DATA_DIR, default ./data)',
    );
    return 2;
  }
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const result = config.databaseUrl
    ? await restorePostgres(config.databaseUrl, resolve(backup), config.dataDir)
    : restoreDatabase(resolve(backup), config.dataDir);
  const into = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : result.file;
  console.log(
    `Restored ${resolve(backup)} into ${into} (${config.databaseUrl ? 'verified' : 'integrity ok'}).`,
  );
  if (result.previous) console.log(`The replaced database is kept as ${result.previous}.`);
  if (result.pending.length > 0) {
    console.log(`Migrations to run at the next start: ${result.pending.join(', ')}.`);
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Refusal ? `Refused: ${error.message}` : error);
    process.exit(error instanceof Refusal ? 2 : 1);
  },
);
