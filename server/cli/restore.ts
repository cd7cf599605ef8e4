import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { Refusal, restoreDatabase } from './database-file.ts';

/**
 * `npm run restore -- <backup file>`: replaces $DATA_DIR/portier.sqlite with a verified backup.
 * Refuses while a server has the database open: stop it first, restore, start it (pending
 * migrations run at start). Exit codes: 0 done, 2 refused (message says why), 1 failed.
 */
function main(argv: string[]): number {
  const [backup] = argv;
  if (!backup || backup.startsWith('-')) {
    console.error('Usage: npm run restore -- <backup file>   (writes DATA_DIR, default ./data)');
    return 2;
  }
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });
  const result = restoreDatabase(resolve(backup), config.dataDir);
  console.log(`Restored ${resolve(backup)} into ${result.file} (integrity ok).`);
  if (result.previous) console.log(`The replaced database is kept as ${result.previous}.`);
  if (result.pending.length > 0) {
    console.log(`Migrations to run at the next start: ${result.pending.join(', ')}.`);
  }
  return 0;
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (error) {
  console.error(error instanceof Refusal ? `Refused: ${error.message}` : error);
  process.exit(error instanceof Refusal ? 2 : 1);
}
