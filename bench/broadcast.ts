// Notice broadcast to every idle tenant socket of one estate (issue 5: ≤ 1 s and ≤ 1.5× bare).
// Method: t0 is taken in the bench process right before the trigger; each worker records when
// each of its idle sockets got the `notice.published`; the figure is (last receive − t0), the
// median over several trials after one warm-up. App trigger: `POST /api/staff/notices` as the
// demo staff user when that route exists; otherwise the app server's IPC hook writes the notice
// and its event-log row and publishes on the domain bus (bench/lib/app-server.ts), which is
// the path after the route. Bare trigger: `POST /broadcast` → one Socket.IO room emit.
import type { z } from 'zod';
import type { staffNoticeCreate } from '../shared/api/staff-notices.ts';
import { request } from './lib/ipc.ts';
import type { Fleet } from './lib/fleet.ts';
import { epochMs, waitUntil } from './lib/processes.ts';
import { costRatio, type Figure } from './lib/report.ts';
import { percentile } from './lib/stats.ts';

export interface Broadcast {
  medianMs: number;
  maxMs: number;
  trigger: string;
}

type Trigger = (title: string) => Promise<void>;
/** The route's own request type, so the bench cannot drift from the contract. */
type StaffNoticeCreateInput = z.input<typeof staffNoticeCreate>;

/** Picks how to publish a notice on this fleet; answers the trigger and how it works. */
async function triggerFor(fleet: Fleet): Promise<{ trigger: Trigger; how: string }> {
  if (fleet.kind === 'bare') {
    return {
      how: 'POST /broadcast (room emit)',
      trigger: async (title) => {
        const answer = await fetch(`${fleet.url}/broadcast?title=${title}`, { method: 'POST' });
        if (answer.status !== 201) throw new Error(`bare broadcast answered ${answer.status}`);
      },
    };
  }
  const demo = fleet.demo!;
  const post = (title: string) =>
    fetch(`${fleet.url}/api/staff/notices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: fleet.url, cookie: demo.staffCookie },
      body: JSON.stringify({
        scope: { kind: 'estate', ids: [demo.estateId] },
        category: 'general',
        title,
        body: title,
        validFrom: new Date().toISOString(),
      } satisfies StaffNoticeCreateInput),
    });
  const probe = await post('bench-notice-probe');
  if (probe.ok) {
    return {
      how: 'POST /api/staff/notices',
      trigger: async (title) => {
        const answer = await post(title);
        if (!answer.ok) throw new Error(`POST /api/staff/notices answered ${answer.status}`);
      },
    };
  }
  const code = ((await probe.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code;
  return {
    how: `IPC hook: notice + event-log row + bus publish (POST /api/staff/notices answered ${probe.status} ${code ?? ''})`,
    trigger: async (title) => {
      await request(fleet.serverProcess, 'notice', { estateId: demo.estateId, title });
    },
  };
}

export async function measureBroadcast(fleet: Fleet, trials: number): Promise<Broadcast> {
  const { trigger, how } = await triggerFor(fleet);
  const expected = fleet.idleConnected;
  const times: number[] = [];
  for (let trial = 0; trial <= trials; trial++) {
    const title = `bench-notice-${fleet.kind}-${trial}-${Math.random().toString(36).slice(2, 8)}`;
    const start = epochMs();
    await trigger(title);
    let last: number | null = null;
    await waitUntil(
      async () => {
        const status = await fleet.broadcastStatus(title);
        last = status.last;
        return status.count >= expected;
      },
      30_000,
      `${fleet.kind}: ${expected} sockets receiving ${title}`,
    );
    if (trial > 0) times.push(last! - start); // trial 0 is the warm-up
  }
  return { medianMs: percentile(times, 50), maxMs: Math.max(...times), trigger: how };
}

export function broadcastFigures(sockets: number, app: Broadcast, bare: Broadcast): Figure[] {
  const ratio = costRatio(app.medianMs, bare.medianMs);
  return [
    {
      bench: 'broadcast',
      name: `notice to ${sockets} estate sockets, last received (median)`,
      value: app.medianMs,
      unit: 'ms',
      baseline: bare.medianMs,
      ratio,
      target: '≤ 1000 ms and ≤ 1.5× bare',
      pass: app.medianMs <= 1000 && (ratio ?? Infinity) <= 1.5,
      note: `worst trial app ${app.maxMs.toFixed(0)} ms, bare ${bare.maxMs.toFixed(0)} ms; app trigger: ${app.trigger}`,
    },
  ];
}
