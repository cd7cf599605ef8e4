import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  debianPostgresBinDirs,
  findExecutable,
  freePort,
  run,
  stopProcess,
  waitForOutput,
} from './server-binaries.ts';

interface PostgresBinaries {
  initdb: string;
  postgres: string;
  /** PostgreSQL refuses to run as root: then it runs as Debian's `postgres` account. */
  account?: { uid: number; gid: number };
}

/** The account named `name` in /etc/passwd, if any. */
function systemAccount(name: string): { uid: number; gid: number } | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [user, , uid, gid] = line.split(':');
      if (user === name && uid && gid) return { uid: Number(uid), gid: Number(gid) };
    }
  } catch {
    // no passwd file: no account
  }
  return undefined;
}

/** The binaries of a local PostgreSQL, or why there are none. */
export function findPostgres(): PostgresBinaries | string {
  const dirs = debianPostgresBinDirs();
  const initdb = findExecutable('initdb', dirs);
  const postgres = findExecutable('postgres', dirs);
  if (!initdb || !postgres) return 'initdb/postgres not found on PATH or in /usr/lib/postgresql/*/bin';
  if (process.getuid?.() !== 0) return { initdb, postgres };
  const account = systemAccount('postgres');
  if (!account) return 'running as root and there is no postgres account to run the server as';
  return { initdb, postgres, account };
}

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
export function postgresMissing(): string | undefined {
  const found = findPostgres();
  return typeof found === 'string' ? found : undefined;
}

export interface PgServer {
  /** `postgres://…` of a fresh, empty database on the server. */
  url: string;
  port: number;
  stop(): Promise<void>;
  /**
   * Shuts the server down and keeps its data, as an operator's restart or a failover does:
   * `fast` (the default) ends open sessions with 57P01 at once, `smart` waits for them, `immediate`
   * is a crash (recovery at the next start). https://www.postgresql.org/docs/current/server-shutdown.html
   */
  shutDown(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Starts the shut-down server again, on the same port, with the same data. */
  startAgain(): Promise<void>;
}

const shutdownSignals = { smart: 'SIGTERM', fast: 'SIGINT', immediate: 'SIGQUIT' } as const;

/**
 * A throwaway PostgreSQL cluster: initdb into a temp dir, the server on a free port of 127.0.0.1
 * (its socket in the same dir), one empty database; `stop()` shuts it down and removes the dir.
 * No system service is used or touched. Settings trade durability for speed (a test cluster).
 */
export async function startPgServer(database = 'portier_test'): Promise<PgServer> {
  const found = findPostgres();
  if (typeof found === 'string') throw new Error(found);
  const dir = mkdtempSync(join(tmpdir(), 'portier-pg-'));
  const as = found.account ?? {};
  if (found.account) chownSync(dir, found.account.uid, found.account.gid);
  const dataDir = join(dir, 'data');
  try {
    // The C locale on purpose: the search fold must not depend on a locale's case rules.
    await run(
      found.initdb,
      ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale', '--no-sync'],
      as,
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const launch = async (port: number) => {
    const server = spawn(
      found.postgres,
      [
        ...['-D', dataDir, '-k', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'],
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      ],
      { ...as, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      await waitForOutput(server, /database system is ready to accept connections/, 60_000);
      return server;
    } catch (error) {
      await stopProcess(server, ['SIGINT']);
      throw error;
    }
  };
  // The free port may be taken between the probe and the bind by another test's server: retry.
  let port = await freePort();
  let server: ChildProcess | undefined;
  for (let attempt = 1; !server; attempt++) {
    try {
      server = await launch(port);
    } catch (error) {
      if (attempt === 3 || !/Address already in use/.test(String(error))) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
      port = await freePort();
    }
  }
  let running: ChildProcess | undefined = server;
  const killOnExit = () => running?.kill('SIGKILL');
  process.once('exit', killOnExit);
  const shutDown = async (mode: 'smart' | 'fast' | 'immediate' = 'fast') => {
    const halting = running;
    running = undefined;
    if (halting) await stopProcess(halting, [shutdownSignals[mode], 'SIGINT']);
  };
  const startAgain = async () => {
    if (running) throw new Error('PostgreSQL is running already');
    running = await launch(port);
  };
  const stop = async () => {
    process.off('exit', killOnExit);
    // SIGTERM, the "smart" shutdown, lets connections a client is still closing end by themselves
    // (pg's Pool.end() resolves before its sockets close; a "fast" shutdown would answer them with
    // a FATAL error the client no longer listens for). A session left open gets the fast one.
    await shutDown('smart');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`create database ${pg.escapeIdentifier(database)}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/${database}`, port, stop, shutDown, startAgain };
}
