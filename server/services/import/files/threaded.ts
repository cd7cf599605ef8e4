import type { ImportEntity, ImportProblem } from '../../../../shared/api/import.ts';
import { startWorkerThread } from '../../../lib/worker-thread.ts';
import { ProblemCollector } from '../problems.ts';
import type { ImportSource, RecordSlice } from '../source.ts';
import { importYoungGenerationMb } from '../jobs.ts';
import { importFileDefaults, type LoadImportFilesOptions } from './load.ts';

type Progress = { done: number; total: number };

/** The reader thread's heap: a CSV load streams, so this holds whatever the file's length. */
const readerHeapMb = 96;

export type ReaderRequest = { type: 'read'; entity: ImportEntity } | { type: 'next' };
export type ReaderReply =
  | { type: 'ready'; problems: ImportProblem[]; progress: Progress }
  | {
      type: 'slice';
      entity: ImportEntity;
      slice: RecordSlice<ImportEntity>;
      problems: ImportProblem[];
      progress: Progress;
    }
  | { type: 'end'; entity: ImportEntity; problems: ImportProblem[]; progress: Progress };

/**
 * A load of files read in a thread of its own (reader-thread.ts): parsing and checking a row costs
 * about as much as writing it, so on two cores the two run side by side instead of one after the
 * other. The same source as openImportFiles, slice by slice, problems in the same order.
 */
export async function openImportFilesInThread(
  path: string,
  options: LoadImportFilesOptions = {},
): Promise<ImportSource & { close(): Promise<void> }> {
  const worker = startWorkerThread(
    import.meta.url,
    'reader-thread',
    { path, options },
    // Reading holds a few slices at a time; without a bound V8 lets a busy thread's heap grow far
    // beyond what it uses before it collects. A workbook is read whole and needs more (xlsx.ts).
    {
      maxOldGenerationSizeMb: /\.xlsx$/i.test(path) ? 1024 : readerHeapMb,
      maxYoungGenerationSizeMb: importYoungGenerationMb,
    },
  );
  const problems = new ProblemCollector(options.maxProblems ?? importFileDefaults.maxProblems);
  let progress: Progress = { done: 0, total: 0 };
  const queue: ReaderReply[] = [];
  let waiting: { resolve: (reply: ReaderReply) => void; reject: (error: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure = error;
    waiting?.reject(error);
    waiting = null;
  };
  worker.on('message', (reply: ReaderReply) => {
    if (waiting) {
      waiting.resolve(reply);
      waiting = null;
    } else queue.push(reply);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the file reader stopped (exit code ${code})`)));
  const next = (): Promise<ReaderReply> => {
    const queued = queue.shift();
    if (queued) return Promise.resolve(queued);
    if (failure) return Promise.reject(failure);
    return new Promise((resolve, reject) => (waiting = { resolve, reject }));
  };
  const take = (reply: ReaderReply) => {
    for (const problem of reply.problems) problems.add(problem);
    progress = reply.progress;
  };

  take(await next());
  return {
    problems,
    progress: () => progress,
    async *slices<E extends ImportEntity>(entity: E): AsyncIterable<RecordSlice<E>> {
      worker.postMessage({ type: 'read', entity } satisfies ReaderRequest);
      for (;;) {
        const reply = await next();
        take(reply);
        // Left over from an entity the importer stopped reading early.
        if (reply.type !== 'ready' && reply.entity !== entity) continue;
        if (reply.type !== 'slice') return;
        worker.postMessage({ type: 'next' } satisfies ReaderRequest);
        yield reply.slice as RecordSlice<E>;
      }
    },
    async close() {
      worker.removeAllListeners('exit');
      await worker.terminate();
    },
  };
}
