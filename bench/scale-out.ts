// Message latency across instances (issue 19: "sender on A, receiver on B, p50 ≤ 2× of the
// single-instance figure in the same run").
// Method: a throwaway PostgreSQL and Redis (the ones the store tests start, tests/helpers), the demo
// seeded into PostgreSQL with its sessions (bench/lib/demo-data.ts), two app instances A and B on
// both (bench/lib/app-server.ts, the wiring of server/main.ts). The live suite's fleet: W sender
// sockets and the idle sockets on A, messages at a fixed rate, the staff socket taking the receive
// time (bench/live-latency.ts). Measured twice with the same sockets connected, each after its own
// warm-up: the staff socket on A (the commit's own instance hands the rows on at once), then on B
// (B learns of A's commit through the `log.appended` notice over Redis and reads the rows from
// PostgreSQL, server/realtime/log-feed.ts). Both runs go through the same store and adapter, so
// the ratio is meant to show the cost of crossing instances; the write path is shared by both.
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startPgServer } from '../tests/helpers/pg-server.ts';
import { startRedisServer } from '../tests/helpers/redis-server.ts';
import { measureLatency, type Latency } from './live-latency.ts';
import { prepareLiveDemo, type LiveDemo } from './lib/demo-data.ts';
import { Fleet } from './lib/fleet.ts';
import { costRatio, type Figure } from './lib/report.ts';

export interface ScaleOutOptions {
  /** Sender sockets (one per worker process). */
  workers: number;
  /** Idle sockets beside them on instance A. */
  idle: number;
  perSecond: number;
  durationMs: number;
  warmupMs: number;
}

const maxRatio = 2;

export async function runScaleOut(options: ScaleOutOptions, log: (line: string) => void): Promise<Figure[]> {
  log('scale-out: PostgreSQL and Redis for two instances');
  const pg = await startPgServer('portier_bench');
  try {
    const redis = await startRedisServer();
    try {
      const demo = await prepareLiveDemo(options.workers, options.idle, pg.url);
      try {
        return await measureBoth(demo, redis.url, options, log);
      } finally {
        rmSync(demo.dataDir, { recursive: true, force: true });
      }
    } finally {
      await redis.stop();
    }
  } finally {
    await pg.stop();
  }
}

async function measureBoth(
  demo: LiveDemo,
  redisUrl: string,
  options: ScaleOutOptions,
  log: (line: string) => void,
): Promise<Figure[]> {
  const fleet = await Fleet.start('app', demo, options.workers, { instances: 2, redisUrl });
  try {
    await fleet.connectActive();
    await fleet.connectIdleTo(options.idle);
    await fleet.sendAndMeasure('scale-out-warmup', options.perSecond, options.warmupMs);
    const measure = () => measureLatency(fleet, options.perSecond, options.durationMs, options.warmupMs);
    log(`scale-out: staff socket on A (the senders' instance), load ${loadavg()[0]!.toFixed(2)}`);
    const single = await measure();
    await fleet.moveStaffTo(1);
    log(`scale-out: staff socket on B, load ${loadavg()[0]!.toFixed(2)}`);
    const across = await measure();
    return scaleOutFigures(options, single, across);
  } finally {
    await fleet.stop();
  }
}

function scaleOutFigures(options: ScaleOutOptions, single: Latency, across: Latency): Figure[] {
  const at = `at ${options.workers + options.idle} clients, ${options.perSecond} msg/s`;
  const ratio = costRatio(across.p50, single.p50);
  const counts = (latency: Latency) =>
    `${latency.samples} samples` + (latency.unacked > 0 ? `, ${latency.unacked} acks not within 30 s` : '');
  console.log(
    `[bench] scale-out: message p50 ${at}: A→B ${across.p50.toFixed(2)} / A→A ${single.p50.toFixed(2)} ms = ` +
      `${ratio?.toFixed(2) ?? '–'}× (≤ ${maxRatio}×); p99 A→B ${across.p99.toFixed(2)}, ` +
      `A→A ${single.p99.toFixed(2)} ms; load ${loadavg()[0]!.toFixed(2)}`,
  );
  return [
    {
      bench: 'scale-out',
      name: `message sender on A → staff on B p50 ${at}, vs both on A (PostgreSQL + Redis)`,
      value: across.p50,
      unit: 'ms',
      baseline: single.p50,
      ratio,
      target: `≤ ${maxRatio}×`,
      pass: (ratio ?? Infinity) <= maxRatio,
      note: `across ${counts(across)}; single instance ${counts(single)}`,
    },
    {
      bench: 'scale-out',
      name: `message sender on A → staff on B p99 ${at}, vs both on A`,
      value: across.p99,
      unit: 'ms',
      baseline: single.p99,
      ratio: costRatio(across.p99, single.p99),
      target: 'informative',
      pass: null,
    },
  ];
}
