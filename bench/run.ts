// `npm run bench [-- --quick]`: every figure beside a bare baseline measured in the same run.
// Servers run in their own processes; autocannon generates the load from this one.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import { startDemoServer } from '../tests/e2e/helpers/server.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../db/seed/demo-constants.ts';

const quick = process.argv.includes('--quick');
const duration = quick ? 5 : 15;
const connections = 50;

interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  target?: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startBareHono(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-hono.ts'], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}/json`, stop: () => child.kill() };
}

async function load(url: string, headers: Record<string, string> = {}) {
  const result = await autocannon({ url, connections, duration, headers });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}

async function main(): Promise<void> {
  const figures: Figure[] = [];
  const bare = await startBareHono();
  const portier = await startDemoServer();
  try {
    const login = await fetch(`${portier.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: portier.url },
      body: JSON.stringify({ login: DEMO_LOGINS.tenant, password: DEMO_PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (login.status !== 200 || !cookie) throw new Error(`demo login failed: ${login.status}`);

    const baseline = await load(bare.url);
    figures.push({ name: 'bare Hono JSON route', value: baseline.rps, unit: 'req/s' });
    figures.push({ name: 'bare Hono JSON route p99', value: baseline.p99, unit: 'ms' });

    const contractsAnswer = await fetch(`${portier.url}/api/contracts`, { headers: { cookie } });
    const { contracts } = (await contractsAnswer.json()) as { contracts: { id: string }[] };
    const contractId = contracts[0]?.id;
    if (!contractId) throw new Error('the demo tenant has no contract');

    for (const [name, path] of [
      ['GET /api/health', '/api/health'],
      ['GET /api/me (session lookup)', '/api/me'],
      ['GET /api/contracts/:id', `/api/contracts/${contractId}`],
      ['GET /api/invoices', '/api/invoices'],
    ] as const) {
      const measured = await load(`${portier.url}${path}`, { cookie });
      figures.push({
        name,
        value: measured.rps,
        unit: 'req/s',
        baseline: baseline.rps,
        ratio: measured.rps / baseline.rps,
        target: '≥ 0.5 of bare',
      });
      figures.push({ name: `${name} p99`, value: measured.p99, unit: 'ms', target: '≤ 20 ms' });
    }
  } finally {
    bare.stop();
    await portier.stop();
  }

  const rows = figures.map((f) => ({
    figure: f.name,
    value: `${f.value.toFixed(f.unit === 'ms' ? 1 : 0)} ${f.unit}`,
    baseline: f.baseline === undefined ? '' : f.baseline.toFixed(0),
    ratio: f.ratio === undefined ? '' : f.ratio.toFixed(2),
    target: f.target ?? '',
  }));
  console.table(rows);
  writeFileSync(
    'bench/results.json',
    JSON.stringify(
      { at: new Date().toISOString(), quick, connections, durationSeconds: duration, figures },
      null,
      2,
    ),
  );
  console.log('written bench/results.json');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
