import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { debianPostgresBinDirs, findExecutableIn, pathDirs } from '../lib/executables.ts';
import { resetPostgres } from '../../db/client-pg.ts';
import { fsyncPath, migrationLevel, Refusal, type DatabaseFileReport } from './database-file.ts';

/**
 * Backup and restore of a PostgreSQL database (`DATABASE_URL`, docs/operations.md "Backup and
 * restore") with PostgreSQL's own tools: `pg_dump --format=custom` and `pg_restore`. Like the
 * SQLite commands (database-file.ts) they verify what they write or read, never overwrite a backup
 * and keep what a restore replaces.
 *
 * The password never goes on a command line, where `ps` shows it to every user of the machine: the
 * tools get the URL without it in `--dbname`, and the password in PGPASSWORD, in their environment
 * (readable by the same user only).
 */

/** The path of `pg_dump` or `pg_restore` (PATH, then Debian's folders); a refusal saying how to get it. */
export function findPostgresTool(
  name: 'pg_dump' | 'pg_restore',
  dirs = [...pathDirs(), ...debianPostgresBinDirs()],
): string {
  const found = findExecutableIn(name, dirs);
  if (found) return found;
  throw new Refusal(
    `${name} was not found on PATH or in /usr/lib/postgresql/*/bin. Install PostgreSQL's client tools ` +
      "(Debian and Ubuntu: apt install postgresql-client), of the server's major version or newer.",
  );
}

/**
 * How a tool connects to `url`: the URL without its password (as `--dbname`), and the environment
 * that carries the password. A password given as the `password` query parameter moves too.
 */
export function toolConnection(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = parsed.password
    ? decodeURIComponent(parsed.password)
    : (parsed.searchParams.get('password') ?? undefined);
  parsed.password = '';
  parsed.searchParams.delete('password');
  // Settings of the operator's own shell must not change which server or database is meant.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('PG')));
  return { dbname: parsed.toString(), env: password === undefined ? env : { ...env, PGPASSWORD: password } };
}

interface ToolRun {
  stdout: string;
  stderr: string;
}

/** Runs a tool; rejects with its own message when it fails. */
function runTool(path: string, args: string[], env: NodeJS.ProcessEnv): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`${path.split('/').pop()} failed (exit code ${code}): ${stderr.trim()}`));
    });
  });
}

/**
 * Checks a dump as a restore relies on it: `pg_restore` reads its table of contents, it holds
 * Portier's migration history, and its migration level is one this code can run (the same or
 * older; a newer dump was written by a newer version). The history's rows come from the dump's
 * own data (`COPY … FROM stdin`, tab-separated: id, hash, created_at).
 */
export async function verifyDump(file: string): Promise<DatabaseFileReport> {
  if (!existsSync(file)) throw new Refusal(`${file} does not exist.`);
  const pgRestore = findPostgresTool('pg_restore');
  let contents: string;
  try {
    contents = (await runTool(pgRestore, ['--list', file], process.env)).stdout;
  } catch (error) {
    throw new Refusal(`${file} is not a dump pg_restore can read: ${(error as Error).message}`);
  }
  if (!/TABLE DATA drizzle __drizzle_migrations /.test(contents))
    throw new Refusal(`${file} is not a dump of a Portier database (no migration history).`);
  const history = (
    await runTool(
      pgRestore,
      ['--data-only', '--schema=drizzle', '--table=__drizzle_migrations', '--file=-', file],
      process.env,
    )
  ).stdout;
  const copy = /^COPY drizzle\.__drizzle_migrations \(([^)]*)\) FROM stdin;\n([\s\S]*?)^\\\.$/m.exec(history);
  if (!copy) throw new Refusal(`${file} holds no readable migration history.`);
  const column = copy[1]!
    .split(',')
    .map((name) => name.trim())
    .indexOf('created_at');
  if (column < 0) throw new Refusal(`${file} holds no readable migration history.`);
  const applied = copy[2]!
    .split('\n')
    .filter(Boolean)
    .map((line) => Number(line.split('\t')[column]));
  return { file, bytes: statSync(file).size, ...migrationLevel(file, applied, 'migrations-pg') };
}

/**
 * `npm run backup` with DATABASE_URL: `pg_dump --format=custom`, one consistent snapshot while the
 * servers run, written to `<target>.partial`, checked, then renamed: a target that exists is always
 * a complete backup.
 */
export async function backupPostgres(url: string, target: string): Promise<DatabaseFileReport> {
  if (existsSync(target)) throw new Refusal(`${target} exists already; choose a new name.`);
  const pgDump = findPostgresTool('pg_dump');
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const { dbname, env } = toolConnection(url);
  let report: DatabaseFileReport;
  try {
    await runTool(pgDump, ['--format=custom', `--file=${partial}`, `--dbname=${dbname}`], env);
    fsyncPath(partial);
    report = await verifyDump(partial);
    renameSync(partial, target);
    fsyncPath(dirname(target));
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  // The rename changed the name only: what was verified is what the target holds.
  return { ...report, file: target };
}

export interface PostgresRestoreResult extends DatabaseFileReport {
  /** The dump of what the restore replaced, in DATA_DIR. */
  previous: string;
}

/**
 * Sessions on the database other than `client`'s own: a server still running, most likely. A
 * server just stopped may leave sessions that are ending: they are given a few seconds to go.
 */
async function otherSessions(client: pg.Client): Promise<string[]> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const { rows } = await client.query<{ name: string }>(
      `select coalesce(nullif(application_name, ''), client_addr::text, 'local') as name
         from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()
          and backend_type = 'client backend'`,
    );
    if (rows.length === 0 || Date.now() > deadline) return rows.map((row) => row.name);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `npm run restore` with DATABASE_URL. Refuses while any other session uses the database (stop
 * every instance first) and when the dump does not verify. Then it dumps what is there to
 * `$DATA_DIR/portier-before-restore-<time>.dump` (so a restore can be undone, as on SQLite), empties
 * the database — the schemas `public` and `drizzle`, so no table of a newer migration stays behind
 * to break the next start's migrations — and restores with `pg_restore --clean --if-exists
 * --no-owner` in one transaction: the objects belong to the role of DATABASE_URL, and a restore
 * that fails leaves the emptied database, with the before-restore dump beside it.
 */
export async function restorePostgres(
  url: string,
  backup: string,
  dataDir: string,
  now = new Date(),
): Promise<PostgresRestoreResult> {
  const report = await verifyDump(backup);
  const pgRestore = findPostgresTool('pg_restore');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const others = await otherSessions(client);
    if (others.length > 0)
      throw new Refusal(
        `the database is in use by ${others.length} other session(s) (${[...new Set(others)].join(', ')}): ` +
          'stop every instance first (docs/operations.md "Restore").',
      );
  } finally {
    await client.end();
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const previous = join(dataDir, `portier-before-restore-${stamp}.dump`);
  await backupPostgres(url, previous);
  await resetPostgres(url);
  const { dbname, env } = toolConnection(url);
  await runTool(
    pgRestore,
    ['--clean', '--if-exists', '--no-owner', '--single-transaction', `--dbname=${dbname}`, backup],
    env,
  );
  return { ...report, previous };
}
