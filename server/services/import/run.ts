import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import type { StoredEvent } from '../../../db/repositories/events.ts';
import { insertImportRun } from '../../../db/repositories/erp-import.ts';
import type { Db } from '../../../db/client.ts';
import { inLoadTransaction, inTransaction } from '../../../db/transaction.ts';
import type { ImportMode, ImportProblem, ImportResult } from '../../../shared/api/import.ts';
import { todayIn } from '../../lib/dates.ts';
import { applyLoad, type ApplyOptions, type ApplyOutcome, type ImportProgress } from './apply.ts';
import type { ImportSource } from './source.ts';

/** Who loads: an ERP's API key, an admin in the console, or the operator's command line. */
export interface ImportActor {
  source: 'api' | 'file' | 'console';
  apiKeyId?: string;
  userId?: string;
  /** The file or workbook, for loads from files. */
  label?: string;
}

export interface ImportLoad {
  mode: ImportMode;
  dryRun: boolean;
}

export interface RunContext {
  /** A connection of the load's own (its worker thread or process): the load is one long transaction on it. */
  db: Db;
  now: () => Date;
  timeZone: string;
  /** The import run's id, known before it starts (the console follows the job by it). */
  runId?: string;
  onProgress?: ImportProgress;
  /** Checks and stores the PDFs the load's documents name (loads of files only). */
  prepareDocuments?: ApplyOptions['prepareDocuments'];
  /** Ids of the rows the load creates (ApplyOptions); only the demo seed sets it, to stay the same on every reset. */
  newId?: ApplyOptions['newId'];
}

export type ImportOutcome =
  | { ok: true; result: ImportResult; events: StoredEvent[]; runId: string }
  | { ok: false; problems: ImportProblem[]; problemCount: number; runId: string };

/** Thrown inside the transaction to roll back a dry run or a refused load after counting it. */
class RollBack extends Error {}

/**
 * One load from the ERP (API.md "Integration"): the source's records read, checked and applied in
 * ONE transaction, as a stream. Any problem, found while reading or while writing, rolls everything
 * back: nothing is ever half-imported. A dry run goes the same way and rolls back at the end, so
 * its counts are exactly what applying would do. The same load twice counts everything
 * `unchanged` and writes nothing. Runs in a worker thread with its own connection (jobs.ts) or in
 * the import command's own process, never on the thread that serves requests. Units of work wait
 * for the load's transaction on either store (db/transaction.ts `inLoadTransaction`).
 */
export async function runImport(
  context: RunContext,
  source: ImportSource,
  load: ImportLoad,
  actor: ImportActor,
): Promise<ImportOutcome> {
  const { db } = context;
  const startedAt = context.now();
  const today = todayIn(context.timeZone, startedAt);
  let outcome: ApplyOutcome | null = null;
  try {
    await inLoadTransaction(db, async (tx) => {
      outcome = await applyLoad(tx, source, load.mode, today, {
        timeZone: context.timeZone,
        now: startedAt,
        prepareDocuments: context.prepareDocuments,
        report: context.onProgress,
        newId: context.newId,
      });
      if (source.problems.count > 0 || load.dryRun) throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  } finally {
    await source.close?.();
  }
  const applied = outcome as ApplyOutcome | null;
  const problems = source.problems.result();
  const refused = source.problems.count > 0 || !applied;
  const counts = refused ? null : applied.counts;
  const runId = await inTransaction(db, async (tx) => {
    const id = await insertImportRun(tx, {
      ...(context.runId && { id: context.runId }),
      source: actor.source,
      mode: load.mode,
      dryRun: load.dryRun,
      status: refused ? 'refused' : load.dryRun ? 'checked' : 'applied',
      apiKeyId: actor.apiKeyId ?? null,
      userId: actor.userId ?? null,
      label: actor.label ?? null,
      startedAt,
      finishedAt: context.now(),
      counts,
      problemCount: source.problems.count,
      // Listed up to the cap, with the note that says there were more (problems.ts).
      problems,
      createdPersonIds: refused || load.dryRun ? null : applied.createdPersonIds,
    });
    await insertAuditEntry(tx, {
      actorUserId: actor.userId ?? null,
      action: refused ? 'import.refused' : load.dryRun ? 'import.checked' : 'import.applied',
      entityType: 'import_run',
      entityId: id,
      data: {
        source: actor.source,
        apiKeyId: actor.apiKeyId ?? null,
        mode: load.mode,
        problems: source.problems.count,
      },
      createdAt: context.now(),
    });
    return id;
  });
  if (refused) return { ok: false, problems, problemCount: source.problems.count, runId };
  return {
    ok: true,
    result: { dryRun: load.dryRun, mode: load.mode, counts: counts! },
    events: load.dryRun ? [] : applied.events,
    runId,
  };
}
