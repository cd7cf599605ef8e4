// Staff inbox on a large database (issue 5: p95 ≤ 20 ms on 200,000 tickets / 2,000,000 messages).
// Method: the generated database (bench/generate-db.ts) opened like the server opens it; each
// inbox view of GET /api/staff/tickets is the service call listStaffTickets() as the demo staff
// user (scope: all buildings, the widest scan), warmed up, then run many times; p95 per view.
// Baseline: one prepared better-sqlite3 `SELECT * FROM tickets ORDER BY last_activity_at DESC
// LIMIT 50` on the same file, timed the same way.
import { openDatabase } from '../db/client.ts';
import { findAccountByLoginEmail } from '../db/repositories/users.ts';
import { DEMO_LOGINS } from '../db/seed/demo-constants.ts';
import { loadConfig } from '../server/config.ts';
import { createDeps } from '../server/deps.ts';
import type { SessionUser } from '../server/lib/context.ts';
import { listStaffTickets, type StaffListQuery } from '../server/services/tickets/list.ts';
import type { GeneratedDb } from './generate-db.ts';
import { costRatio, type Figure } from './lib/report.ts';
import { percentile } from './lib/stats.ts';

function timeRuns(runs: number, work: () => unknown): number[] {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return samples;
}

export function runInboxQuery(generated: GeneratedDb, runs: number): Figure[] {
  const db = openDatabase(generated.file);
  try {
    const deps = createDeps(loadConfig({ DATA_DIR: generated.dataDir }), db);
    const account = findAccountByLoginEmail(db, DEMO_LOGINS.staff);
    if (!account) throw new Error('demo staff missing in the generated database');
    const staff: SessionUser = account.user;
    const building = (
      db.$client.prepare('SELECT building_id AS id FROM tickets LIMIT 1').get() as { id: string }
    ).id;
    const views: [string, StaffListQuery][] = [
      ['all in scope', {}],
      ['unassigned', { assignee: 'none' }],
      ['mine', { assignee: 'me' }],
      ['waiting for tenant', { status: 'waiting_tenant' }],
      ['one building, new', { building, status: 'new' }],
      ['search "Heizung"', { q: 'Heizung' }],
    ];
    const bare = db.$client.prepare('SELECT * FROM tickets ORDER BY last_activity_at DESC LIMIT 50');
    timeRuns(20, () => bare.all());
    const bareP95 = percentile(
      timeRuns(runs, () => bare.all()),
      95,
    );
    const size = `${generated.tickets / 1000}k tickets / ${generated.messages / 1_000_000}M messages`;
    return views.map(([view, query]) => {
      timeRuns(10, () => listStaffTickets(deps, staff, query));
      const p95 = percentile(
        timeRuns(runs, () => listStaffTickets(deps, staff, query)),
        95,
      );
      return {
        bench: 'inbox-query',
        name: `staff inbox "${view}" p95 (${size})`,
        value: p95,
        unit: 'ms',
        baseline: bareP95,
        ratio: costRatio(p95, bareP95),
        target: '≤ 20 ms',
        pass: p95 <= 20,
        note:
          view === 'all in scope'
            ? `${runs} runs per view; bare = SELECT … ORDER BY last_activity_at DESC LIMIT 50`
            : undefined,
      };
    });
  } finally {
    db.$client.close();
  }
}
