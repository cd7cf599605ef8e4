import type { Deps } from '../deps.ts';

/** The config, and Redis when several instances share the jobs. */
type JobDeps = Pick<Deps, 'config'> & Partial<Pick<Deps, 'redis'>>;

/**
 * Runs `work` now and then every `intervalMs` until the returned function is called. A failing run
 * is logged and the next one comes as planned; the timer never keeps the process alive.
 *
 * With Redis (several instances) a tick runs `work` only on the instance that holds the job's lease
 * (server/scale/redis.ts), so each round runs once across instances; the holder keeps the job
 * while it lives and another takes it over after it stops or dies. Without Redis every tick runs.
 */
export function runPeriodically(
  deps: JobDeps,
  name: string,
  intervalMs: number,
  work: () => void | Promise<void>,
): () => void {
  const failed = (error: unknown) => {
    if (deps.config.logLevel !== 'silent') console.error(`${name} failed`, error);
  };
  const run = () => {
    try {
      // Started at once (a first tick runs before this returns); a failure is logged, never thrown.
      work()?.catch(failed);
    } catch (error) {
      failed(error);
    }
  };
  const lease = deps.redis?.lease(name);
  const tick = lease ? () => void lease.hold().then((held) => held && run()) : run;
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return () => {
    clearInterval(timer);
    void lease?.release();
  };
}

/**
 * Keeps a long-running job (the search indexer) on one instance: with Redis it is started while
 * this instance holds the job's lease (looked at every `checkMs`) and stopped when the lease is
 * lost; without Redis it starts at once, as on a single instance. Returns the stop function.
 */
export function runWhileLeaseHeld(
  deps: JobDeps,
  name: string,
  start: () => () => void,
  checkMs = 10_000,
): () => void {
  const lease = deps.redis?.lease(name);
  if (!lease) return start();
  let stopJob: (() => void) | null = null;
  let stopped = false;
  const check = () =>
    void lease.hold().then((held) => {
      if (stopped) return;
      if (held && !stopJob) stopJob = start();
      else if (!held && stopJob) {
        stopJob();
        stopJob = null;
      }
    });
  const timer = setInterval(check, checkMs);
  timer.unref();
  check();
  return () => {
    stopped = true;
    clearInterval(timer);
    stopJob?.();
    stopJob = null;
    void lease.release();
  };
}
