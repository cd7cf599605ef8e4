// The page baseline: for each measured page, a bare Hono route on @hono/node-server that does the
// same session check as the app (cookie → token → one lookup → constant-time hash compare) and then
// runs the page's own SQL statements (recorded by bench/lib/page-statements.ts) raw through
// better-sqlite3 with the recorded parameters, and answers their rows as JSON. No middleware, no
// mapping, no services: the limit of the page's database work on this machine. In its own process,
// on the demo server's database file, opened as db/client.ts opens it.
import { readFileSync } from 'node:fs';
import { serve } from '@hono/node-server';
import type { HttpBindings } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { sessionTokenOf } from '../server/auth/cookies.ts';
import { parseToken, secretMatches } from '../server/auth/session-token.ts';
import { decodeParam, type Call, type PageStatements } from './lib/page-statements.ts';

const db = new Database(process.env.DB_FILE ?? '');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
const pages = JSON.parse(readFileSync(process.env.STATEMENTS!, 'utf8')) as PageStatements[];

// Prepared once per SQL text and mode, as the app prepares its statements once per connection.
const statements = new Map<string, Database.Statement>();
function prepared(call: Call): Database.Statement {
  const key = `${call.mode}\u0000${call.sql}`;
  let statement = statements.get(key);
  if (!statement) {
    statement = db.prepare(call.sql);
    if (call.mode === 'raw') statement.raw(true);
    if (call.mode === 'pluck') statement.pluck(true);
    statements.set(key, statement);
  }
  return statement;
}

interface Step {
  statement: Database.Statement;
  call: Call;
  params: unknown[];
  /** Position of secret_hash and expires_at in a session row. */
  hash?: number | string;
  expires?: number | string;
}

function stepsOf(page: PageStatements): Step[] {
  return page.calls.map((call) => {
    const statement = prepared(call);
    const step: Step = { statement, call, params: call.params.map(decodeParam) };
    if (call.session !== undefined) {
      const names = statement.columns().map((column) => column.name);
      const at = (name: string) => (call.mode === 'raw' ? names.indexOf(name) : name);
      step.hash = at('secret_hash');
      step.expires = at('expires_at');
    }
    return step;
  });
}

function cell(row: unknown, at: number | string | undefined): unknown {
  return at === undefined ? undefined : (row as Record<string | number, unknown>)[at];
}

type Env = { Bindings: HttpBindings };
const app = new Hono<Env>();
for (const page of pages) {
  const steps = stepsOf(page);
  app.get(page.path, (c) => {
    const token = parseToken(sessionTokenOf(c.env.incoming.headers.cookie));
    if (!token) return c.json({ error: 'unauthenticated' }, 401);
    const rows: unknown[] = [];
    for (const { statement, call, params, hash, expires } of steps) {
      const args =
        call.session === undefined ? params : params.map((p, i) => (i === call.session ? token.id : p));
      let result: unknown = (statement[call.method] as (...a: unknown[]) => unknown)(...args);
      if (call.method === 'iterate') result = [...(result as Iterable<unknown>)];
      if (call.session !== undefined) {
        const row = call.method === 'get' ? result : (result as unknown[])[0];
        const stored = cell(row, hash);
        const valid =
          stored instanceof Uint8Array &&
          secretMatches(token.secret, stored) &&
          Number(cell(row, expires)) > Date.now();
        if (!valid) return c.json({ error: 'unauthenticated' }, 401);
      }
      // The page's rows; the session row is the check's, not the page's.
      if (call.reader && call.session === undefined) rows.push(result);
    }
    return c.json(rows);
  });
}

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' }, () => {
  console.log('listening');
});
const stop = () => {
  db.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
