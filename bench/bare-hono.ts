// The bare baseline: a Hono JSON route on @hono/node-server with nothing else, in its own process.
// `/json-db` is the same route plus one indexed SQLite read per request: a session-like row by its
// primary key, on a file opened as db/client.ts opens the app's (WAL, synchronous=FULL). It is the
// baseline of the session cost: `GET /api/health` with a session does exactly one such read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';

const dir = mkdtempSync(join(tmpdir(), 'portier-bare-'));
const db = new Database(join(dir, 'bare.sqlite'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, secret_hash BLOB NOT NULL, expires_at INTEGER NOT NULL)',
);
const insert = db.prepare('INSERT INTO sessions (id, user_id, secret_hash, expires_at) VALUES (?, ?, ?, ?)');
const expiresAt = Date.now() + 30 * 24 * 60 * 60 * 1000;
db.transaction(() => {
  for (let i = 0; i < 10_000; i++) insert.run(`session-${i}`, `user-${i}`, Buffer.alloc(32, i), expiresAt);
})();
const read = db.prepare<[string], { expires_at: number }>(
  'SELECT id, user_id, secret_hash, expires_at FROM sessions WHERE id = ?',
);
let next = 0;

const app = new Hono()
  .get('/json', (c) => c.json({ ok: true, items: [1, 2, 3] }))
  .get('/json-db', (c) => c.json({ ok: read.get(`session-${next++ % 10_000}`)!.expires_at > Date.now() }));
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
