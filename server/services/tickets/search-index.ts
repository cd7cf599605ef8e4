import { hasPendingSearchWork, indexPendingTickets } from '../../../db/repositories/ticket-search.ts';
import { inTransaction } from '../../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import { busOf } from '../../events/bus.ts';
import { storageConditionOf } from '../../lib/storage-errors.ts';

/** Tickets re-indexed per transaction: keeps the write lock short when many are pending. */
const batchSize = 200;

/**
 * Brings the inbox search index up to date (migration 0007: writes only note the tickets whose
 * document is stale). Called before every search, so a search sees every committed change. A
 * database that cannot be written (read-only, full, busy: issue 7) leaves the index as it is and
 * the search answers from it, a little behind, rather than failing a read. Returns the tickets
 * indexed.
 */
export function catchUpSearchIndex(deps: Deps): number {
  let indexed = 0;
  try {
    while (hasPendingSearchWork(deps.db)) {
      indexed += inTransaction(deps.db, (tx) => indexPendingTickets(tx, batchSize));
    }
  } catch (error) {
    if (!storageConditionOf(error)) throw error;
    if (deps.config.logLevel !== 'silent')
      console.warn('search index not updated:', (error as Error).message);
  }
  return indexed;
}

/**
 * Indexes in the background, off the path of the write that made a ticket stale: `delayMs` after
 * the first committed change (one run then covers every ticket changed meanwhile, a ticket with
 * many messages once), and every `sweepMs` for changes made by other processes (imports, the CLI).
 * Beside the outbox worker in server/main.ts.
 */
export function startSearchIndexer(deps: Deps, { delayMs = 250, sweepMs = 30_000 } = {}): () => void {
  let scheduled: NodeJS.Timeout | null = null;
  const run = () => {
    scheduled = null;
    try {
      catchUpSearchIndex(deps);
    } catch (error) {
      if (deps.config.logLevel !== 'silent') console.error('search indexer failed', error);
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = setTimeout(run, delayMs);
    scheduled.unref();
  };
  const off = busOf(deps).on('log.committed', schedule);
  const sweep = setInterval(schedule, sweepMs);
  sweep.unref();
  schedule();
  return () => {
    off();
    clearInterval(sweep);
    if (scheduled) clearTimeout(scheduled);
  };
}
