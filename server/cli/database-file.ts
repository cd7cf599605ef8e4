import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { migrationsFolder } from '../../db/migrations-folder.ts';

/**
 * Backup and restore of the SQLite file (docs/operations.md "Backup and restore"). No drizzle and
 * no app wiring on purpose: these run beside a live server (backup) or instead of one (restore),
 * and must work on a database the running code did not open.
 */

export const databaseFileName = 'portier.sqlite';

/** A refusal the operator can act on (exit code 2), as opposed to a crash (exit code 1). */
export class Refusal extends Error {}

/**
 * Every migration this code knows in a history (`db/migrations`, or `db/migrations-pg` for
 * PostgreSQL), by the `when` drizzle-kit stamps into `__drizzle_migrations.created_at`.
 */
function knownMigrations(history?: string): Map<number, string> {
  const journal = JSON.parse(
    readFileSync(join(migrationsFolder(history), 'meta', '_journal.json'), 'utf8'),
  ) as { entries: { when: number; tag: string }[] };
  return new Map(journal.entries.map((entry) => [entry.when, entry.tag]));
}

export interface DatabaseFileReport {
  file: string;
  bytes: number;
  /** Tags of the applied migrations, oldest first. */
  migrations: string[];
  /** Migrations of this code the file does not have yet: they run at the next start. */
  pending: string[];
}

/**
 * Where a backup's migration history (the `created_at` stamps of its `__drizzle_migrations`) stands
 * against this code's: a refusal when it has migrations this code does not know (a newer version
 * wrote it, whose schema this code would misread), else what it has and what runs at the next start.
 */
export function migrationLevel(
  file: string,
  applied: number[],
  history?: string,
): Pick<DatabaseFileReport, 'migrations' | 'pending'> {
  const known = knownMigrations(history);
  const unknown = applied.filter((when) => !known.has(when));
  if (unknown.length > 0) {
    throw new Refusal(
      `${file} has ${unknown.length} migration(s) this version does not know: it was written by a newer ` +
        'Portier. Restore it with that version (docs/operations.md "Upgrade").',
    );
  }
  const appliedSet = new Set(applied);
  return {
    migrations: [...applied].sort((a, b) => a - b).map((when) => known.get(when)!),
    pending: [...known].filter(([when]) => !appliedSet.has(when)).map(([, tag]) => tag),
  };
}

/**
 * Opens read-only and checks what a restore relies on: SQLite's own `PRAGMA integrity_check`, and a
 * migration level this code can run (the same or older; a newer file was written by a newer
 * version, whose schema this code would misread).
 */
export function verifyDatabaseFile(file: string): DatabaseFileReport {
  if (!existsSync(file)) throw new Refusal(`${file} does not exist.`);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Refusal(`${file} cannot be opened as SQLite: ${(error as Error).message}`);
  }
  try {
    let integrity: string[];
    try {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      integrity = rows.map((row) => row.integrity_check);
    } catch (error) {
      throw new Refusal(`${file} is not a readable SQLite database: ${(error as Error).message}`);
    }
    if (integrity.length !== 1 || integrity[0] !== 'ok') {
      throw new Refusal(`${file} failed PRAGMA integrity_check: ${integrity.slice(0, 5).join('; ')}`);
    }
    const hasJournal = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
      .get();
    if (!hasJournal) throw new Refusal(`${file} is not a Portier database (no migration table).`);
    const applied = db
      .prepare('SELECT created_at FROM __drizzle_migrations ORDER BY created_at')
      .pluck()
      .all() as number[];
    return { file, bytes: statSync(file).size, ...migrationLevel(file, applied.map(Number)) };
  } finally {
    db.close();
  }
}

/**
 * True while another process has the database open. In WAL mode every open connection holds a
 * shared lock on the wal-index, even when idle, so `locking_mode=EXCLUSIVE` cannot take the file
 * (SQLite "WAL mode" §8, "Use of WAL without shared memory"). Leaves the file checkpointed and its
 * -wal/-shm removed when nobody else had it open.
 */
export function isDatabaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new Database(file, { fileMustExist: true, timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT');
    db.pragma('wal_checkpoint(TRUNCATE)');
    return false;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw error;
  } finally {
    db.close();
  }
}

/** Flushes a file, or a directory's entries, to the disk. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * `npm run backup -- <target>`: SQLite's online backup API (better-sqlite3 `db.backup()`) while the
 * server keeps running. The copy is one consistent snapshot: after the first small step the rest is
 * copied in one go, so writes from the server cannot restart it again and again. Written to
 * `<target>.partial`, checked, then renamed: a target that exists is always a complete backup.
 */
export async function backupDatabase(source: string, target: string): Promise<DatabaseFileReport> {
  if (!existsSync(source)) throw new Refusal(`No database at ${source} (is DATA_DIR right?).`);
  if (existsSync(target)) throw new Refusal(`${target} exists already; choose a new name.`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true, timeout: 5000 });
  try {
    await db.backup(partial, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  try {
    // The backup is written in rollback-journal mode; make it self-contained before it leaves.
    const copy = new Database(partial);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    fsyncPath(partial);
    verifyDatabaseFile(partial);
    renameSync(partial, target);
    fsyncPath(dirname(target));
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return verifyDatabaseFile(target);
}

export interface RestoreResult extends DatabaseFileReport {
  /** Where the database that was replaced now lives (null when DATA_DIR had none). */
  previous: string | null;
}

/**
 * `npm run restore -- <file>`: refuses while a server holds DATA_DIR's database, verifies the file,
 * copies it next to the database, and swaps it in with rename(2) (atomic on one file system). The
 * replaced database is kept as `portier.sqlite.before-restore-<time>`, so a restore can be undone.
 */
export function restoreDatabase(backup: string, dataDir: string, now = new Date()): RestoreResult {
  const report = verifyDatabaseFile(backup);
  const target = join(dataDir, databaseFileName);
  if (isDatabaseInUse(target)) {
    throw new Refusal(`${target} is in use: stop the server first (docs/operations.md "Restore").`);
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const incoming = `${target}.restore-${stamp}`;
  const previous = existsSync(target) ? `${target}.before-restore-${stamp}` : null;
  copyFileSync(backup, incoming, constants.COPYFILE_EXCL);
  fsyncPath(incoming);
  verifyDatabaseFile(incoming);
  if (previous) renameSync(target, previous);
  // isDatabaseInUse checkpointed and closed the old file; any -wal/-shm left would belong to it.
  for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
  renameSync(incoming, target);
  fsyncPath(dataDir);
  return { ...report, file: target, previous };
}
