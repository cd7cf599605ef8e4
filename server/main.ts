import type { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import { assertDeliverableSenders, loadConfig } from './config.ts';
import { createApp } from './app.ts';
import { createDeps } from './deps.ts';
import { openStore } from './store.ts';
import { attachRealtime } from './realtime/index.ts';
import { OutboxWorker } from './notify/worker.ts';
import { WebhookWorker } from './services/integration/webhook-worker.ts';
import { startNoticeScheduler } from './services/notices/staff.ts';
import { startSearchIndexer } from './services/tickets/search-index.ts';
import { backfillTicketSubjects } from './services/tickets/subjects-backfill.ts';
import { startHousekeeping } from './services/housekeeping.ts';
import { runWhileLeaseHeld } from './lib/periodic.ts';
import { startAppointmentReminders } from './services/repairs/appointments.ts';

/**
 * `node dist/server/main.js` serves DATA_DIR, its data in the SQLite file there or, with
 * DATABASE_URL, in PostgreSQL (API.md "Scale-out"); it migrates and never resets. `--demo` first
 * resets ./data-demo (or DEMO_DATA_DIR) and the database it is given (that SQLite file, or the
 * PostgreSQL at DATABASE_URL, emptied and migrated afresh), then loads the deterministic demo data
 * of API.md. The demo never reads DATA_DIR: a stray `npm run demo` on a production machine must
 * not wipe the real files (its DATABASE_URL is the operator's to choose).
 */
async function main(): Promise<void> {
  const demo = process.argv.includes('--demo');
  const env = { ...process.env };
  if (demo) env.DATA_DIR = process.env.DEMO_DATA_DIR ?? './data-demo';
  const config = loadConfig(env);
  // A production deployment must send from a real domain; the demo writes `.eml` files and keeps
  // its reserved defaults.
  if (!demo) assertDeliverableSenders(config);

  const store = await openStore(config, { reset: demo });
  const { db } = store;
  const deps = createDeps(config, db);
  // With REDIS_URL: start once Redis answers; if it does not yet, serve anyway (degraded as
  // docs/operations.md "Redis" describes) while the client keeps reconnecting.
  await deps.redis?.ready().catch((error: unknown) => console.warn((error as Error).message));

  if (demo) {
    const { seedDemo } = await import('./demo/demo.ts');
    await seedDemo(deps);
  }

  // Tickets from before per-language subjects get theirs once per database, before anyone reads them.
  await backfillTicketSubjects(deps, deps.now());

  const app = createApp(deps);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    const data =
      store.kind === 'postgres' ? `PostgreSQL, files in ${config.dataDir}` : `data in ${config.dataDir}`;
    console.log(`Portier listening on ${config.publicUrl} (port ${info.port}, ${data})`);
    if (demo) console.log('Demo logins: mieterin@demo.portier.dev / Portier-Demo-2026 (see README)');
  });

  // Socket.IO shares the HTTP server (API.md "Live": /socket.io on the same origin).
  const realtime = attachRealtime(server as HttpServer, deps);

  // Sends what transactions queued (DESIGN.md "Notifications"); rows left by a previous run are due now.
  const outbox = new OutboxWorker(deps);
  outbox.start();
  // Webhooks to the landlord's ERP go through their own outbox the same way (docs/webhooks.md).
  const webhooks = new WebhookWorker(deps);
  webhooks.start();
  // Scheduled notices are announced (live event + notifications) when their time comes.
  const stopNoticeScheduler = startNoticeScheduler(deps);
  // The inbox search index follows changes shortly after they commit, off the write path.
  // With several instances only the one holding its lease runs it (searches catch up themselves).
  const stopSearchIndexer = runWhileLeaseHeld(deps, 'search indexer', () => startSearchIndexer(deps));
  // Expired sessions and long-expired e-mail links are deleted every six hours.
  const stopHousekeeping = startHousekeeping(deps);
  // The day before a confirmed repair appointment, its tenant is reminded once (push or SMS).
  const stopAppointmentReminders = startAppointmentReminders(deps);

  const shutdown = () => {
    stopNoticeScheduler();
    stopSearchIndexer();
    stopHousekeeping();
    stopAppointmentReminders();
    // Closing Socket.IO closes the HTTP server too; the outbox finishes its batch; the database
    // closes after all (a row still `sending` is taken again after its lease on the next start).
    void Promise.allSettled([realtime.close(), outbox.stop(), webhooks.stop()])
      // Redis last: the live adapter stops reading first, the job leases are given up on the way.
      .then(() => deps.redis?.close())
      // SQLite: the unit of work's writer, then the main connection; PostgreSQL: the pool.
      .finally(() => store.close().finally(() => process.exit(0)));
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
