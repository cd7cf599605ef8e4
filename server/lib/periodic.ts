import type { Deps } from '../deps.ts';

/**
 * Runs `work` now and then every `intervalMs` until the returned function is called. A failing run
 * is logged and the next one comes as planned; the timer never keeps the process alive.
 */
export function runPeriodically(
  deps: Pick<Deps, 'config'>,
  name: string,
  intervalMs: number,
  work: () => void | Promise<void>,
): () => void {
  const failed = (error: unknown) => {
    if (deps.config.logLevel !== 'silent') console.error(`${name} failed`, error);
  };
  const tick = () => {
    try {
      // Started at once (a first tick runs before this returns); a failure is logged, never thrown.
      work()?.catch(failed);
    } catch (error) {
      failed(error);
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return () => clearInterval(timer);
}
