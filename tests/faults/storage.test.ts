import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { storageConditionOf } from '../../server/lib/storage-errors.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { connectionsOf } from '../../server/unit-of-work/index.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { createTestDeps } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { ack, connected, liveSocket, startLiveServer, type LiveServer } from '../helpers/live.ts';

/*
 * Issue 7: "the disk-full / read-only database case answers 503 and recovers". The conditions are
 * made real on the app's own connections (the main one and the unit of work's writer): `PRAGMA query_only` makes every write fail with
 * SQLITE_READONLY, `PRAGMA max_page_count` at the current size makes the next write that needs a
 * page fail with SQLITE_FULL (the code path of a full disk), and a second connection holding the
 * write lock past busy_timeout gives SQLITE_BUSY. Lifting the condition must be enough: no restart.
 */

type ErrorBody = { error: { code: string; message: string } };
type SocketAnswer = { message?: { id: string }; error?: { code: string } };

describe('storage faults answer 503 and recover', () => {
  const ctx = createTestDeps();
  const { deps } = ctx;
  const sqlite = deps.db.$client;
  /** A condition of the file holds for every connection the app has on it. */
  const onEveryConnection = (pragma: string) => {
    for (const connection of connectionsOf(deps.db)) connection.pragma(pragma);
  };
  const app = createApp(deps);
  let server: LiveServer;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  let tenant = '';
  let ticketId = '';

  const count = (sql: string, ...params: unknown[]) =>
    (sqlite.prepare(sql).get(...params) as { n: number }).n;
  const snapshot = () => ({
    messages: count('select count(*) as n from ticket_messages'),
    events: count('select count(*) as n from events'),
    notifications: count('select count(*) as n from notifications'),
  });
  const post = (clientId: string, body = `Fault test ${clientId}`) =>
    call(app, `/api/tickets/${ticketId}/messages`, { cookie: tenant, json: { body, clientId } });
  const storedWith = (clientId: string) =>
    count('select count(*) as n from ticket_messages where client_id = ?', clientId);
  const health = async () => {
    const res = await app.request('/api/health');
    return { status: res.status, body: (await res.json()) as unknown };
  };
  // The health probe runs at most every 5 s, and reports a request's storage failure for 5 s.
  const later = () => (clock += 6_000);

  async function expectUnavailable(res: Response) {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await res.json()) as ErrorBody).error.code).toBe('storage_unavailable');
  }

  beforeAll(async () => {
    await seedDemo(deps);
    deps.now = () => new Date(clock);
    tenant = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    const res = await call(app, '/api/tickets', {
      cookie: tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'noise' },
        description: 'Storage fault test',
        clientId: 'fault-storage-ticket',
      },
    });
    expect(res.status).toBe(201);
    ticketId = ((await res.json()) as { ticket: { id: string } }).ticket.id;
    server = await startLiveServer(deps);
  });
  afterAll(async () => {
    await server.close();
    ctx.close();
  });

  it('classifies SQLite result codes, through the causes drizzle wraps them in', () => {
    const sqliteError = (code: string) => Object.assign(new Error(code), { code });
    expect(storageConditionOf(sqliteError('SQLITE_READONLY'))).toBe('read_only');
    expect(storageConditionOf(sqliteError('SQLITE_READONLY_DBMOVED'))).toBe('read_only');
    expect(storageConditionOf(sqliteError('SQLITE_FULL'))).toBe('full');
    expect(storageConditionOf(sqliteError('SQLITE_IOERR_FSYNC'))).toBe('io_error');
    expect(storageConditionOf(sqliteError('SQLITE_BUSY_SNAPSHOT'))).toBe('busy');
    expect(storageConditionOf(sqliteError('SQLITE_CANTOPEN'))).toBe('cannot_open');
    const wrapped = new Error('Failed query: insert …', { cause: sqliteError('SQLITE_IOERR_WRITE') });
    expect(storageConditionOf(wrapped)).toBe('io_error');
    // Errors that are bugs or bad data stay what they are.
    expect(storageConditionOf(sqliteError('SQLITE_CONSTRAINT_UNIQUE'))).toBeNull();
    expect(storageConditionOf(new TypeError('x'))).toBeNull();
    expect(storageConditionOf('SQLITE_FULL')).toBeNull();
  });

  it('read-only database: writes answer 503 over HTTP and the socket, reads work, nothing changes, then it recovers', async () => {
    expect(await health()).toEqual({ status: 200, body: { ok: true, store: 'sqlite', redis: 'off' } });
    const before = snapshot();
    onEveryConnection('query_only = ON');
    try {
      await expectUnavailable(await post('fault-ro-http-1'));
      const socket = liveSocket(server.url, { token: tenant });
      await connected(socket);
      const answer = await ack<SocketAnswer>(socket, 'message.send', {
        ticketId,
        body: 'over the socket',
        clientId: 'fault-ro-socket-1',
      });
      expect(answer.error?.code).toBe('storage_unavailable');
      socket.disconnect();

      const read = await call(app, `/api/tickets/${ticketId}`, { cookie: tenant });
      expect(read.status).toBe(200);
      expect(snapshot()).toEqual(before);
      expect(await health()).toEqual({
        status: 503,
        body: { ok: false, storage: 'read_only', store: 'sqlite', redis: 'off' },
      });
      later();
      // Found by the probe too, not only by the failed request.
      expect(await health()).toEqual({
        status: 503,
        body: { ok: false, storage: 'read_only', store: 'sqlite', redis: 'off' },
      });
    } finally {
      onEveryConnection('query_only = OFF');
    }

    // The client sends again with the same clientId: stored once, in the same process.
    expect((await post('fault-ro-http-1')).status).toBe(201);
    expect((await post('fault-ro-http-1')).status).toBe(200);
    expect(storedWith('fault-ro-http-1')).toBe(1);
    later();
    expect(await health()).toEqual({ status: 200, body: { ok: true, store: 'sqlite', redis: 'off' } });
  });

  it('full database: the write that needs a page answers 503 and leaves nothing half-written, then it recovers', async () => {
    const maxPages = sqlite.pragma('max_page_count', { simple: true }) as number;
    const body = 'Wasserschaden im Keller. '.repeat(300); // ~7.5 kB: every message needs pages
    onEveryConnection(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    let failedClientId: string | null = null;
    try {
      // Free space inside the last pages may take a message or two; the disk is full after that.
      for (let i = 0; i < 20 && !failedClientId; i++) {
        const before = snapshot();
        const res = await post(`fault-full-${i}`, body);
        if (res.status === 201) continue;
        await expectUnavailable(res);
        failedClientId = `fault-full-${i}`;
        expect(snapshot()).toEqual(before);
        expect(storedWith(failedClientId)).toBe(0);
      }
      expect(failedClientId).not.toBeNull();
      expect((await call(app, `/api/tickets/${ticketId}`, { cookie: tenant })).status).toBe(200);
      expect(await health()).toMatchObject({ status: 503, body: { ok: false, storage: 'full' } });

      // The same write over the socket meets the same full database.
      const socket = liveSocket(server.url, { token: tenant });
      await connected(socket);
      const answer = await ack<SocketAnswer>(socket, 'message.send', {
        ticketId,
        body,
        clientId: 'fault-full-socket',
      });
      expect(answer.error?.code).toBe('storage_unavailable');
      socket.disconnect();
    } finally {
      onEveryConnection(`max_page_count = ${maxPages}`);
    }

    if (!failedClientId) throw new Error('the database never filled up');
    expect((await post(failedClientId, body)).status).toBe(201);
    expect(storedWith(failedClientId)).toBe(1);
    later();
    expect(await health()).toEqual({ status: 200, body: { ok: true, store: 'sqlite', redis: 'off' } });
  });

  it('a write lock held past busy_timeout answers 503 and writes resume when it is released', async () => {
    const busyTimeout = sqlite.pragma('busy_timeout', { simple: true }) as number;
    const other = new Database(join(ctx.dataDir, 'portier.sqlite'));
    sqlite.pragma('busy_timeout = 50'); // the real 5 s would only make the test slow
    other.exec('BEGIN IMMEDIATE');
    try {
      const before = snapshot();
      await expectUnavailable(await post('fault-busy-1'));
      expect(snapshot()).toEqual(before);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      sqlite.pragma(`busy_timeout = ${busyTimeout}`);
    }
    expect((await post('fault-busy-1')).status).toBe(201);
    expect(storedWith('fault-busy-1')).toBe(1);
  });
});
