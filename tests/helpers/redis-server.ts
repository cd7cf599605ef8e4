import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, freePort, stopProcess, waitForOutput } from './server-binaries.ts';

/** Why Redis tests cannot run here, or undefined when they can. */
export function redisMissing(): string | undefined {
  return findExecutable('redis-server', ['/usr/bin', '/usr/sbin'])
    ? undefined
    : 'redis-server not found on PATH';
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A throwaway Redis on a free port of 127.0.0.1: nothing persisted (no RDB snapshots, no AOF),
 * its working dir a temp dir removed by `stop()`. No system service is used or touched.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = findExecutable('redis-server', ['/usr/bin', '/usr/sbin']);
  if (!binary) throw new Error('redis-server not found on PATH');
  const dir = mkdtempSync(join(tmpdir(), 'portier-redis-'));
  const port = await freePort();
  const server = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const killOnExit = () => server.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopProcess(server, ['SIGTERM']);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForOutput(server, /Ready to accept connections/, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, port, stop };
}
