// `npm run bench [-- --quick] [-- --strict] [-- --only=http,live,scale-out]`: every benchmark in
// one run, each figure beside its bare baseline measured in the same run (issue 7). Servers and load
// generators run in separate processes. The report is the product: a missed target is printed
// and kept in bench/results.json, and only `--strict` turns it into a failing exit code.
// `--quick` (CI smoke, < 3 min) shrinks client counts, durations and the database; targets are
// shown but never enforced there.
import { cpus, loadavg } from 'node:os';
import { runBundleSize } from './bundle-size.ts';
import { runColdStart } from './cold-start.ts';
import { generateInboxDb } from './generate-db.ts';
import { runHttp } from './http.ts';
import { runImportBench } from './import/index.ts';
import { runImportServing } from './import/serving.ts';
import { runInboxQuery } from './inbox-query.ts';
import { runLighthouse } from './lighthouse.ts';
import { runLiveSuite, type LiveOptions } from './lib/live-suite.ts';
import { missed, renderTable, writeResults, type Figure } from './lib/report.ts';
import { runPushFanout } from './push-fanout.ts';
import { runScaleOut, type ScaleOutOptions } from './scale-out.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const strict = args.includes('--strict') && !quick;
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

const settings = quick
  ? { httpSeconds: 3, tickets: 20_000, inboxRuns: 50, starts: 2, pushes: 2_000 }
  : { httpSeconds: 15, tickets: 200_000, inboxRuns: 300, starts: 5, pushes: 10_000 };
const live: LiveOptions = quick
  ? { levels: [1000, 2000], workers: 4, perSecond: 200, durationMs: 3000, warmupMs: 1000, broadcastTrials: 3 }
  : {
      levels: [2000, 5000],
      workers: 4,
      perSecond: 200,
      durationMs: 10_000,
      warmupMs: 2000,
      broadcastTrials: 5,
    };

// Two instances on PostgreSQL + Redis: the live suite's senders and durations, a moderate fan-out.
// A lower rate than the live suite's: units of work commit one after another on PostgreSQL across
// all instances (server/unit-of-work/postgres.ts), each several round trips, so 200 messages/s
// fills that queue on a small machine and the figure would measure the queue, not the crossing.
const scaleOut: ScaleOutOptions = {
  workers: live.workers,
  idle: quick ? 100 : 400,
  perSecond: 10,
  durationMs: live.durationMs,
  warmupMs: live.warmupMs,
};

const log = (line: string) => console.log(`[bench] ${line}`);

const benches: [string, () => Promise<Figure[]> | Figure[]][] = [
  ['bundle-size', () => runBundleSize()],
  ['lighthouse', () => runLighthouse(quick, log)],
  ['http', () => runHttp(settings.httpSeconds)],
  [
    'inbox',
    async () => await runInboxQuery(await generateInboxDb(settings.tickets, log), settings.inboxRuns),
  ],
  ['cold-start', async () => runColdStart(await generateInboxDb(settings.tickets, log), settings.starts)],
  ['push', () => runPushFanout(settings.pushes)],
  ['live', () => runLiveSuite(live, log)],
  ['scale-out', () => runScaleOut(scaleOut, log)],
  ['import', () => runImportBench(quick, log)],
  ['import-serving', () => runImportServing(quick, log)],
];

async function main(): Promise<void> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const figures: Figure[] = [];
  const skipped: { bench: string; reason: string }[] = [];
  for (const [name, run] of benches) {
    if (only && !only.includes(name)) continue;
    log(`${name} …`);
    try {
      figures.push(...(await run()));
    } catch (error) {
      // One broken benchmark must not hide the others' figures.
      const reason = error instanceof Error ? error.message : String(error);
      log(`${name} failed: ${reason}`);
      skipped.push({ bench: name, reason });
    }
  }
  if (quick) for (const figure of figures) figure.target &&= `${figure.target} (not enforced: --quick)`;

  const seconds = (performance.now() - started) / 1000;
  console.log(`\n${renderTable(figures)}\n`);
  for (const { bench, reason } of skipped) console.log(`NOT MEASURED ${bench}: ${reason}`);
  const machine = { cpus: cpus().length, node: process.version, load: loadavg() };
  console.log(
    `${quick ? 'quick run' : 'full run'} in ${seconds.toFixed(0)} s on ${machine.cpus} cores, ` +
      `load average at the end ${machine.load.map((l) => l.toFixed(1)).join(' ')} (other processes share the CPU)`,
  );
  writeResults('bench/results.json', { quick, strict, startedAt, seconds, machine, skipped }, figures);
  console.log('written bench/results.json');
  const failures = missed(figures);
  if (strict && (failures.length > 0 || skipped.length > 0)) {
    console.log(`--strict: ${failures.length} target(s) missed, ${skipped.length} benchmark(s) not measured`);
    process.exit(1);
  }
  // Sockets of finished children can keep the loop alive a moment; the report is written.
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
