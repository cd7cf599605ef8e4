import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type Db } from '../../../db/client.ts';
import { openPostgres } from '../../../db/client-pg.ts';
import { importRequestFrame, type ImportEntity } from '../../../shared/api/import.ts';
import { fieldErrors } from '../../lib/validate.ts';
import { join } from 'node:path';
import { FileStore } from '../../files/store.ts';
import { documentPreparer } from './documents.ts';
import { openImportFilesInThread } from './files/threaded.ts';
import { runImport, type ImportLoad, type ImportOutcome } from './run.ts';
import type { ImportSource } from './source.ts';
import { bodySource } from './validate.ts';
import type { ImportJobInput, InvalidBody } from './jobs.ts';

/** What a job hands its worker thread (jobs.ts). */
export type WorkerInput = ImportJobInput & {
  runId: string;
  /** The store the server serves: the worker opens a connection of its own to it. */
  store: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  /** DATA_DIR: the documents' PDFs go into its file store. */
  dataDir: string;
  timeZone: string;
  clockOffsetMs: number;
};

export type WorkerMessage =
  | { type: 'progress'; progress: { phase: 'reading' | 'checking' | 'writing'; done: number; total: number } }
  | { type: 'done'; outcome: ImportOutcome }
  | { type: 'invalid'; invalidBody: InvalidBody['invalidBody'] }
  | { type: 'failed'; message: string };

const post = (message: WorkerMessage) => parentPort!.postMessage(message);

/** The body as the API received it, read here so a 50 MB JSON parse never blocks the server. */
function loadFromJson(
  text: string,
): (ImportLoad & { records: Partial<Record<ImportEntity, unknown[]>> }) | InvalidBody['invalidBody'] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { status: 400, code: 'invalid_json', message: 'The body is not valid JSON.' };
  }
  const frame = importRequestFrame.safeParse(raw);
  if (!frame.success)
    return {
      status: 400,
      code: 'validation_failed',
      message: 'The request is not valid.',
      fields: fieldErrors(frame.error),
    };
  const { mode, dryRun, ...records } = frame.data;
  return { mode, dryRun, records };
}

/**
 * PostgreSQL: the load is one transaction on one connection, and a second one takes any statement
 * on the pool beside it. A pool of its own on DATABASE_URL, so the load never takes a connection
 * the serving pool's requests need; closed when the load ends.
 */
const loadPoolConnections = 2;
/** The load's connections in pg_stat_activity. */
const loadApplicationName = 'portier erp load';

async function openStoreOf(store: WorkerInput['store']): Promise<{ db: Db; close: () => Promise<void> }> {
  if (store.kind === 'postgres')
    return await openPostgres(store.url, {
      migrate: false,
      maxConnections: loadPoolConnections,
      applicationName: loadApplicationName,
    });
  const db = openDatabase(store.file, { migrate: false });
  return {
    db,
    close: () => {
      db.$client.close();
      return Promise.resolve();
    },
  };
}

async function main(input: WorkerInput): Promise<void> {
  const { db, close } = await openStoreOf(input.store);
  try {
    const now = () => new Date(Date.now() + input.clockOffsetMs);
    const onProgress = (progress: Extract<WorkerMessage, { type: 'progress' }>['progress']) =>
      post({ type: 'progress', progress });
    let load: ImportLoad;
    let source: ImportSource;
    let prepareDocuments;
    if (input.kind === 'json') {
      const parsed = loadFromJson(input.text);
      if ('code' in parsed) return post({ type: 'invalid', invalidBody: parsed });
      load = { mode: parsed.mode, dryRun: parsed.dryRun };
      source = bodySource(parsed.records);
    } else {
      onProgress({ phase: 'reading', done: 0, total: 0 });
      source = await openImportFilesInThread(input.path);
      load = { mode: input.mode, dryRun: input.dryRun };
      prepareDocuments = documentPreparer(input.path, new FileStore(join(input.dataDir, 'files')), {
        store: !input.dryRun,
      });
    }
    const outcome = await runImport(
      { db, now, timeZone: input.timeZone, runId: input.runId, onProgress, prepareDocuments },
      source,
      load,
      input.actor,
    );
    post({ type: 'done', outcome });
  } finally {
    await close();
  }
}

main(workerData as WorkerInput).catch((error: unknown) =>
  post({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
);
