/**
 * The ERP import (issue 14, API.md "Integration"): one entry for the API route, the console and the
 * import command. `runImport` reads a source (a JSON body or files) and applies it in one
 * transaction; `importJobsOf(deps)` runs it in a worker thread so the thread that serves requests
 * keeps serving while a load runs.
 */
export { runImport, type ImportActor, type ImportLoad, type ImportOutcome } from './run.ts';
export { importInvalid } from './errors.ts';
export { maskIban } from './validate.ts';
export { importJobsOf, type ImportJobInput } from './jobs.ts';
