// Cold start (issue 7): spawn → the first 200 from the health route, on the generated database.
// App: the built server (`node dist/server/main.js`, as `npm start` runs it). Bare: bench/bare-hono.ts,
// transpiled once by esbuild to plain JS so neither side pays the tsx loader. Median of several
// starts; polling every 5 ms.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import type { GeneratedDb } from './generate-db.ts';
import { freePort, startChild } from './lib/processes.ts';
import { costRatio, type Figure } from './lib/report.ts';
import { percentile } from './lib/stats.ts';

async function coldStart(args: string[], env: Record<string, string>, path: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = await startChild({ args, env: { ...env, PORT: String(port), HOST: '127.0.0.1' } });
  try {
    const deadline = started + 60_000;
    for (;;) {
      const answer = await fetch(`http://127.0.0.1:${port}${path}`).catch(() => null);
      if (answer?.status === 200) return performance.now() - started;
      if (performance.now() > deadline || child.process.exitCode !== null)
        throw new Error(`${args.join(' ')} did not answer ${path}:\n${child.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    await child.stop();
  }
}

export async function runColdStart(generated: GeneratedDb, starts: number): Promise<Figure[]> {
  // Under node_modules/.cache: `hono` resolves from there, and lint and prettier skip it.
  const cacheDir = join('node_modules', '.cache', 'portier-bench');
  mkdirSync(cacheDir, { recursive: true });
  const bareFile = join(cacheDir, 'bare-hono.mjs');
  writeFileSync(
    bareFile,
    transformSync(readFileSync('bench/bare-hono.ts', 'utf8'), { loader: 'ts', format: 'esm' }).code,
  );
  const app: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < starts; i++) {
    app.push(
      await coldStart(
        ['dist/server/main.js'],
        { DATA_DIR: generated.dataDir, LOG_LEVEL: 'warn' },
        '/api/health',
      ),
    );
    bare.push(await coldStart([bareFile], {}, '/json'));
  }
  const appMs = percentile(app, 50);
  const bareMs = percentile(bare, 50);
  return [
    {
      bench: 'cold-start',
      name: `server start → /api/health 200 (${generated.tickets / 1000}k-ticket database)`,
      value: appMs,
      unit: 'ms',
      baseline: bareMs,
      ratio: costRatio(appMs, bareMs),
      target: 'reported',
      pass: null,
      note: `median of ${starts} starts; app ${app.map((t) => t.toFixed(0)).join(', ')} ms; bare ${bare.map((t) => t.toFixed(0)).join(', ')} ms`,
    },
  ];
}
