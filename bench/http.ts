// HTTP read throughput and p99 at 50 connections, each against the limit of the same work measured
// in the same run: the session cost (`GET /api/health` with a session ≥ 0.6× bare Hono + one
// indexed SQLite read) and the page cost (each page ≥ 0.6× a bare route running the page's own SQL
// statements with the same session check), p99 ≤ 20 ms.
// Method: autocannon in the bench process; the servers in their own processes: the built demo
// server (tests/e2e/helpers/server.ts), the bare Hono JSON routes (bench/bare-hono.ts) and the page
// baseline (bench/bare-pages.ts) on the demo server's database file, its statements recorded from
// the app first (bench/lib/page-statements.ts). Each route gets a short warm-up, then
// `durationSeconds` of load with the demo tenant's cookie; each page's baseline is loaded right
// before the page.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../server/demo/demo-constants.ts';
import { startDemoServer } from '../tests/e2e/helpers/server.ts';
import type { PageStatements } from './lib/page-statements.ts';
import { freePort, startChild } from './lib/processes.ts';
import { speedRatio, type Figure } from './lib/report.ts';

/** The ratio a figure must reach against its same-work baseline (issue 18). */
const sameWorkTarget = 0.6;

type Measured = Awaited<ReturnType<typeof load>>;
const cpuRatio = (app: Measured, same: Measured) =>
  app.cpuUs && same.cpuUs
    ? `, server CPU per answer ${app.cpuUs.toFixed(0)} / ${same.cpuUs.toFixed(0)} µs = ${(same.cpuUs / app.cpuUs).toFixed(2)}×`
    : '';

const printRatio = (name: string, app: Measured, same: Measured, target: string) =>
  console.log(
    `[bench] http: ${name}: ${app.rps.toFixed(0)} / ${same.rps.toFixed(0)} req/s = ` +
      `${(app.rps / same.rps).toFixed(2)}× (${target})${cpuRatio(app, same)}; load ${loadavg()[0]!.toFixed(2)}`,
  );

const connections = 50;

async function load(
  url: string,
  durationSeconds: number,
  headers: Record<string, string> = {},
  pid?: number,
) {
  await autocannon({ url, connections, duration: 1, headers }); // warm-up
  const before = pid ? cpuMs(pid) : 0;
  const result = await autocannon({ url, connections, duration: durationSeconds, headers });
  const cpu = pid ? cpuMs(pid) - before : 0;
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    // Server CPU (user + system) per answer: far less disturbed by other processes than req/s.
    cpuUs: pid && result.requests.total > 0 ? (cpu * 1000) / result.requests.total : null,
  };
}

/** Waits (up to 30 s) until a process is idle: the demo server indexes and sends its seed's work after start. */
async function settled(pid: number | undefined): Promise<void> {
  if (!pid) return;
  for (let i = 0; i < 60; i++) {
    const before = cpuMs(pid);
    await new Promise((resolve) => setTimeout(resolve, 500));
    if (!(cpuMs(pid) - before > 25)) return;
  }
}

/** CPU time a process has used so far, in ms (utime + stime from /proc, Linux; 100 ticks/s). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** The demo server's process (tests/e2e/helpers/server.ts keeps it to itself): the one serving `dataDir`. */
function demoServerPid(dataDir: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`DEMO_DATA_DIR=${dataDir}`)) {
        return Number(entry);
      }
    } catch {
      // A process that ended meanwhile, or one not ours.
    }
  }
  return undefined;
}

