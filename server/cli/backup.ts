import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../config.ts';
import { backupDatabase, databaseFileName, Refusal } from './database-file.ts';

/**
 * `npm run backup -- <target>`: an online backup of $DATA_DIR/portier.sqlite while the server
 * runs. <target> is a file name, or a directory that gets `portier-<time>.sqlite`.
 * Exit codes: 0 done, 2 refused (message says why), 1 failed.
 */
async function main(argv: string[]): Promise<number> {
  const [target] = argv;
  if (!target || target.startsWith('-')) {
    console.error('Usage: npm run backup -- <file or directory>   (reads DATA_DIR, default ./data)');
    return 2;
  }
  const config = loadConfig();
  const source = join(config.dataDir, databaseFileName);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file =
    existsSync(target) && statSync(target).isDirectory()
      ? join(target, `portier-${stamp}.sqlite`)
      : resolve(target);
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
