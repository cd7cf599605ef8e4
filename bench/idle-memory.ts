// Memory per idle socket (issue 4: ≤ 50 KB at 2,000). Method: the server's VmRSS read from
// /proc/<pid>/status (outside the process) after a full GC, once with only the staff and sender
// sockets connected, once after `count` more idle sockets connected; the difference divided by
// `count`. Measured before any message load, so a heap grown by an earlier burst does not hide
// the sockets' cost. The heap delta (reported by the server after its GC) is the floor: the
// figure is the larger of the two (see perSocketCost). The bare server is measured the same way.
import type { Fleet } from './lib/fleet.ts';
import { costRatio, type Figure } from './lib/report.ts';

export interface IdleMemory {
  perSocketKb: number;
  beforeKb: number;
  afterKb: number;
  heapPerSocketKb: number;
}

/** Connects the idle sockets (the fleet must have none yet) and answers the RSS growth per socket. */
export async function measureIdleMemory(fleet: Fleet, count: number): Promise<IdleMemory> {
  const before = await fleet.serverMemory();
  await fleet.connectIdleTo(count);
  // Let handshakes finish their async work (room joins) before reading.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await fleet.serverMemory();
  return {
    perSocketKb: (after.rssKb - before.rssKb) / count,
    beforeKb: before.rssKb,
    afterKb: after.rssKb,
    heapPerSocketKb: (after.heapKb - before.heapKb) / count,
  };
}

/**
 * The RSS delta alone is not honest: the app server's RSS holds memory freed after startup
 * (migrations, module compilation) that new sockets reuse, so it can even fall while 1,000
 * sockets connect (a quick run read −2 KB per socket). The heap delta after GC is a floor the
 * sockets certainly cost; the figure is the larger of the two.
 */
const perSocketCost = (memory: IdleMemory) => Math.max(memory.perSocketKb, memory.heapPerSocketKb);

export function idleMemoryFigures(count: number, app: IdleMemory, bare: IdleMemory): Figure[] {
  const targetKb = 50;
  const value = perSocketCost(app);
  const baseline = perSocketCost(bare);
  return [
    {
      bench: 'idle-memory',
      name: `server memory per idle socket at ${count} (max of RSS and heap delta)`,
      value,
      unit: 'KB',
      baseline,
      ratio: costRatio(value, baseline),
      target: `≤ ${targetKb} KB`,
      pass: value <= targetKb,
      note:
        `RSS after GC: app ${app.beforeKb} → ${app.afterKb} kB, bare ${bare.beforeKb} → ${bare.afterKb} kB; ` +
        `heap per socket: app ${app.heapPerSocketKb.toFixed(1)} KB, bare ${bare.heapPerSocketKb.toFixed(1)} KB`,
    },
  ];
}
