import { rmSync } from 'node:fs';
import { isPostgres } from '../../../db/dialect.ts';
import { newId } from '../../../db/ids.ts';
import { findImportRun, insertImportRun, listImportRuns } from '../../../db/repositories/erp-import.ts';
import type { ImportJobDto, ImportMode, ImportProblem } from '../../../shared/api/import.ts';
import type { Deps } from '../../deps.ts';
import { conflict } from '../../lib/http-error.ts';
import { startWorkerThread } from '../../lib/worker-thread.ts';
import { shortenQueueWait } from '../../unit-of-work/postgres.ts';
import type { ImportActor, ImportOutcome } from './run.ts';
import type { WorkerInput, WorkerMessage } from './worker.ts';

type JobDeps = Pick<Deps, 'db' | 'now' | 'config' | 'bus'>;

/** How long a write of the serving thread waits for the lock (PostgreSQL: its turn) while a load holds it. */
export const loadBusyTimeoutMs = 100;

/**
 * The heap of a load of files, in the server's import worker and in `npm run import` (package.json:
 * `--max-old-space-size=256 --max-semi-space-size=8`). A load allocates short-lived rows at a high
 * rate; V8 sizes the young generation at three semi-spaces, and with 8 MB semi-spaces a full load of
 * 50,000 units peaks under 400 MB RSS (bench/import).
 */
export const importHeapMb = 256;
export const importYoungGenerationMb = 3 * 8;

/** What a job loads: a JSON body as sent to the API, or files the console received. */
export type ImportJobInput =
  | { kind: 'json'; text: string; actor: ImportActor }
  | {
      kind: 'files';
      path: string;
      mode: ImportMode;
      dryRun: boolean;
      actor: ImportActor;
      /** A folder to delete when the job is over (the console's uploaded copies). */
      cleanup?: string;
    };

/** A JSON body the worker could not read as a load: answered like any bad request. */
export interface InvalidBody {
  ok: false;
  invalidBody: { status: 400 | 415; code: string; message: string; fields?: Record<string, string> };
}

export type JobResult = ImportOutcome | InvalidBody;

interface RunningJob {
  dto: ImportJobDto;
  done: Promise<JobResult>;
}

/**
 * Loads run one at a time, each in a worker thread with its own database connection (SQLite: the
 * same file; PostgreSQL: a small pool of its own on DATABASE_URL): parsing, checking and writing
 * 50,000 flats must not stop the thread that answers tenants. The running job's progress lives
 * here; finished jobs are the `import_runs` rows. One at a time per process: on PostgreSQL a load
 * another instance starts meanwhile waits for this one's transaction (db/transaction.ts
 * `inLoadTransaction`).
 */
export class ImportJobs {
  private running: RunningJob | null = null;

  constructor(private readonly deps: JobDeps) {}

