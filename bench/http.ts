// HTTP read throughput and p99 at 50 connections (issue 3: ≥ 50 % of bare, p99 ≤ 20 ms).
// Method: autocannon in the bench process; the servers in their own processes: the built demo
// server (tests/e2e/helpers/server.ts) and the bare Hono JSON route (bench/bare-hono.ts). Each
// route gets a short warm-up, then `durationSeconds` of load with the demo tenant's cookie.
import autocannon from 'autocannon';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../db/seed/demo-constants.ts';
import { startDemoServer } from '../tests/e2e/helpers/server.ts';
import { freePort, startChild } from './lib/processes.ts';
import { speedRatio, type Figure } from './lib/report.ts';

const connections = 50;

async function load(url: string, durationSeconds: number, headers: Record<string, string> = {}) {
  await autocannon({ url, connections, duration: 1, headers }); // warm-up
  const result = await autocannon({ url, connections, duration: durationSeconds, headers });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return { rps: result.requests.average, p99: result.latency.p99 };
}

export async function runHttp(durationSeconds: number): Promise<Figure[]> {
  const port = await freePort();
  const bare = await startChild({
    args: ['--import', 'tsx', 'bench/bare-hono.ts'],
    env: { PORT: String(port) },
    ready: 'listening',
  });
  const portier = await startDemoServer();
  try {
    const login = await fetch(`${portier.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: portier.url },
      body: JSON.stringify({ login: DEMO_LOGINS.tenant, password: DEMO_PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    if (login.status !== 200 || !cookie) throw new Error(`demo login failed: ${login.status}`);
    const contractsAnswer = await fetch(`${portier.url}/api/contracts`, { headers: { cookie } });
    const { contracts } = (await contractsAnswer.json()) as { contracts: { id: string }[] };
    const contractId = contracts[0]?.id;
    if (!contractId) throw new Error('the demo tenant has no contract');

    const baseline = await load(`http://127.0.0.1:${port}/json`, durationSeconds);
    const oneRead = await load(`http://127.0.0.1:${port}/json-db`, durationSeconds);
    const figures: Figure[] = [
      { bench: 'http', name: 'bare Hono JSON route (the baseline)', value: baseline.rps, unit: 'req/s' },
      {
        bench: 'http',
        name: 'bare Hono + one SQLite read (informative)',
        value: oneRead.rps,
        unit: 'req/s',
        baseline: baseline.rps,
        ratio: speedRatio(oneRead.rps, baseline.rps),
        note: 'what a single indexed read transaction per request costs here, with nothing else',
      },
    ];
    for (const [name, path] of [
      ['GET /api/health', '/api/health'],
      ['GET /api/me', '/api/me'],
      ['GET /api/contracts/:id', `/api/contracts/${contractId}`],
      ['GET /api/invoices', '/api/invoices'],
    ] as const) {
      const measured = await load(`${portier.url}${path}`, durationSeconds, { cookie });
      const ratio = speedRatio(measured.rps, baseline.rps);
      figures.push(
        {
          bench: 'http',
          name: `${name} throughput`,
          value: measured.rps,
          unit: 'req/s',
          baseline: baseline.rps,
          ratio,
          target: '≥ 0.5× bare',
          pass: (ratio ?? 0) >= 0.5,
        },
        {
          bench: 'http',
          name: `${name} p99`,
          value: measured.p99,
          unit: 'ms',
          baseline: baseline.p99,
          ratio: speedRatio(measured.p99, baseline.p99),
          target: '≤ 20 ms',
          pass: measured.p99 <= 20,
        },
      );
    }
    figures[0]!.note = `${connections} connections, ${durationSeconds} s per route after 1 s warm-up; bare p99 ${baseline.p99} ms`;
    return figures;
  } finally {
    await bare.stop();
    await portier.stop();
  }
}
