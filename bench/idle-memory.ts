// Memory per idle socket (issue 4: ≤ 50 KB at 2,000). Method: the server's VmRSS read from
// /proc/<pid>/status (outside the process) after a full GC, once with only the staff and sender
// sockets connected, once after `count` more idle sockets connected; the difference divided by
// `count`. Measured before any message load: RSS never shrinks, so a heap grown by an earlier
// burst would hide the sockets' cost. The heap delta (reported by the server after its GC) is
// given beside it as a cross-check. The bare Socket.IO server is measured the same way.
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

export function idleMemoryFigures(count: number, app: IdleMemory, bare: IdleMemory): Figure[] {
  const targetKb = 50;
  return [
    {
      bench: 'idle-memory',
      name: `server RSS per idle socket at ${count}`,
      value: app.perSocketKb,
      unit: 'KB',
      baseline: bare.perSocketKb,
      ratio: costRatio(app.perSocketKb, bare.perSocketKb),
      target: `≤ ${targetKb} KB`,
      pass: app.perSocketKb <= targetKb,
      note:
        `RSS after GC: app ${app.beforeKb} → ${app.afterKb} kB, bare ${bare.beforeKb} → ${bare.afterKb} kB; ` +
        `heap per socket: app ${app.heapPerSocketKb.toFixed(1)} KB, bare ${bare.heapPerSocketKb.toFixed(1)} KB`,
    },
  ];
}
