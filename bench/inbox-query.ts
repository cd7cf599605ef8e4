// Staff inbox on a large database (issue 5: p95 ≤ 20 ms on 200,000 tickets / 2,000,000 messages).
// Method: the generated database (bench/generate-db.ts) opened like the server opens it; each
// inbox view is the service call behind GET /api/staff/tickets (listInbox: one page of 50 with
// building, assignee, unread and SLA) as the demo staff user (scope: all buildings, the widest
// scan), warmed up, then run many times; p95 per view. GET /api/staff/tickets/counts (countInbox:
// every view's size, refetched by the console on live updates) is timed the same way.
// Baseline: one prepared better-sqlite3 `SELECT * FROM tickets ORDER BY last_activity_at DESC
// LIMIT 50` on the same file, timed the same way.
import { openDatabase } from '../db/client.ts';
import { findAccountByLoginEmail } from '../db/repositories/users.ts';
import { DEMO_LOGINS } from '../server/demo/demo-constants.ts';
import { loadConfig } from '../server/config.ts';
import { createDeps } from '../server/deps.ts';
import type { SessionUser } from '../server/lib/context.ts';
import { countInbox, listInbox } from '../server/services/tickets/staff-inbox.ts';
import type { StaffInboxQuery } from '../shared/api/staff.ts';
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

export async function runInboxQuery(generated: GeneratedDb, runs: number): Promise<Figure[]> {
  const db = openDatabase(generated.file);
  try {
    const deps = createDeps(loadConfig({ DATA_DIR: generated.dataDir }), db);
    const account = await findAccountByLoginEmail(db, DEMO_LOGINS.staff);
    if (!account) throw new Error('demo staff missing in the generated database');
    const staff: SessionUser = account.user;
    const building = (
      db.$client.prepare('SELECT building_id AS id FROM tickets LIMIT 1').get() as { id: string }
    ).id;
    const views: [string, StaffInboxQuery][] = [
      ['all in scope', { view: 'all' }],
      ['unassigned', { view: 'unassigned' }],
      ['mine', { view: 'mine' }],
      ['overdue', { view: 'overdue' }],
      ['waiting for tenant', { view: 'waiting' }],
      ['one building, new', { view: 'all', building, status: 'new' }],
      ['search "Heizung"', { view: 'all', q: 'Heizung' }],
      // A rare term (one ticket number) and two common words within a narrower view: the search
      // reads FTS5 in activity order (migration 0004), so both ends of the hit count are timed.
      ['search one ticket number', { view: 'all', q: 'B-0123456' }],
      ['unassigned, search "Heizung Fenster"', { view: 'unassigned', q: 'Heizung Fenster' }],
    ];
    const calls: [string, () => unknown][] = [
      ...views.map(([view, query]): [string, () => unknown] => [
        `staff inbox "${view}"`,
        async () => await listInbox(deps, staff, query),
      ]),
      ['staff inbox counts (5 views)', async () => await countInbox(deps, staff, {})],
      // The console refetches the counts with the list, search included, on every live update.
      [
        'staff inbox counts (5 views), search "Heizung"',
        async () => await countInbox(deps, staff, { q: 'Heizung' }),
      ],
    ];
    const bare = db.$client.prepare('SELECT * FROM tickets ORDER BY last_activity_at DESC LIMIT 50');
    timeRuns(20, () => bare.all());
    const bareP95 = percentile(
      timeRuns(runs, () => bare.all()),
      95,
    );
    const size = `${generated.tickets / 1000}k tickets / ${generated.messages / 1_000_000}M messages`;
    return calls.map(([name, call], index) => {
      timeRuns(10, call);
      const p95 = percentile(timeRuns(runs, call), 95);
      return {
        bench: 'inbox-query',
        name: `${name} p95 (${size})`,
        value: p95,
        unit: 'ms',
        baseline: bareP95,
        ratio: costRatio(p95, bareP95),
        target: '≤ 20 ms',
        pass: p95 <= 20,
        note:
          index === 0
            ? `${runs} runs per view; bare = SELECT … ORDER BY last_activity_at DESC LIMIT 50`
            : undefined,
      };
    });
  } finally {
    db.$client.close();
  }
}
