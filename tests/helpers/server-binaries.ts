import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

// Found the way the operator's commands find PostgreSQL's tools (server/cli/database-postgres.ts).
export { debianPostgresBinDirs, findExecutable } from '../../server/lib/executables.ts';

/**
 * Whether a store test may skip. Without the server's binaries it skips with the reason in its
 * name, so the run shows what was left out, unless PORTIER_REQUIRE_PG is set (.ci/run sets it):
 * then a missing server fails the file instead of letting it pass unseen.
 */
export function skipWithout(what: string, missing: string | undefined): { skip: boolean; label: string } {
  if (missing === undefined) return { skip: false, label: '' };
  if (process.env.PORTIER_REQUIRE_PG) {
    throw new Error(`${what} is required (PORTIER_REQUIRE_PG is set) but ${missing}`);
  }
  console.warn(`skipping ${what} tests: ${missing} (set PORTIER_REQUIRE_PG=1 to make this an error)`);
  return { skip: true, label: ` [skipped: ${missing}]` };
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

/**
 * Resolves once `ready` matches the process's output; rejects when it exits first (with the
 * output, so a failing start explains itself) or after `timeoutMs`.
 */
export function waitForOutput(child: ChildProcess, ready: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => finish(new Error(`not ready after ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) finish();
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`exited (${code ?? signal}) before it was ready:\n${output}`));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Stops a server process and waits for its exit: sends each signal in turn, the next one when the
 * process outstays `graceMs`, and SIGKILL after the last.
 */
export async function stopProcess(
  child: ChildProcess,
  signals: NodeJS.Signals[],
  graceMs = 10_000,
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = [...signals, 'SIGKILL' as const];
  child.kill(pending.shift());
  const timer = setInterval(() => child.kill(pending.shift() ?? 'SIGKILL'), graceMs);
  await exited;
  clearInterval(timer);
}

/** Runs a command to its end; rejects with its output when it fails. */
export function run(
  command: string,
  args: string[],
  options: { uid?: number; gid?: number } = {},
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}:\n${output}`)),
    );
  });
}
