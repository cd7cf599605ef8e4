import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { io as connect } from 'socket.io-client';
import { projectPath } from '../../../server/lib/paths.ts';
import type { ClientSocket } from '../../helpers/live.ts';

/*
 * The built server as a real process (`dist/server/main.js`, from `npm run build`), so a test can
 * `kill -9` it and start it again on the same data. `startDemoServer` of the e2e helpers always
 * resets its data (`--demo`); a restart must keep it, so the first start seeds with `--demo` into
 * DEMO_DATA_DIR and every restart runs plain `main.js` with DATA_DIR pointing at that directory.
 */

export const serverEntry = projectPath('dist', 'server', 'main.js');

export function requireBuild(): void {
  if (!existsSync(serverEntry)) throw new Error('dist/server/main.js is missing: run `npm run build` first');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGKILL: no shutdown handler runs, nothing is flushed that was not already durable. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit (the orderly shutdown of main.ts). */
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  port: number;
  /** Reset DATA_DIR and load the demo data first (only on the first start). */
  demo?: boolean;
  env?: Record<string, string>;
}

export async function startServerProcess(options: StartOptions): Promise<ServerProcess> {
  requireBuild();
  const url = `http://127.0.0.1:${options.port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(options.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    LOG_LEVEL: 'warn',
    ...options.env,
  };
  if (options.demo) env.DEMO_DATA_DIR = options.dataDir;
  else env.DATA_DIR = options.dataDir;
  const args = [serverEntry, ...(options.demo ? ['--demo'] : [])];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const onData = () => {
      if (output.includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    port: options.port,
    pid: child.pid!,
    child,
    output: () => output,
    async kill9() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Signs in over HTTP like the PWA does; returns the session token. */
export async function login(url: string, loginName: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { origin: url, 'content-type': 'application/json' },
    body: JSON.stringify({ login: loginName, password }),
  });
  const cookie = res.headers.getSetCookie().find((header) => header.startsWith('portier_session='));
  if (res.status !== 200 || !cookie) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return /^portier_session=([^;]*)/.exec(cookie)![1]!;
}

/** A JSON request with the session cookie and the same-origin header. */
export async function api<T>(url: string, token: string, path: string, json?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: json === undefined ? 'GET' : 'POST',
    headers: {
      origin: url,
      cookie: `portier_session=${token}`,
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A socket.io-client over WebSocket with the session cookie; not connected yet, no auto-reconnect. */
export function socketTo(url: string, token: string): ClientSocket {
  return connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    extraHeaders: { origin: url, cookie: `portier_session=${token}` },
    autoConnect: false,
    reconnection: false,
    forceNew: true,
  });
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inBatches<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

/** Like waitFor, for conditions that cost something to check (a database read): every `intervalMs`. */
export async function pollUntil(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
  intervalMs = 500,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
