// The bare baseline: a Hono JSON route on @hono/node-server with nothing else, in its own process.
// `/json-db` is the same route plus one indexed SQLite read per request (WAL, like db/client.ts), to
// show beside the figures what a single read transaction costs on this machine; it is informative
// only, the targets stay against `/json`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';

const dir = mkdtempSync(join(tmpdir(), 'portier-bare-'));
const db = new Database(join(dir, 'bare.sqlite'));
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE items (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO items (id, body) VALUES (?, ?)');
db.transaction(() => {
  for (let i = 0; i < 10_000; i++) insert.run(`item-${i}`, JSON.stringify({ n: i, items: [1, 2, 3] }));
})();
const read = db.prepare<[string], { body: string }>('SELECT body FROM items WHERE id = ?');
let next = 0;

const app = new Hono()
  .get('/json', (c) => c.json({ ok: true, items: [1, 2, 3] }))
  .get('/json-db', (c) => c.json(JSON.parse(read.get(`item-${next++ % 10_000}`)!.body) as unknown));
serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => {
  console.log('listening');
});
const stop = () => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
