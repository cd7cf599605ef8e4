// Message latency tenant → staff (issue 4: p99 ≤ 25 ms and ≤ 2× bare, at 200 messages/s).
// Method: W sender sockets (the demo tenant's sessions, one per worker process) emit
// `message.send` on her open tickets on a fixed schedule, 200/s in total, whatever the acks do;
// the body carries the send time. The staff socket (its own process) takes the receive time of
// each `message.created`; latency = receive − send on the same machine clock
// (performance.timeOrigin + now). The idle sockets are connected the whole time. A warm-up run
// at the same rate is discarded. The bare server relays to the same rooms (bench/bare-socketio.ts).
import type { CommitCost } from './lib/durable-commit.ts';
import type { Fleet } from './lib/fleet.ts';
import { costRatio, type Figure } from './lib/report.ts';
import { percentile } from './lib/stats.ts';

export interface Latency {
  p50: number;
  p99: number;
  samples: number;
  /** Sends whose ack did not come within 30 s. */
  unacked: number;
}

let runs = 0;

export async function measureLatency(
  fleet: Fleet,
  perSecond: number,
  durationMs: number,
  warmupMs: number,
): Promise<Latency> {
  await fleet.sendAndMeasure(`warm${runs++}`, perSecond, warmupMs);
  const { latencies, unacked } = await fleet.sendAndMeasure(`run${runs++}`, perSecond, durationMs);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    samples: latencies.length,
    unacked,
  };
}

export function latencyFigures(
  clients: number,
  perSecond: number,
  app: Latency,
  bare: Latency,
  commit: CommitCost,
): Figure[] {
  const at = `at ${clients} clients, ${perSecond} msg/s`;
  const p99Ratio = costRatio(app.p99, bare.p99);
  // The same ratio against an equally durable baseline: the bare echo plus the one fsync'd commit
  // every stored message costs on this disk (bench/lib/durable-commit.ts). Shown beside the issue's
  // own figure, which stays as it is; it tells disk from code.
  const durableP50 = bare.p50 + commit.p50;
  return [
    {
      bench: 'live-latency',
      name: `message tenant→staff p50 ${at}, vs bare + one durable commit`,
      value: app.p50,
      unit: 'ms',
      baseline: durableP50,
      ratio: costRatio(app.p50, durableP50),
      target: '≤ 2× (informative)',
      pass: null,
      note: `one WAL commit with synchronous=FULL on this disk: p50 ${commit.p50.toFixed(2)} ms, p99 ${commit.p99.toFixed(2)} ms`,
    },
    {
      bench: 'live-latency',
      name: `message tenant→staff p50 ${at}`,
      value: app.p50,
      unit: 'ms',
      baseline: bare.p50,
      ratio: costRatio(app.p50, bare.p50),
      target: '≤ 2× bare',
      pass: (costRatio(app.p50, bare.p50) ?? Infinity) <= 2,
      note:
        `${app.samples} samples (bare ${bare.samples})` +
        (app.unacked + bare.unacked > 0
          ? `; acks not within 30 s: app ${app.unacked}, bare ${bare.unacked}`
          : ''),
    },
    {
      bench: 'live-latency',
      name: `message tenant→staff p99 ${at}`,
      value: app.p99,
      unit: 'ms',
      baseline: bare.p99,
      ratio: p99Ratio,
      target: '≤ 25 ms and ≤ 2× bare',
      pass: app.p99 <= 25 && (p99Ratio ?? Infinity) <= 2,
    },
  ];
}
