import { parentPort, workerData } from 'node:worker_threads';
import type { ImportEntity } from '../../../../shared/api/import.ts';
import { openImportFiles, type LoadImportFilesOptions } from './load.ts';
import type { ReaderReply, ReaderRequest } from './threaded.ts';

/**
 * The thread that reads a load's files (threaded.ts): parses CSV, converts cells and checks records
 * here, while the importer's thread looks up and writes. It reads at most two slices ahead of the
 * writer, so memory stays bounded when writing is the slower side.
 */
const { path, options } = workerData as { path: string; options: LoadImportFilesOptions };
const port = parentPort!;
const post = (reply: ReaderReply) => port.postMessage(reply);
const readAhead = 2;

const source = await openImportFiles(path, options);
let forwarded = 0;
/** The problems found since the last reply: the importer's list gets them in order. */
const newProblems = () => {
  const problems = source.problems.problems.slice(forwarded);
  forwarded = source.problems.problems.length;
  return problems;
};

let credit = readAhead;
let wake: (() => void) | null = null;
const requests: ImportEntity[] = [];
let wantRequest: (() => void) | null = null;

port.on('message', (request: ReaderRequest) => {
  if (request.type === 'next') {
    credit++;
    wake?.();
  } else {
    requests.push(request.entity);
    wantRequest?.();
    wake?.();
  }
});

post({ type: 'ready', problems: newProblems(), progress: source.progress() });

for (;;) {
  if (requests.length === 0) await new Promise<void>((resolve) => (wantRequest = resolve));
  const entity = requests.shift()!;
  credit = readAhead;
  for await (const slice of source.slices(entity)) {
    while (credit === 0 && requests.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    // The importer stopped reading this entity (too many problems) and asks for another.
    if (requests.length > 0) break;
    credit--;
    post({ type: 'slice', entity, slice, problems: newProblems(), progress: source.progress() });
  }
  post({ type: 'end', entity, problems: newProblems(), progress: source.progress() });
}
