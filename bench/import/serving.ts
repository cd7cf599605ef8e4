// Serving while a load runs (issue 14 "Performance": p99 of an authenticated GET ≤ 50 ms while a
// load runs). Method: the built demo server in its own process (tests/e2e/helpers/server.ts, as
// bench/http.ts); the demo tenant and the demo admin log in over HTTP. A generated landlord
// (bench/import/generate.ts) is uploaded as CSV files in the console's upload
// (`POST /api/staff/admin/imports?dryRun=false&mode=delta`), so the load runs in the server's own
// worker thread. autocannon in the bench process reads the tenant's contract detail
// (`GET /api/contracts/:id`) at `connections` connections from the 202 until a poll of the job
// says it is no longer running; the job must end `applied`. Baseline, same run: the same GET for a
// fixed window right before the upload. Beside p99: the share of the window in which some request
// waited > 50 ms (timeouts included), which a closed loop's p99 hides (see Reading). Not at the
// issue's full scale: the console takes at most 100 MB per upload (server/lib/body-limit.ts) and
// the full landlord is about 145 MB of CSV, so the default run loads a quarter of it (`--quick`:
// a twentieth).
import autocannon from 'autocannon';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type { ImportJobDto } from '../../shared/api/import.ts';
import { startDemoServer } from '../../tests/e2e/helpers/server.ts';
import { costRatio, type Figure } from '../lib/report.ts';
import { generateLandlordCsv, scaled } from './generate.ts';

/** A moderate crowd of tenants: the figure is about the load's effect, not about saturating the server. */
const connections = 10;
const pollMs = 200;
const timeoutSeconds = 10;

interface Reading {
  p50: number;
  p99: number;
  max: number;
  rps: number;
  requests: number;
  seconds: number;
  /** non-2xx answers and socket errors (timeouts included): any of them means "not served". */
  failed: number;
  timeouts: number;
  /**
   * Seconds in which at least one request waited longer than 50 ms (the union of their spans). A
   * closed loop of 10 connections records a 5 s stall of the whole server as just 10 slow samples,
   * so p99 hides it; a tenant arriving at a random moment meets it with this share of the time.
   */
  stalledSeconds: number;
}

function unionSeconds(spans: [number, number][]): number {
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of spans.sort((a, b) => a[0] - b[0])) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total / 1000;
}

/** Runs autocannon until `durationSeconds` have passed, or until `until` resolves. */
function read(
  url: string,
  cookie: string,
  durationSeconds: number,
  until?: Promise<unknown>,
): Promise<Reading> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const slow: [number, number][] = [];
    const instance = autocannon(
      // A request stuck longer than 10 s behind the load counts as a timeout, not as a latency.
      { url, connections, duration: durationSeconds, headers: { cookie }, timeout: timeoutSeconds },
      (error, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({
          p50: result.latency.p50,
          p99: result.latency.p99,
          max: result.latency.max,
          rps: result.requests.average,
          requests: result.requests.total,
          seconds: (performance.now() - started) / 1000,
          failed: result.non2xx + result.errors,
          timeouts: result.timeouts,
          stalledSeconds: unionSeconds(slow),
        });
      },
    );
    instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
      const now = performance.now();
      if (ms > 50) slow.push([now - ms, now]);
    });
    // A timed-out request waited the whole timeout: part of the stall although it has no latency sample.
    instance.on('reqError', (error: Error) => {
      const now = performance.now();
      if (error.message === 'request timed out') slow.push([now - timeoutSeconds * 1000, now]);
    });
    void until?.then(() => instance.stop());
  });
}

async function login(url: string, email: string): Promise<string> {
  const answer = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ login: email, password: DEMO_PASSWORD }),
  });
  const cookie = (answer.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (answer.status !== 200 || !cookie) throw new Error(`login of ${email} failed: ${answer.status}`);
  return cookie;
}

