import { hasPendingSearchWork, indexPendingTickets } from '../../../db/repositories/ticket-search.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import type { Deps } from '../../deps.ts';
import { busOf } from '../../events/bus.ts';
import { storageConditionOf } from '../../lib/storage-errors.ts';

/** Tickets re-indexed per transaction before a search: keeps the write lock short. */
const searchBatchSize = 200;
/**
 * Tickets re-indexed per background step. A document of 100 messages takes a millisecond or a few
 * to rebuild; between steps the event loop serves sockets and requests, so a burst of changed
 * tickets never stalls the live layer for more than a few milliseconds.
 */
const backgroundBatchSize = 16;

/** Indexes at most `limit` pending tickets; false when the database cannot be written (logged). */
async function indexStep(deps: Deps, limit: number): Promise<number | false> {
  try {
    return await unitOfWork(deps, async ({ tx }) => await indexPendingTickets(tx, limit));
  } catch (error) {
    if (!storageConditionOf(error)) throw error;
    if (deps.config.logLevel !== 'silent')
      console.warn('search index not updated:', (error as Error).message);
    return false;
  }
}

/**
 * Brings the inbox search index up to date (migration 0007: writes only note the tickets whose
 * document is stale). Called before every search, so a search sees every committed change. A
 * database that cannot be written (read-only, full, busy: issue 7) leaves the index as it is and
 * the search answers from it, a little behind, rather than failing a read. Returns the tickets
 * indexed.
 */
export async function catchUpSearchIndex(deps: Deps): Promise<number> {
  let indexed = 0;
  while (await hasPendingSearchWork(deps.db)) {
    const step = await indexStep(deps, searchBatchSize);
    if (step === false) break;
    indexed += step;
  }
  return indexed;
}

/**
 * One background run: steps of `backgroundBatchSize` tickets, each its own short unit of work, with
 * a turn of the event loop between them. Only a full step leaves a backlog to go on with; a ticket
 * changed during the run waits for the next one (its commit scheduled it). Under a steady stream of
 * messages a run that went on while anything at all was pending rebuilt the busy tickets' documents
 * back to back. Returns the tickets indexed; a database that cannot be written ends the run.
 */
export async function runSearchIndexer(deps: Deps, stopped: () => boolean = () => false): Promise<number> {
  let indexed = 0;
  for (;;) {
    const step = await indexStep(deps, backgroundBatchSize);
    if (step === false) return indexed;
    indexed += step;
    if (step < backgroundBatchSize || stopped()) return indexed;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Indexes in the background, off the path of the write that made a ticket stale: `delayMs` after
 * the first committed change (one run then covers every ticket changed meanwhile, a ticket with
 * many messages once), and every `sweepMs` for changes made by other processes (imports, the CLI).
 * A run works in small steps and yields to the event loop between them (`runSearchIndexer`).
 * Beside the outbox worker in server/main.ts.
 *
 * The delay costs no search its freshness (a search catches up first, `catchUpSearchIndex`); it
 * bounds how often a busy ticket's document is rebuilt: at most once per run.
 */
export function startSearchIndexer(deps: Deps, { delayMs = 250, sweepMs = 30_000 } = {}): () => void {
  let scheduled: NodeJS.Timeout | null = null;
  let running = false;
  let stopped = false;
  const run = () => {
    scheduled = null;
    if (stopped) return;
    // A change committed while a run is under way may come after its last step: look again later.
    if (running) return schedule();
    running = true;
    runSearchIndexer(deps, () => stopped)
      .catch((error: unknown) => {
        if (deps.config.logLevel !== 'silent') console.error('search indexer failed', error);
      })
      .finally(() => (running = false));
  };
  const schedule = () => {
    if (scheduled || stopped) return;
    scheduled = setTimeout(run, delayMs);
    scheduled.unref();
  };
  const off = busOf(deps).on('log.committed', schedule);
  const sweep = setInterval(schedule, sweepMs);
  sweep.unref();
  schedule();
  return () => {
    stopped = true;
    off();
    clearInterval(sweep);
    if (scheduled) clearTimeout(scheduled);
  };
}
