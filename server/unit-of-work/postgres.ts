import { inSerializableTransaction, queueForUnitOfWork } from '../../db/transaction.ts';
import type { DomainEvent } from '../events/domain-events.ts';
import { project } from '../events/projector.ts';
import type { UnitOfWork, UnitOfWorkDeps } from './index.ts';
import { sqlStateOf } from '../lib/storage-errors.ts';

/*
 * The unit of work on PostgreSQL (issue 19). On SQLite one writer at a time gave two guarantees for
 * free; here they are explicit:
 *
 * - A unit behaves as if it ran alone: SERIALIZABLE, and a unit PostgreSQL refuses for a
 *   conflicting concurrent one (serialization failure, deadlock) runs again from the start. That is
 *   safe because a unit does nothing but database work (no I/O inside, index.ts): its recorded
 *   events are dropped with the failed attempt. Checks made inside a unit (a client id already
 *   used, a ticket already closed) therefore hold at commit, on any number of instances.
 * - Units queue: each first waits on a lock of the event log (db/transaction.ts
 *   `queueForUnitOfWork`), taken before its snapshot, so units run one after another across
 *   instances, each from the last one's committed state. Without it, units on one hot row (a burst
 *   of messages to one ticket from two instances) refused each other in turn until a unit ran out
 *   of attempts. Reads outside units (pages, resyncs) do not wait. Units commit one at a time, as
 *   on SQLite; instances add reading, sockets and CPU, not parallel writes.
 * - Event-log ids are visible in order: a resyncing client asks for "everything after id N", so
 *   no row may become visible after a larger id has been read. Sequence values are handed out
 *   outside transactions; units append one after another (above), and an append outside a unit
 *   takes the log's advisory lock (db/repositories/events.ts), held until its COMMIT. An ERP load
 *   holds the queue's lock for its whole transaction (db/transaction.ts `inLoadTransaction`).
 * - A unit waits for its turn at most `queueTimeoutMs`, as a write on SQLite waits for the lock at
 *   most its busy_timeout: then it answers 503 with Retry-After (lib/storage-errors.ts), and a
 *   write that cannot go on does not hold a pooled connection that reads need. While this process
 *   runs a load (services/import/jobs.ts) the wait is a moment, like SQLite's during a load.
 */

/** How long a unit waits for its turn; units are short, so this is a queue gone wrong or a load. */
export const queueTimeoutMs = 5_000;

/** The queue waits of pools this process runs a load on: the shortest one asked for counts. */
const shortenedWaits = new WeakMap<object, number[]>();

/**
 * Until the returned release is called, units on `db` wait at most `waitMs` for their turn: the
 * process runs a load, which holds the queue for all of it.
 */
export function shortenQueueWait(db: Pick<UnitOfWorkDeps['db'], '$client'>, waitMs: number): () => void {
  const waits = shortenedWaits.get(db.$client) ?? [];
  shortenedWaits.set(db.$client, waits);
  waits.push(waitMs);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    waits.splice(waits.indexOf(waitMs), 1);
  };
}

function queueWaitOf(db: Pick<UnitOfWorkDeps['db'], '$client'>): number {
  const waits = shortenedWaits.get(db.$client);
  return waits && waits.length > 0 ? Math.min(...waits) : queueTimeoutMs;
}

/**
 * How often a unit runs at most when PostgreSQL keeps refusing it: units queue (above), so what
 * remains are conflicts with transactions outside units (sessions, an ERP load).
 */
const maxAttempts = 30;

/** serialization_failure, deadlock_detected (PostgreSQL's SQLSTATE codes). */
const retryable = new Set(['40001', '40P01']);

export async function unitOfWorkOnPostgres<T>(
  deps: UnitOfWorkDeps,
  work: (uow: UnitOfWork) => T | Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { result, projection } = await inSerializableTransaction(deps.db, async (tx) => {
        await queueForUnitOfWork(tx, queueWaitOf(deps.db));
        const recorded: DomainEvent[] = [];
        const result = await work({ tx, record: (event) => void recorded.push(event) });
        const projection = await project(tx, recorded, { timeZone: deps.config.timeZone });
        return { result, projection };
      });
      if (projection.events.length > 0) {
        deps.bus.publish('log.committed', { events: projection.events, tickets: projection.tickets });
      }
      return result;
    } catch (error) {
      if (attempt >= maxAttempts || !retryable.has(sqlStateOf(error) ?? '')) throw error;
      // A jittered pause growing to 64 ms, so the units that collided do not collide again at once.
      const pause = Math.random() * Math.min(64, 2 ** attempt);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
