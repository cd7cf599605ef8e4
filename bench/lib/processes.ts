// Every server under test and every load generator runs in its own process (issue 7).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface Child {
  process: ChildProcess;
  pid: number;
  /** Everything the process printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface ChildOptions {
  /** Arguments after the node executable, e.g. ['--import', 'tsx', 'bench/bare-socketio.ts']. */
  args: string[];
  env?: Record<string, string>;
  /** Resolve once stdout contains this; without it, resolve at once. */
  ready?: string;
  ipc?: boolean;
  timeoutMs?: number;
}

/** Spawns `node <args>` and waits for its ready line. */
export async function startChild(options: ChildOptions): Promise<Child> {
  const child = spawn(process.execPath, options.args, {
    env: { ...process.env, ...options.env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(forced);
  };
  if (options.ready) {
    const ready = options.ready;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        void stop();
        reject(new Error(`${options.args.join(' ')} did not start:\n${output}`));
      }, options.timeoutMs ?? 60_000);
      const check = () => {
        if (!output.includes(ready)) return;
        clearTimeout(timer);
        child.stdout?.off('data', check);
        resolve();
      };
      child.stdout?.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.args.join(' ')} exited with ${code}:\n${output}`));
      });
    });
  }
  return { process: child, pid: child.pid ?? 0, output: () => output, stop };
}

/** Resident set size of a process in kB, read from outside (/proc/<pid>/status, Linux). */
export function vmRssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** A high-resolution wall clock (ms since the epoch) comparable across processes of one machine. */
export const epochMs = () => performance.timeOrigin + performance.now();

export async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
