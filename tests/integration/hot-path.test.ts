import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { securityHeaders } from '../../server/lib/security-headers.ts';
import Database from 'better-sqlite3';
import { and, eq, gte, ne, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { blob, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { fastRowReader, inReadSnapshot, preparedPerDb } from '../../db/prepared.ts';
import { inTransaction } from '../../db/transaction.ts';
import { findContractById, listContractsByIds } from '../../db/repositories/contracts.ts';
import { findSetting, putSetting } from '../../db/repositories/settings.ts';
import { createTestDeps } from '../helpers/context.ts';
import { createUser } from '../helpers/fixtures.ts';
import { call, loginAs, sessionCookieName } from '../helpers/auth.ts';
import { startLiveServer, type LiveServer } from '../helpers/live.ts';

// The fast paths of the hot request chain (issue 3 benchmark) must answer exactly like the general
// ones: on Node, headers go straight to the ServerResponse and the cookie comes from the
// IncomingMessage; under app.request() (every other test) the WHATWG objects are used.

const securityHeaderNames = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'permissions-policy',
  'referrer-policy',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

const pick = (res: Response) => Object.fromEntries(securityHeaderNames.map((n) => [n, res.headers.get(n)]));

describe('hot request path on a real Node server', () => {
  const ctx = createTestDeps();
  const app = createApp(ctx.deps);
  let live: LiveServer;
  let token: string;

  beforeAll(async () => {
    live = await startLiveServer(ctx.deps);
    const { email, password } = await createUser(ctx.deps.db);
    token = await loginAs(app, email, password);
  });
  afterAll(async () => {
    await live.close();
    ctx.close();
  });

  it('sends the same security headers as under app.request()', async () => {
    const viaNode = await fetch(`${live.url}/api/health`);
    const viaRequest = await call(app, '/api/health');
    expect(pick(viaNode)).toEqual(pick(viaRequest));
    expect(viaNode.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(viaNode.headers.get('x-frame-options')).toBe('DENY');
    const pageViaNode = await fetch(`${live.url}/`);
    const pageViaRequest = await call(app, '/');
    expect(pick(pageViaNode)).toEqual(pick(pageViaRequest));
    expect(pageViaNode.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('reads the session cookie among others from the Node request', async () => {
    const cookie = `theme=dark; ${sessionCookieName}=${token}; other=1`;
    const res = await fetch(`${live.url}/api/me`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull(); // a fresh session is not re-sent
    const anonymous = await fetch(`${live.url}/api/me`, { headers: { cookie: 'theme=dark' } });
    expect(anonymous.status).toBe(401);
  });

  it('clears a cookie that names no session, on Node as well', async () => {
    const res = await fetch(`${live.url}/api/me`, {
      headers: { cookie: `${sessionCookieName}=nope.nope` },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('set-cookie')).toMatch(new RegExp(`^${sessionCookieName}=;`));
  });
});

describe('securityHeaders', () => {
  const handlerCsp = "sandbox; default-src 'none'";
  /** A header object a handler hands to every answer: never to be changed by the middleware. */
  const sharedHeaders = Object.freeze({ 'Content-Type': 'text/plain' });
  const app = new Hono()
    .use(securityHeaders({ publicUrl: 'http://portier.test' }))
    .get('/own', (c) => c.body('x', 200, { 'Content-Security-Policy': handlerCsp }))
    .get('/plain', (c) => c.json({ ok: true }))
    .get('/shared', (c) => c.body('x', 200, sharedHeaders))
    .get('/prepared', (c) => {
      c.header('X-Own', '1');
      return c.json({ ok: true });
    })
    .get('/thrown', () => {
      throw new Error('boom');
    })
    .onError((_, c) => c.json({ error: 'boom' }, 500));
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started as Server),
      );
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("keeps a handler's own stricter header on both paths", async () => {
    expect((await fetch(`${url}/own`)).headers.get('content-security-policy')).toBe(handlerCsp);
    expect((await app.request('/own')).headers.get('content-security-policy')).toBe(handlerCsp);
    const plain = await fetch(`${url}/plain`);
    expect(plain.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('adds them to shared header objects, set headers and error answers alike', async () => {
    for (const path of ['/shared', '/prepared', '/thrown']) {
      const viaNode = await fetch(`${url}${path}`);
      const viaRequest = await app.request(path);
      expect(viaNode.headers.get('x-frame-options'), path).toBe('DENY');
      expect(viaNode.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(viaRequest.headers.get('x-frame-options'), path).toBe('DENY');
      expect(viaNode.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
    expect(sharedHeaders).toEqual({ 'Content-Type': 'text/plain' });
    expect((await fetch(`${url}/shared`)).headers.get('content-type')).toBe('text/plain');
    expect((await fetch(`${url}/prepared`)).headers.get('x-own')).toBe('1');
    expect((await fetch(`${url}/thrown`)).status).toBe(500);
  });
});

describe('prepared statements and read snapshots', () => {
  const ctx = createTestDeps();
  afterAll(() => ctx.close());

  it('prepares once per database handle', () => {
    let built = 0;
    const statement = preparedPerDb(() => ({ n: ++built }));
    expect(statement(ctx.deps.db)).toBe(statement(ctx.deps.db));
    expect(built).toBe(1);
  });

  it('treats an empty id list as matching nothing and unknown ids as absent', async () => {
    expect(await listContractsByIds(ctx.deps.db, [])).toEqual([]);
    expect(await listContractsByIds(ctx.deps.db, ['nope', "x') or 1=1 --"])).toEqual([]);
    expect(await findContractById(ctx.deps.db, 'nope')).toBeUndefined();
  });

  it('sees a changed setting at once (prepared, not cached)', async () => {
    await putSetting(ctx.deps.db, 'certificates', { residenceConfirmation: false }, new Date());
    expect(await findSetting(ctx.deps.db, 'certificates')).toEqual({ residenceConfirmation: false });
    await putSetting(ctx.deps.db, 'certificates', { residenceConfirmation: true }, new Date());
    expect(await findSetting(ctx.deps.db, 'certificates')).toEqual({ residenceConfirmation: true });
  });

  it('closes its transaction after success and after an error, and nests inside one', async () => {
    const client = ctx.deps.db.$client;
    expect(await inReadSnapshot(ctx.deps.db, () => client.inTransaction)).toBe(true);
    expect(client.inTransaction).toBe(false);
    await expect(
      inReadSnapshot(ctx.deps.db, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(client.inTransaction).toBe(false);
    await inTransaction(ctx.deps.db, async () => {
      expect(await inReadSnapshot(ctx.deps.db, () => 42)).toBe(42);
      expect(client.inTransaction).toBe(true);
    });
    expect(client.inTransaction).toBe(false);
  });
});

describe('prepared reads mapped by their plan', () => {
  // Tables of their own, with every kind of decoder the schema uses and a left join that misses.
  const owners = sqliteTable('owners', {
    id: text().primaryKey(),
    name: text().notNull(),
    since: integer({ mode: 'timestamp_ms' }),
  });
  const things = sqliteTable('things', {
    id: text().primaryKey(),
    ownerId: text(),
    label: text(),
    data: text({ mode: 'json' }).$type<{ tags: string[] }>(),
    active: integer({ mode: 'boolean' }).notNull(),
    seenAt: integer({ mode: 'timestamp_ms' }).notNull(),
    secret: blob({ mode: 'buffer' }),
    count: integer(),
  });
  const client = new Database(':memory:');
  const db = drizzle({ client, casing: 'snake_case' });
  client.exec(`
    create table owners (id text primary key, name text not null, since integer);
    create table things (id text primary key, owner_id text, label text, data text, active integer not null,
      seen_at integer not null, secret blob, count integer);
    insert into owners values ('o1', 'Ada', 1700000000000);
    insert into things values ('t1', 'o1', 'one', '{"tags":["a","b"]}', 1, 1700000001000, x'0102', 3),
      ('t2', null, null, null, 0, 1700000002000, null, null),
      ('t3', 'o1', 'three', '{"tags":[]}', 0, 1600000000000, x'', 0);
  `);
  afterAll(() => client.close());

  const build = () =>
    db
      .select({
        id: things.id,
        thing: { label: things.label, data: things.data, active: things.active, secret: things.secret },
        owner: { id: owners.id, name: owners.name, since: owners.since },
        seenAt: things.seenAt,
        doubled: sql<number>`${things.count} * 2`.mapWith(Number),
        upper: sql<string>`upper(${things.label})`.as('upper'),
      })
      .from(things)
      .leftJoin(owners, eq(owners.id, things.ownerId))
      .where(and(gte(things.seenAt, sql.placeholder('since')), ne(things.id, sql.placeholder('not'))))
      .orderBy(things.id)
      .prepare();

  it('answers exactly what drizzle answers, rows and single row', () => {
    const reader = fastRowReader<unknown>(build());
    expect(reader).not.toBeNull();
    const drizzles = build();
    for (const values of [
      { since: 1_650_000_000_000, not: 'none' },
      { since: 0, not: 't1' },
      { since: 1_800_000_000_000, not: 'none' },
    ]) {
      const rows = reader!.all(values);
      expect(rows).toEqual(drizzles.all(values));
      expect(reader!.get(values)).toEqual(drizzles.get(values));
      // Same key order too: answers are often sent as JSON as they come.
      expect(JSON.stringify(rows)).toBe(JSON.stringify(drizzles.all(values)));
    }
    const all = reader!.all({ since: 0, not: 'none' }) as { owner: unknown; seenAt: unknown }[];
    expect(all).toHaveLength(3);
    expect(all[1]!.owner).toBeNull(); // the left join that missed
    expect(all[0]!.seenAt).toEqual(new Date(1_700_000_001_000));
  });

  it('refuses a missing placeholder value as drizzle does', () => {
    expect(() => fastRowReader<unknown>(build())!.all({ since: 0 })).toThrow(
      'No value for placeholder "not" was provided',
    );
  });
});