export async function runHttp(durationSeconds: number): Promise<Figure[]> {
  const port = await freePort();
  const bare = await startChild({
    args: ['--import', 'tsx', 'bench/bare-hono.ts'],
    env: { PORT: String(port) },
    ready: 'listening',
  });
  const portier = await startDemoServer();
  let bareHonoPages: Awaited<ReturnType<typeof startChild>> | undefined;
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

    const pages = [
      ['GET /api/me', '/api/me'],
      ['GET /api/contracts/:id', `/api/contracts/${contractId}`],
      ['GET /api/invoices', '/api/invoices'],
    ] as const;
    const statements = await capturePages(portier.dataDir, cookie, [
      '/api/health',
      ...pages.map(([, p]) => p),
    ]);
    const portierPid = demoServerPid(portier.dataDir);
    const pagesPort = await freePort();
    bareHonoPages = await startChild({
      args: ['--import', 'tsx', 'bench/bare-pages.ts'],
      env: {
        PORT: String(pagesPort),
        DB_FILE: join(portier.dataDir, 'portier.sqlite'),
        STATEMENTS: statements.file,
      },
      ready: 'listening',
    });

    await settled(portierPid);
    const baseline = await load(`http://127.0.0.1:${port}/json`, durationSeconds);
    const oneRead = await load(`http://127.0.0.1:${port}/json-db`, durationSeconds, {}, bare.pid);
    const figures: Figure[] = [
      { bench: 'http', name: 'bare Hono JSON route (the baseline)', value: baseline.rps, unit: 'req/s' },
      {
        bench: 'http',
        name: 'bare Hono + one SQLite read (informative)',
        value: oneRead.rps,
        unit: 'req/s',
        baseline: baseline.rps,
        ratio: speedRatio(oneRead.rps, baseline.rps),
        note: 'one session-like row by primary key (WAL, synchronous=FULL): the session-cost baseline',
      },
    ];
    for (const [name, path] of [['GET /api/health', '/api/health'], ...pages] as const) {
      const page = statements.pages.find((p) => p.path === path)!;
      const health = path === '/api/health';
      const same = health
        ? oneRead
        : await load(`http://127.0.0.1:${pagesPort}${path}`, durationSeconds, { cookie }, bareHonoPages.pid);
      const measured = await load(`${portier.url}${path}`, durationSeconds, { cookie }, portierPid);
      const ratio = speedRatio(measured.rps, same.rps);
      const target = `≥ ${sameWorkTarget}× ${health ? 'bare + one read' : 'its statements raw'}`;
      printRatio(`${name} with a session`, measured, same, target);
      if (!health) {
        figures.push({
          bench: 'http',
          name: `${name}: its statements raw + session check (the baseline)`,
          value: same.rps,
          unit: 'req/s',
          note: `${page.calls.length} statements (${page.calls.filter((c) => c.reader).length} reads), app answer ${page.bytes} bytes; p99 ${same.p99} ms`,
        });
      }
      figures.push(
        {
          bench: 'http',
          name: `${name} throughput`,
          value: measured.rps,
          unit: 'req/s',
          baseline: same.rps,
          ratio,
          target,
          pass: (ratio ?? 0) >= sameWorkTarget,
          ...(health && {
            note: `statements per request: ${page.calls.map((c) => c.sql.slice(0, 40)).join(' | ')}`,
          }),
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
    await bareHonoPages?.stop();
    await bare.stop();
    await portier.stop();
  }
}

/** Records each page's statements from the app on the demo server's database (its own process). */
async function capturePages(dataDir: string, cookie: string, paths: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'portier-pages-'));
  const file = join(dir, 'statements.json');
  await startChild({
    args: ['--import', 'tsx', 'bench/lib/page-statements.ts'],
    env: { DATA_DIR: dataDir, COOKIE: cookie, PAGES: JSON.stringify(paths), OUT: file, LOG_LEVEL: 'warn' },
    ready: 'captured',
  });
  const pages = JSON.parse(readFileSync(file, 'utf8')) as PageStatements[];
  for (const page of pages) {
    if (page.status !== 200) throw new Error(`${page.path}: the app answered ${page.status} while recording`);
    if (!page.calls.some((call) => call.session !== undefined))
      throw new Error(`${page.path}: no session read recorded`);
  }
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return { file, pages };
}
