import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import { insertImportRun, listUserIdsOfPersons } from '../../../db/repositories/erp-import.ts';
import { inTransaction } from '../../../db/transaction.ts';
import type { ImportEntity, ImportMode, ImportProblem, ImportResult } from '../../../shared/api/import.ts';
import type { Deps } from '../../deps.ts';
import { todayIn } from '../../lib/dates.ts';
import { HttpError } from '../../lib/http-error.ts';
import { applyLoad } from './apply.ts';
import { checkRecords, maxReportedProblems } from './validate.ts';

export { maskIban } from './validate.ts';

export type ImportDeps = Pick<Deps, 'db' | 'now' | 'config' | 'bus'>;

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
  records: Partial<Record<ImportEntity, unknown[]>>;
}

/** 422 `import_invalid` with every located problem (API.md); nothing of the load was stored. */
export function importInvalid(problems: ImportProblem[]): HttpError {
  const listed = problems.slice(0, maxReportedProblems);
  const more = problems.length - listed.length;
  return new HttpError(
    422,
    'import_invalid',
    `The load was refused: ${problems.length} problem${problems.length === 1 ? '' : 's'}` +
      (more > 0 ? ` (the first ${listed.length} are listed).` : '.'),
    undefined,
    undefined,
    { records: listed, problemCount: problems.length },
  );
}

/** Thrown inside the transaction to roll back a dry run or a refused load after counting it. */
class RollBack extends Error {}

/**
 * One load from the ERP (API.md "Integration"): every record checked, then applied in ONE
 * transaction. Any problem, found before or while writing, rolls everything back: nothing is ever
 * half-imported. A dry run goes the same way and rolls back at the end, so its counts are exactly
 * what applying would do. The same load twice counts everything `unchanged` and writes nothing.
 */
export function runImport(deps: ImportDeps, load: ImportLoad, actor: ImportActor): ImportResult {
  const startedAt = deps.now();
  const today = todayIn(deps.config.timeZone, startedAt);
  const checked = checkRecords(load.records);
  let problems = checked.problems;
  let outcome: ReturnType<typeof applyLoad> | null = null;
  if (problems.length === 0) {
    try {
      inTransaction(deps.db, (tx) => {
        outcome = applyLoad(tx, checked.records, load.mode, today);
        if (outcome.problems.length > 0 || load.dryRun) throw new RollBack();
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
    problems = outcome!.problems;
  }
  const refused = problems.length > 0;
  const counts = refused ? null : outcome!.counts;
  inTransaction(deps.db, (tx) => {
    const runId = insertImportRun(tx, {
      source: actor.source,
      mode: load.mode,
      dryRun: load.dryRun,
      status: refused ? 'refused' : load.dryRun ? 'checked' : 'applied',
      apiKeyId: actor.apiKeyId ?? null,
      userId: actor.userId ?? null,
      label: actor.label ?? null,
      startedAt,
      finishedAt: deps.now(),
      counts,
      problemCount: problems.length,
      problems: problems.slice(0, 100),
    });
    insertAuditEntry(tx, {
      actorUserId: actor.userId ?? null,
      action: refused ? 'import.refused' : load.dryRun ? 'import.checked' : 'import.applied',
      entityType: 'import_run',
      entityId: runId,
      data: {
        source: actor.source,
        apiKeyId: actor.apiKeyId ?? null,
        mode: load.mode,
        problems: problems.length,
      },
      createdAt: deps.now(),
    });
  });
  if (refused) throw importInvalid(problems);
  if (!load.dryRun) {
    // New or ended contract parties: open sockets of those people move rooms (server/realtime).
    const userIds = listUserIdsOfPersons(deps.db, outcome!.touchedPersonIds);
    if (userIds.length > 0) deps.bus.publish('access.changed', { userIds });
  }
  return { dryRun: load.dryRun, mode: load.mode, counts: counts! };
}
