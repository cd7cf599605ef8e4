// The three live benchmarks share one server lifetime per side, in this order: idle memory at
// the first level → message warm-up → latency at each level → broadcast at the last level.
// The app and the bare baseline go through the identical sequence, one after the other.
import { rmSync } from 'node:fs';
import { broadcastFigures, measureBroadcast, type Broadcast } from '../broadcast.ts';
import { idleMemoryFigures, measureIdleMemory, type IdleMemory } from '../idle-memory.ts';
import { latencyFigures, measureLatency, type Latency } from '../live-latency.ts';
import { prepareLiveDemo } from './demo-data.ts';
import { measureDurableCommit } from './durable-commit.ts';
import { Fleet, type LiveKind } from './fleet.ts';
import type { Figure } from './report.ts';

export interface LiveOptions {
  /** Connected tenant sockets (senders + idle) for each latency run, ascending. */
  levels: number[];
  workers: number;
  perSecond: number;
  durationMs: number;
  warmupMs: number;
  broadcastTrials: number;
}

interface SideResult {
  memory: IdleMemory;
  latencies: Latency[];
  /** Bare side only: the same runs with one durable commit per message (bench/bare-socketio.ts). */
  durableLatencies: Latency[];
  broadcast: Broadcast;
}

async function runSide(kind: LiveKind, options: LiveOptions): Promise<SideResult> {
  const top = options.levels.at(-1)!;
  const demo = kind === 'app' ? await prepareLiveDemo(options.workers, top - options.workers) : null;
  const fleet = await Fleet.start(kind, demo, options.workers);
  try {
    await fleet.connectActive();
    const memory = await measureIdleMemory(fleet, options.levels[0]! - options.workers);
    await fleet.sendAndMeasure(`${kind}-warmup`, options.perSecond, options.warmupMs);
    const latencies: Latency[] = [];
    const durableLatencies: Latency[] = [];
    for (const level of options.levels) {
      await fleet.connectIdleTo(level - options.workers);
      latencies.push(await measureLatency(fleet, options.perSecond, options.durationMs, options.warmupMs));
      if (kind === 'bare') {
        await fleet.setDurable(true);
        durableLatencies.push(
          await measureLatency(fleet, options.perSecond, options.durationMs, options.warmupMs),
        );
        await fleet.setDurable(false);
      }
    }
    const broadcast = await measureBroadcast(fleet, options.broadcastTrials);
    return { memory, latencies, durableLatencies, broadcast };
  } finally {
    await fleet.stop();
    if (demo) rmSync(demo.dataDir, { recursive: true, force: true });
  }
}

export async function runLiveSuite(options: LiveOptions, log: (line: string) => void): Promise<Figure[]> {
  log(`live: app server, ${options.levels.join(' / ')} sockets`);
  const app = await runSide('app', options);
  log('live: bare Socket.IO server, same load');
  const bare = await runSide('bare', options);
  log('live: cost of one durable commit on this disk');
  const commit = measureDurableCommit();
  const top = options.levels.at(-1)!;
  return [
    ...options.levels.flatMap((level, i) =>
      latencyFigures(
        level,
        options.perSecond,
        app.latencies[i]!,
        bare.latencies[i]!,
        bare.durableLatencies[i]!,
        commit,
      ),
    ),
    ...broadcastFigures(top - options.workers, app.broadcast, bare.broadcast),
    ...idleMemoryFigures(options.levels[0]! - options.workers, app.memory, bare.memory),
  ];
}