export async function runImportServing(quick: boolean, log: (line: string) => void): Promise<Figure[]> {
  const factor = quick ? 0.05 : 0.25;
  // Roughly the load's own length on a small machine, so both windows collect comparable samples.
  const baselineSeconds = quick ? 10 : 40;
  const scale = scaled(factor);
  const label = quick ? '1/20 scale' : '1/4 scale';
  const root = mkdtempSync(join(tmpdir(), 'portier-bench-serving-'));
  const server = await startDemoServer();
  try {
    const { url } = server;
    const tenant = await login(url, DEMO_LOGINS.tenant);
    const admin = await login(url, DEMO_LOGINS.admin);
    const list = (await (await fetch(`${url}/api/contracts`, { headers: { cookie: tenant } })).json()) as {
      contracts: { id: string }[];
    };
    const contractId = list.contracts[0]?.id;
    if (!contractId) throw new Error('the demo tenant has no contract');
    const detail = `${url}/api/contracts/${contractId}`;

    log(`import-serving: generating ${scale.units} units, ${scale.ledgerEntries} ledger entries as CSV …`);
    await generateLandlordCsv(root, scale);
    const form = new FormData();
    for (const name of readdirSync(root).sort())
      form.append('file', new Blob([readFileSync(join(root, name))], { type: 'text/csv' }), name);

    await read(detail, tenant, 1); // warm-up
    log(`import-serving: baseline ${baselineSeconds} s …`);
    const baseline = await read(detail, tenant, baselineSeconds);

    log('import-serving: uploading, then reading while the load runs …');
    const posted = performance.now();
    const started = await fetch(`${url}/api/staff/admin/imports?dryRun=false&mode=delta`, {
      method: 'POST',
      headers: { cookie: admin, origin: url },
      body: form,
    });
    if (started.status !== 202) throw new Error(`upload answered ${started.status}: ${await started.text()}`);
    const accepted = performance.now();
    const { job } = (await started.json()) as { job: ImportJobDto };

    let last = job;
    const finished = (async () => {
      while (last.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        const answer = await fetch(`${url}/api/staff/admin/imports/${job.id}`, {
          headers: { cookie: admin },
        });
        if (answer.status !== 200) throw new Error(`job poll answered ${answer.status}`);
        last = ((await answer.json()) as { job: ImportJobDto }).job;
      }
      return performance.now();
    })();
    // The window ends when the job does, never after a fixed time: an hour is only a backstop.
    const during = await read(detail, tenant, 3600, finished);
    const doneAt = await finished;
    if (last.state !== 'applied')
      throw new Error(
        `the load ended ${last.state}: ${JSON.stringify(last.problems.slice(0, 3))} (${last.problemCount} problems)`,
      );
    const jobSeconds = (Date.parse(last.finishedAt!) - Date.parse(last.startedAt)) / 1000;
    // The part of the job's run (202 → seen done) the reading covered; below 100 % it missed some of it.
    const coverage = during.seconds / ((doneAt - accepted) / 1000);
    const reading = (r: Reading) =>
      `${r.requests} requests in ${r.seconds.toFixed(1)} s, p50 ${r.p50} ms, max ${r.max} ms, ${r.failed} failed (${r.timeouts} timed out after ${timeoutSeconds} s)`;
    const stalled = (r: Reading) => (100 * r.stalledSeconds) / r.seconds;

    return [
      {
        bench: 'import-serving',
        name: `GET /api/contracts/:id p99 while a load runs (${label})`,
        value: during.p99,
        unit: 'ms',
        baseline: baseline.p99,
        ratio: costRatio(during.p99, baseline.p99),
        target: '≤ 50 ms',
        pass: during.p99 <= 50 && during.failed === 0,
        note:
          `${connections} connections; during: ${reading(during)} (covers ${(coverage * 100).toFixed(0)} % ` +
          `of the job); before: ${reading(baseline)}`,
      },
      {
        bench: 'import-serving',
        name: `share of the time a GET waited > 50 ms while a load runs (${label})`,
        value: stalled(during),
        unit: '%',
        baseline: stalled(baseline),
        ratio: costRatio(stalled(during), stalled(baseline)),
        // The same p99 target, free of coordinated omission (see Reading.stalledSeconds).
        target: '≤ 1 %',
        pass: stalled(during) <= 1,
        note:
          `${during.stalledSeconds.toFixed(1)} s of ${during.seconds.toFixed(1)} s, longest answer ${during.max} ms: ` +
          `${connections} connections record a stall of the whole server as ${connections} samples, so p99 ` +
          `hides it; a tenant arriving at a random moment meets one with this share`,
      },
      {
        bench: 'import-serving',
        name: `GET /api/contracts/:id p50 while a load runs (${label})`,
        value: during.p50,
        unit: 'ms',
        baseline: baseline.p50,
        ratio: costRatio(during.p50, baseline.p50),
      },
      {
        bench: 'import-serving',
        name: `GET /api/contracts/:id throughput while a load runs (${label})`,
        value: during.rps,
        unit: 'req/s',
        baseline: baseline.rps,
        ratio: costRatio(during.rps, baseline.rps),
      },
      {
        bench: 'import-serving',
        name: `load in the server's worker, ${scale.units} units (${label})`,
        // 202 → a poll saw it end: what tenants live through. The job's own timestamps can be shorter.
        value: (doneAt - accepted) / 1000,
        unit: 's',
        note:
          `the job's startedAt → finishedAt says ${jobSeconds.toFixed(1)} s; polled every ${pollMs} ms; the upload ` +
          `before the 202 took ${((accepted - posted) / 1000).toFixed(1)} s; ` +
          `${Object.values(last.counts ?? {}).reduce((sum, c) => sum + c.created, 0)} records created`,
      },
    ];
  } finally {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
