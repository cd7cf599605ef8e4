/**
 * The ERP import (issue 14, API.md "Integration"): one entry for the API route, the console and the
 * import command. `runImportNow` is the synchronous core; `importJobsOf(deps)` runs it in a worker
 * thread so the thread that serves requests keeps serving while a load runs.
 */
export { runImportNow, type ImportActor, type ImportLoad, type ImportOutcome } from './run.ts';
export { importInvalid } from './errors.ts';
export { maskIban } from './validate.ts';
export { importJobsOf, type ImportJobInput } from './jobs.ts';
