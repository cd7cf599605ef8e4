import type { Db } from '../../db/client.ts';
import { HttpError } from './http-error.ts';
import { isPostgres } from '../../db/dialect.ts';

/**
 * What is wrong with the database file, as far as a client needs to know. These are conditions of
 * the machine, not of the request (https://sqlite.org/rescode.html): a read-only mount or file,
 * a full disk, an I/O error, a lock held longer than busy_timeout, a file that cannot be opened.
 * They pass when the operator fixes the machine, so the answer is 503 + Retry-After (RFC 9110
 * §15.6.4), never a 500 that would look like a bug in Portier, and the same process recovers.
 */
export type StorageCondition = 'read_only' | 'full' | 'io_error' | 'busy' | 'cannot_open';

/** Primary result codes; better-sqlite3 reports extended codes such as SQLITE_IOERR_WRITE as `.code`. */
const conditionByPrimaryCode: Record<string, StorageCondition> = {
  SQLITE_READONLY: 'read_only',
  SQLITE_FULL: 'full',
  SQLITE_IOERR: 'io_error',
  SQLITE_BUSY: 'busy',
  SQLITE_LOCKED: 'busy',
  SQLITE_CANTOPEN: 'cannot_open',
};

export const storageRetryAfterSeconds = 5;

/**
 * The storage condition behind an error, or null. drizzle wraps driver errors in a
 * DrizzleQueryError whose `cause` is the SqliteError, so the chain of causes is walked.
 */
export function storageConditionOf(error: unknown): StorageCondition | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      // SQLITE_IOERR_WRITE → SQLITE_IOERR, SQLITE_READONLY_DBMOVED → SQLITE_READONLY …
      const primary = /^SQLITE_[A-Z]+/.exec(code)![0];
      return conditionByPrimaryCode[primary] ?? null;
    }
    current = current.cause;
  }
  return null;
}

/** The HTTP and socket answer for a storage condition (same code in both, API.md error shape). */
export function storageUnavailable(): HttpError {
  return new HttpError(
    503,
    'storage_unavailable',
    'Saving is not possible right now. Please try again in a moment.',
    undefined,
    { 'Retry-After': String(storageRetryAfterSeconds) },
  );
}

interface ProbeState {
  checkedAt: number;
  /** What the last probe found. */
  probed: StorageCondition | null;
  /** The last storage failure of a request, and when: health reports it for a few seconds. */
  failed: StorageCondition | null;
  failedAt: number;
}

const probeIntervalMs = 5_000;
const states = new WeakMap<object, ProbeState>();

function stateOf(db: Db): ProbeState {
  let state = states.get(db.$client);
  if (!state)
    states.set(
      db.$client,
      (state = { checkedAt: -Infinity, probed: null, failed: null, failedAt: -Infinity }),
    );
  return state;
}

/**
 * Remembers that a request just failed on storage. The probe cannot see everything (on a full
 * disk a rolled-back write never reaches the file), so health reports a real failure for 5 s.
 */
export function noteStorageFailure(db: Db, condition: StorageCondition, now: number): void {
  const state = stateOf(db);
  state.failed = condition;
  state.failedAt = now;
}

/**
 * Whether the database takes writes: a write that is rolled back at once. Creating a table needs
 * a new page, so it fails on a read-only file (SQLITE_READONLY) and on a database at its size
 * limit (SQLITE_FULL) alike, and nothing reaches the file. At most every 5 s, so a health check
 * polled by a load balancer costs nothing. busy_timeout is 0 for the probe: a writer of another
 * process (backup) holding the lock means the file is writable, and the event loop never waits.
 */
export function storageCondition(db: Db, now: number): StorageCondition | null {
  const state = stateOf(db);
  if (now - state.failedAt < probeIntervalMs) return state.failed;
  if (now - state.checkedAt < probeIntervalMs) return state.probed;
  // PostgreSQL: no file to probe here (read-only or full is the server's, met by the statement that
  // hits it); a request's storage failure above still shows for a few seconds.
  if (isPostgres(db)) return null;
  const sqlite = db.$client;
  if (sqlite.inTransaction) return state.probed;
  const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
  let condition: StorageCondition | null = null;
  try {
    sqlite.pragma('busy_timeout = 0');
    sqlite.exec('BEGIN IMMEDIATE');
    try {
      sqlite.exec('CREATE TABLE portier_write_probe (x)');
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    }
  } catch (error) {
    condition = storageConditionOf(error) ?? 'io_error';
    if (condition === 'busy') condition = null;
  } finally {
    sqlite.pragma(`busy_timeout = ${busyTimeout}`);
  }
  state.checkedAt = now;
  state.probed = condition;
  return condition;
}
