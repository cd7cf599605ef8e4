import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts a worker thread on a module beside the caller: its `.ts` source under tests and
 * `npm run dev`, the built `.js` otherwise. `name` is the module's file name without extension.
 */
export function startWorkerThread(
  callerUrl: string,
  name: string,
  workerData: unknown,
  resourceLimits?: ResourceLimits,
): Worker {
  const url = new URL(`./${name}${callerUrl.endsWith('.ts') ? '.ts' : '.js'}`, callerUrl);
  if (url.pathname.endsWith('.js')) return new Worker(url, { workerData, resourceLimits });
  // Node 20 does not pass `--import tsx` on to a worker's entry; register the loader inside it.
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}
