import { setImmediate, clearImmediate } from 'node:timers';
import type { Database, Statement } from 'better-sqlite3';
import { openDatabase, type Db } from '../../db/client.ts';
import type { Tx } from '../../db/transaction.ts';
import type { Deps } from '../deps.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import { project } from '../events/projector.ts';
import { Mutex } from './mutex.ts';
import { isPostgres } from '../../db/dialect.ts';
import { unitOfWorkOnPostgres } from './postgres.ts';

/**
 * The one way to change state (DESIGN.md "Architecture"):
 *
 *   await unitOfWork(deps, async (uow) => { …repositories on uow.tx…; uow.record({ type: … }) })
 *
 * BEGIN IMMEDIATE, the work, then the projector turns the recorded domain events into event-log,
 * outbox and webhook rows in the same transaction, COMMIT, and only then the stored rows go to the
 * bus for the live layer. A failing work rolls everything back and publishes nothing.
 *
 * Isolation. better-sqlite3 is synchronous and a connection has one transaction: while a unit
 * awaits, any statement another request runs on the same connection would land inside the open
 * transaction (and see its uncommitted rows). So a unit writes on a connection of its own, the
 * writer, opened on the same file; WAL lets every other request read the last committed state on
 * the main connection meanwhile. Units take a mutex, so one unit at a time has the writer.
 *
 * No I/O inside. A unit may await (repositories over the synchronous driver resolve in microtasks)
 * but must not wait for the network or disk: the write lock would be held across event-loop
 * turns, and a synchronous write elsewhere on the main connection would wait on the busy timeout.
 * A unit still open when the event loop turns is rolled back with an error. A work that returns
 * synchronously commits with no gap at all.
 */
export interface UnitOfWork {
  /** The unit's transaction: every statement on it commits or rolls back with the unit. */
  readonly tx: Tx;
  /** A domain event, projected into stored rows at commit (server/events/projector.ts). */
  readonly record: (event: DomainEvent) => void;
}

interface Writer {
  db: Db;
  mutex: Mutex;
  begin: Statement;
  commit: Statement;
  rollback: Statement;
  /** `PRAGMA busy_timeout` of the main connection, and the value the writer has now. */
  mainBusyTimeout: Statement;
  busyTimeout: number;
}

const writers = new WeakMap<Database, Writer>();

/**
 * The writer of a database, opened on first use. An in-memory database cannot be opened twice:
 * there the main connection writes too (only tests of single statements use one).
 */
function writerOf(db: Db): Writer {
  const main = db.$client;
  let writer = writers.get(main);
  if (!writer) {
    const own = main.memory ? db : openDatabase(main.name, { migrate: false });
    writer = {
      db: own,
      mutex: new Mutex(),
      begin: own.$client.prepare('BEGIN IMMEDIATE'),
      commit: own.$client.prepare('COMMIT'),
      rollback: own.$client.prepare('ROLLBACK'),
      mainBusyTimeout: main.prepare('PRAGMA busy_timeout').pluck(),
      busyTimeout: own.$client.pragma('busy_timeout', { simple: true }) as number,
    };
    writers.set(main, writer);
  }
  return writer;
}

/**
 * The writer waits for a lock as long as the main connection would: an ERP load lowers that to a
 * moment while it holds the lock (services/import/jobs.ts), so a write answers 503 at once
 * instead of stopping the event loop for the usual 5 s.
 */
function followBusyTimeout(writer: Writer): void {
  const wanted = writer.mainBusyTimeout.get() as number;
  if (wanted === writer.busyTimeout) return;
  writer.db.$client.pragma(`busy_timeout = ${wanted}`);
  writer.busyTimeout = wanted;
}

/**
 * The connections a database's state lives on: the main connection (reads, the import's own work)
 * and the writer units write on. A condition of the file (read-only, full) holds on both; the
 * storage fault tests set it on each.
 */
export function connectionsOf(db: Db): Database[] {
  const writer = writerOf(db).db.$client;
  return writer === db.$client ? [db.$client] : [db.$client, writer];
}

/** Closes the writer of a database (shutdown, the end of a test); the next unit opens it again. */
export function closeWriter(db: Db): void {
  const writer = writers.get(db.$client);
  if (!writer) return;
  writers.delete(db.$client);
  if (writer.db !== db && writer.db.$client.open) writer.db.$client.close();
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> =>
  typeof (value as Promise<T> | undefined)?.then === 'function';

/** What a unit of work needs of the dependencies: the database, the landlord's zone, the bus. */
export type UnitOfWorkDeps = Pick<Deps, 'db' | 'config' | 'bus'>;

export async function unitOfWork<T>(
  deps: UnitOfWorkDeps,
  work: (uow: UnitOfWork) => T | Promise<T>,
): Promise<T> {
  // PostgreSQL: concurrent units, made safe by isolation and a lock on the log (postgres.ts).
  if (isPostgres(deps.db)) return await unitOfWorkOnPostgres(deps, work);
  const writer = writerOf(deps.db);
  const release = await writer.mutex.acquire();
  try {
    const client = writer.db.$client;
    const recorded: DomainEvent[] = [];
    // A database handle inside BEGIN IMMEDIATE: to the repositories, a transaction like db.transaction's.
    const uow: UnitOfWork = { tx: writer.db as unknown as Tx, record: (event) => void recorded.push(event) };
    let result: T;
    let projection;
    followBusyTimeout(writer);
    writer.begin.run();
    try {
      // Set before the work starts, so it runs before anything the work itself waits for.
      let turned = false;
      const guard = setImmediate(() => (turned = true));
      try {
        const pending = work(uow);
        result = isPromise(pending) ? await pending : pending;
      } finally {
        clearImmediate(guard);
      }
      if (turned) throw new Error('a unit of work waited for I/O with its transaction open');
      projection = await project(uow.tx, recorded, { timeZone: deps.config.timeZone });
      writer.commit.run();
    } catch (error) {
      if (client.inTransaction) writer.rollback.run();
      throw error;
    }
    if (projection.events.length > 0) {
      deps.bus.publish('log.committed', { events: projection.events, tickets: projection.tickets });
    }
    return result;
  } finally {
    release();
  }
}
