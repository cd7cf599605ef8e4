// The app under test for the live benchmarks: exactly main.ts's wiring (openStore, createDeps,
// createApp + Socket.IO on the same node:http server) on a prepared DATA_DIR, in its own process:
// the SQLite file there with its pragmas, or PostgreSQL at DATABASE_URL and, with REDIS_URL, one of
// several instances serving the same store (API.md "Scale-out").
// Two bench-only hooks over the IPC channel, never reachable from the network:
// - `gc`: collect garbage before the outside RSS reading, done the same way for the bare server;
// - `notice`: used only while `POST /api/staff/notices` does not exist yet — writes a notice and
//   its `notice.published` event-log row in one transaction and publishes `log.committed` on the
//   domain bus, i.e. the path a notices service takes after commit (DESIGN.md "Data flows").
import type { Server as HttpServer } from 'node:http';
import { serve } from '@hono/node-server';
import { appendEvent } from '../../db/repositories/events.ts';
import { insertNotices } from '../../db/repositories/notices.ts';
import { inTransaction } from '../../db/transaction.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { busOf } from '../../server/events/bus.ts';
import { attachRealtime } from '../../server/realtime/index.ts';
import { runWhileLeaseHeld } from '../../server/lib/periodic.ts';
import { startSearchIndexer } from '../../server/services/tickets/search-index.ts';
import { openStore } from '../../server/store.ts';
import { serveIpc } from './ipc.ts';

const config = loadConfig(process.env);
const store = await openStore(config);
const { db } = store;
const deps = createDeps(config, db);
await deps.redis?.ready();
const app = createApp(deps);
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
  console.log('listening'),
);
const realtime = attachRealtime(server as HttpServer, deps);
// Its cost belongs to the measured load: the index follows the messages as in server/main.ts
// (with several instances, on the one holding its lease).
const stopSearchIndexer = runWhileLeaseHeld(deps, 'search indexer', () => startSearchIndexer(deps));

serveIpc({
  gc: () => {
    globalThis.gc?.();
    return { heapUsed: process.memoryUsage().heapUsed };
  },
  notice: async (message) => {
    const estateId = String(message.estateId);
    const title = String(message.title);
    const now = deps.now();
    const events = await inTransaction(db, async (tx) => {
      const id = `bench-${title}`;
      await insertNotices(tx, [
        { id, scope: 'estate', estateId, category: 'general', title, body: title, publishAt: now },
      ]);
      return [
        await appendEvent(tx, `estate:${estateId}`, 'notice.published', { notice: { id, title, estateId } }),
      ];
    });
    busOf(deps).publish('log.committed', { events });
    return { events: events.length };
  },
});

process.on('SIGTERM', () => {
  stopSearchIndexer();
  void realtime
    .close()
    .then(() => deps.redis?.close())
    .finally(() => store.close().finally(() => process.exit(0)));
});
