// Runs tests/helpers/pg-concurrent-writer.ts as instances of their own (one process and pool
// each) and lets them start their work at the same moment: each prints `ready` once connected,
// and begins when every one of them is ready and hears `go` on stdin. Its answer is its last line.
import { spawn } from 'node:child_process';

export interface Instance {
  ready: Promise<void>;
  go(): void;
  /** The instance's last output line, parsed as JSON, once it exited with 0. */
  answer: Promise<unknown>;
}

export function startInstance(env: Record<string, string>): Instance {
  const child = spawn('npx', ['tsx', 'tests/helpers/pg-concurrent-writer.ts'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.split('\n').includes('ready')) signalReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const answer = new Promise<unknown>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`instance exited with ${code}: ${stderr}`));
      const lines = stdout.trim().split('\n');
      resolve(JSON.parse(lines.at(-1)!));
    });
  });
  // An instance that fails before `ready` must fail the test, not leave it waiting.
  return {
    ready: Promise.race([ready, answer.then(() => undefined)]),
    go: () => child.stdin.end('go\n'),
    answer,
  };
}

/** Starts `count` instances with the same environment, then lets them all go at once. */
export async function runAtOnce(count: number, env: Record<string, string>): Promise<unknown[]> {
  const instances = Array.from({ length: count }, () => startInstance(env));
  try {
    await Promise.all(instances.map((instance) => instance.ready));
  } finally {
    // Also when one failed to start: the others then end instead of waiting for ever.
    for (const instance of instances) instance.go();
  }
  return await Promise.all(instances.map((instance) => instance.answer));
}
