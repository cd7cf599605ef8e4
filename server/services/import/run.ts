import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import type { StoredEvent } from '../../../db/repositories/events.ts';
import { insertImportRun } from '../../../db/repositories/erp-import.ts';
import { listUserIdsOfPersons } from '../../../db/repositories/notifications.ts';
import type { Db } from '../../../db/client.ts';
import { inTransaction } from '../../../db/transaction.ts';
import type {
  ImportEntity,
  ImportMode,
  ImportProblem,
  ImportRecords,
  ImportResult,
} from '../../../shared/api/import.ts';
import { todayIn } from '../../lib/dates.ts';
import { applyLoad, type ImportProgress } from './apply.ts';
import type { PreparedDocumentFile } from './documents.ts';
import { checkRecords, maxReportedProblems } from './validate.ts';

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

export interface RunContext {
  db: Db;
  now: () => Date;
  timeZone: string;
  /** The import run's id, known before it starts (the console follows the job by it). */
  runId?: string;
  onProgress?: ImportProgress;
  /** The PDFs of the load's documents, checked and stored (documents.ts); absent for JSON loads. */
  documentFiles?: ReadonlyMap<string, PreparedDocumentFile>;
  /** The records come from the file layer, which parsed them with the same schemas. */
  recordsParsed?: boolean;
  /** Problems the file layer found before the records came here (located by file and row). */
  fileProblems?: ImportProblem[];
  /** `${entity}:${externalId}` → where a record came from, to locate the problems found here. */
  locations?: Map<string, { file: string; row: number }>;
}

export type ImportOutcome =
  | { ok: true; result: ImportResult; touchedUserIds: string[]; events: StoredEvent[]; runId: string }
  | { ok: false; problems: ImportProblem[]; runId: string };

/** Thrown inside the transaction to roll back a dry run or a refused load after counting it. */
class RollBack extends Error {}

/**
 * One load from the ERP (API.md "Integration"): every record checked, then applied in ONE
 * transaction. Any problem, found before or while writing, rolls everything back: nothing is ever
 * half-imported. A dry run goes the same way and rolls back at the end, so its counts are exactly
 * what applying would do. The same load twice counts everything `unchanged` and writes nothing.
 * Synchronous: it runs in a worker thread with its own connection (jobs.ts) or in the import
 * command's own process, never on the thread that serves requests.
 */
export function runImportNow(context: RunContext, load: ImportLoad, actor: ImportActor): ImportOutcome {
  const { db } = context;
  const startedAt = context.now();
  const today = todayIn(context.timeZone, startedAt);
  const checked = checkRecords(load.records, { alreadyParsed: context.recordsParsed });
  const located = (problem: ImportProblem): ImportProblem => {
    const where = problem.externalId
      ? context.locations?.get(`${problem.entity}:${problem.externalId}`)
      : undefined;
    return where ? { ...problem, ...where } : problem;
  };
  const fileProblems = (context.fileProblems ?? []).map((problem) =>
    problem.file ? problem : located(problem),
  );
  let problems = [...fileProblems, ...checked.problems.map(located)];
  let outcome: ReturnType<typeof applyLoad> | null = null;
  if (problems.length === 0) {
    try {
      inTransaction(db, (tx) => {
        outcome = applyLoad(tx, checked.records, load.mode, today, {
          timeZone: context.timeZone,
          now: startedAt,
          documentFiles: context.documentFiles,
          report: context.onProgress,
        });
        if (outcome.problems.length > 0 || load.dryRun) throw new RollBack();
      });
    } catch (error) {
      if (!(error instanceof RollBack)) throw error;
    }
    problems = outcome!.problems.map(located);
  }
  const refused = problems.length > 0;
  const counts = refused ? null : outcome!.counts;
  const runId = inTransaction(db, (tx) => {
    const id = insertImportRun(tx, {
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
      problemCount: problems.length,
      problems: problems.slice(0, maxReportedProblems),
      createdPersonIds: refused || load.dryRun ? null : outcome!.createdPersonIds,
    });
    insertAuditEntry(tx, {
      actorUserId: actor.userId ?? null,
      action: refused ? 'import.refused' : load.dryRun ? 'import.checked' : 'import.applied',
      entityType: 'import_run',
      entityId: id,
      data: {
        source: actor.source,
        apiKeyId: actor.apiKeyId ?? null,
        mode: load.mode,
        problems: problems.length,
      },
      createdAt: context.now(),
    });
    return id;
  });
  if (refused) return { ok: false, problems, runId };
  const touchedUserIds = load.dryRun ? [] : listUserIdsOfPersons(db, outcome!.touchedPersonIds);
  return {
    ok: true,
    result: { dryRun: load.dryRun, mode: load.mode, counts: counts! },
    touchedUserIds,
    events: load.dryRun ? [] : outcome!.events,
    runId,
  };
}

export type { ImportRecords };