  /** Starts a load; 409 `import_running` while another one runs. */
  start(input: ImportJobInput): RunningJob {
    if (this.running)
      throw conflict('import_running', 'Another load is running. Try again when it has finished.');
    const id = newId();
    const startedAt = this.deps.now();
    const mode = input.kind === 'files' ? input.mode : 'delta';
    const dto: ImportJobDto = {
      id,
      state: 'running',
      source: input.actor.source,
      mode,
      dryRun: input.kind === 'files' ? input.dryRun : false,
      label: input.actor.label ?? null,
      startedBy: null,
      startedAt: startedAt.toISOString(),
      finishedAt: null,
      progress: { phase: 'reading', done: 0, total: 0 },
      counts: null,
      problemCount: 0,
      problems: [],
    };
    const workerInput: WorkerInput = {
      ...input,
      runId: id,
      store: this.storeOfWorker(),
      dataDir: this.deps.config.dataDir,
      timeZone: this.deps.config.timeZone,
      // The worker keeps the injected clock's offset, so tests' dates hold there too.
      clockOffsetMs: startedAt.getTime() - Date.now(),
    };
    const restoreServing = this.holdServingWrites();
    const done = new Promise<JobResult>((resolve) => {
      const worker = startWorkerThread(
        import.meta.url,
        'worker',
        workerInput,
        // A load of files streams (files/load.ts) and fits in this heap at any length; without a
        // bound V8 lets a busy thread's heap grow far beyond what it uses before collecting. A JSON
        // body is held whole, so it keeps the default.
        input.kind === 'files'
          ? { maxOldGenerationSizeMb: importHeapMb, maxYoungGenerationSizeMb: importYoungGenerationMb }
          : undefined,
      );
      let settled = false;
      const finish = (result: JobResult) => {
        if (settled) return;
        settled = true;
        this.running = null;
        restoreServing();
        if (input.kind === 'files' && input.cleanup) rmSync(input.cleanup, { recursive: true, force: true });
        // Its access changes and the documents it published reach open apps now that it committed.
        if (result.ok && result.events.length > 0)
          this.deps.bus.publish('log.committed', { events: result.events });
        resolve(result);
      };
      const failed = (message: string) => void this.recordFailure(id, input, startedAt, message, finish);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'progress') dto.progress = message.progress;
        else if (message.type === 'done') finish(message.outcome);
        else if (message.type === 'invalid') finish({ ok: false, invalidBody: message.invalidBody });
        else failed(message.message);
      });
      worker.on('error', (error) => failed(error.message));
      worker.on('exit', (code) => {
        if (!settled) failed(`the import stopped (exit code ${code})`);
      });
    });
    this.running = { dto, done };
    return this.running;
  }

  /** Where the worker finds the store this server serves. */
  private storeOfWorker(): WorkerInput['store'] {
    if (!isPostgres(this.deps.db)) return { kind: 'sqlite', file: this.deps.db.$client.name };
    const url = this.deps.config.databaseUrl;
    if (!url) throw new Error('a load on PostgreSQL needs DATABASE_URL in the config');
    return { kind: 'postgres', url };
  }

  /**
   * The load holds the write lock (SQLite) or the units' queue (PostgreSQL) while it writes; reads
   * go on meanwhile on both, from the WAL snapshot or PostgreSQL's committed rows. On SQLite,
   * better-sqlite3 waits for a lock synchronously, so a write of this thread waiting the usual 5 s
   * would stop every request with it; on PostgreSQL a write waits asynchronously but holds a pooled
   * connection that reads need. So during a load a write that finds the lock taken gives up after
   * 100 ms and answers 503 with Retry-After (lib/storage-errors.ts). Returns the undo.
   */
  private holdServingWrites(): () => void {
    if (isPostgres(this.deps.db)) return shortenQueueWait(this.deps.db, loadBusyTimeoutMs);
    const serving = this.deps.db.$client;
    const servingBusyTimeout = serving.pragma('busy_timeout', { simple: true }) as number;
    serving.pragma(`busy_timeout = ${loadBusyTimeoutMs}`);
    return () => serving.pragma(`busy_timeout = ${servingBusyTimeout}`);
  }

  /** A load that stopped on an error of the machine: kept in the history, nothing of it stored. */
  /** Never rejects: the load ends as failed even if the run cannot be written (full or read-only disk). */
  private async recordFailure(
    id: string,
    input: ImportJobInput,
    startedAt: Date,
    message: string,
    finish: (result: JobResult) => void,
  ): Promise<void> {
    console.error('import failed', message);
    const problem: ImportProblem = {
      entity: 'file',
      externalId: null,
      field: null,
      code: 'import_failed',
      message: 'The load stopped on an error on our side; nothing of it was stored.',
    };
    try {
      await insertImportRun(this.deps.db, {
        id,
        source: input.actor.source,
        mode: input.kind === 'files' ? input.mode : 'delta',
        dryRun: input.kind === 'files' ? input.dryRun : false,
        status: 'failed',
        apiKeyId: input.actor.apiKeyId ?? null,
        userId: input.actor.userId ?? null,
        label: input.actor.label ?? null,
        startedAt,
        finishedAt: this.deps.now(),
        counts: null,
        problemCount: 1,
        problems: [problem],
      });
    } catch (error) {
      console.error('import failed and its run could not be recorded', error);
    }
    finish({ ok: false, problems: [problem], problemCount: 1, runId: id });
  }

  async get(id: string): Promise<ImportJobDto | undefined> {
    if (this.running?.dto.id === id) return this.running.dto;
    const row = await findImportRun(this.deps.db, id);
    return row ? jobDtoOf(row) : undefined;
  }

  async list(limit = 50): Promise<ImportJobDto[]> {
    const finished = (await listImportRuns(this.deps.db, limit)).map(jobDtoOf);
    return this.running
      ? [this.running.dto, ...finished.filter((job) => job.id !== this.running!.dto.id)]
      : finished;
  }
}

type RunWithActor = Awaited<ReturnType<typeof listImportRuns>>[number];

function jobDtoOf({ run, apiKeyName, firstName, lastName }: RunWithActor): ImportJobDto {
  const person = [firstName, lastName].filter(Boolean).join(' ');
  return {
    id: run.id,
    state: run.status,
    source: run.source,
    mode: run.mode,
    dryRun: run.dryRun,
    label: run.label,
    startedBy: person || apiKeyName || null,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
    progress: null,
    counts: run.counts ?? null,
    problemCount: run.problemCount,
    problems: (run.problems as ImportProblem[] | null) ?? [],
  };
}

const registries = new WeakMap<object, ImportJobs>();

/** The one job registry per running server (per `deps`). */
export function importJobsOf(deps: JobDeps): ImportJobs {
  let jobs = registries.get(deps);
  if (!jobs) registries.set(deps, (jobs = new ImportJobs(deps)));
  return jobs;
}
