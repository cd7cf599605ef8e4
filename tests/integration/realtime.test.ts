import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { openDatabase, type Db } from '../../db/client.ts';
import { openPostgres } from '../../db/client-pg.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { createTestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { createUser } from '../helpers/fixtures.ts';
import {
  ack,
  connected,
  LiveClient,
  liveSocket,
  startLiveServer,
  waitFor,
  type LiveServer,
} from '../helpers/live.ts';

type Answer = { message?: { id: string; body: string }; error?: { code: string } };

describe('live layer (Socket.IO)', async () => {
  const ctx = await createTestWorld();
  let deps: Deps = ctx.deps;
  /** Closes the store a restart opened (the world's own closes with the world). */
  let closeReopened = () => Promise.resolve();
  let server: LiveServer;
  const session = { tenant: '', neighbour: '', staff: '' };
  let ticketId = '';

  beforeAll(async () => {
    await seedDemo(ctx.deps);
    const app = createApp(ctx.deps);
    for (const who of ['tenant', 'neighbour', 'staff'] as const) {
      session[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
    }
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'noise' },
        description: 'Live test',
        clientId: 'live-ticket-0001',
      },
    });
    ticketId = ((await res.json()) as { ticket: { id: string } }).ticket.id;
    server = await startLiveServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeReopened();
    await ctx.close();
  });

  /**
   * The store as the next start of the process finds it. SQLite: the file, opened again after the
   * killed process's connection is gone. PostgreSQL: a new pool on the same database (the old one
   * is the world's, ended with it).
   */
  const reopenStore = async (): Promise<Db> => {
    if (ctx.store === 'postgres') {
      const store = await openPostgres(ctx.deps.config.databaseUrl!, { migrate: false });
      closeReopened = () => store.close();
      return store.db;
    }
    const db = openDatabase(join(ctx.dataDir, 'portier.sqlite'));
    closeReopened = () => {
      db.$client.close();
      return Promise.resolve();
    };
    return db;
  };

  it('rejects a handshake without cookie or with a foreign Origin', async () => {
    await expect(connected(liveSocket(server.url, { token: null }))).rejects.toThrow('unauthenticated');
    await expect(
      connected(liveSocket(server.url, { token: session.tenant, origin: 'https://evil.example' })),
    ).rejects.toThrow('origin_mismatch');
    await expect(
      connected(liveSocket(server.url, { token: session.tenant, origin: null })),
    ).rejects.toThrow();
  });

  it("answers not_found for someone else's ticket on every socket event and emits nothing", async () => {
    const tenant = new LiveClient(server.url, session.tenant);
    await tenant.connect();
    const neighbour = liveSocket(server.url, { token: session.neighbour });
    await connected(neighbour);
    const before = tenant.ephemeral.length;
    for (const [event, payload] of [
      ['message.send', { ticketId, body: 'x', clientId: 'foreign-live-01' }],
      ['typing', { ticketId }],
      ['viewing', { ticketId }],
      ['read', { ticketId, messageId: 'whatever' }],
    ] as const) {
      const answer = await ack<Answer>(neighbour, event, payload);
      expect([event, answer.error?.code]).toEqual([event, 'not_found']);
    }
    const bad = await ack<Answer>(neighbour, 'message.send', { ticketId });
    expect(bad.error?.code).toBe('validation_failed');
    // A visible typing event does arrive (so the absence above is meaningful).
    const staff = liveSocket(server.url, { token: session.staff });
    await connected(staff);
    await ack(staff, 'typing', { ticketId });
    await waitFor(() => tenant.ephemeral.length === before + 1, 5000, 'typing');
    expect(tenant.ephemeral.at(-1)).toMatchObject({
      id: 0,
      type: 'typing',
      data: { ticketId, role: 'staff' },
    });
    neighbour.disconnect();
    staff.disconnect();
    tenant.disconnect();
  });

  it('never sends internal notes to a tenant socket, nor over HTTP', async () => {
    const tenant = new LiveClient(server.url, session.tenant);
    const neighbour = new LiveClient(server.url, session.neighbour);
    const staff = new LiveClient(server.url, session.staff);
    await Promise.all([tenant.connect(), neighbour.connect(), staff.connect()]);
    const app = createApp(deps);
    const post = (internal: boolean, clientId: string) =>
      call(app, `/api/staff/tickets/${ticketId}/messages`, {
        cookie: session.staff,
        json: { body: internal ? 'INTERNAL NOTE' : 'Public reply', internal, clientId },
      });
    expect((await post(true, 'internal-note-01')).status).toBe(201);
    expect((await post(false, 'public-reply-01')).status).toBe(201);
    await waitFor(() => tenant.ofType('message.created').length >= 1, 5000, 'public reply');
    await waitFor(() => staff.ofType('message.created').length >= 2, 5000, 'staff events');
    // A resync from zero is the strictest check: it replays everything visible.
    const replay = new LiveClient(server.url, session.tenant);
    await replay.connect();
    for (const client of [tenant, replay]) {
      expect(JSON.stringify(client.events)).not.toContain('INTERNAL NOTE');
      expect(JSON.stringify(client.events)).toContain('Public reply');
    }
    expect(JSON.stringify(neighbour.events)).not.toContain('Public reply');
    expect(JSON.stringify(staff.events)).toContain('INTERNAL NOTE');
    const detail = await call(app, `/api/tickets/${ticketId}`, { cookie: session.tenant });
    expect(await detail.text()).not.toContain('INTERNAL NOTE');
    for (const client of [tenant, neighbour, staff, replay]) client.disconnect();
  });

  it('delivers every message exactly once, in order, across a disconnect mid-burst', async () => {
    const tenant = new LiveClient(server.url, session.tenant);
    await tenant.connect();
    const staff = liveSocket(server.url, { token: session.staff });
    await connected(staff);
    const bodies = Array.from({ length: 50 }, (_, i) => `burst ${i}`);
    for (const [i, body] of bodies.entries()) {
      if (i === 15) tenant.disconnect();
      if (i === 35) await tenant.connect();
      const answer = await ack<Answer>(staff, 'message.send', { ticketId, body, clientId: `burst-msg-${i}` });
      expect(answer.message?.body).toBe(body);
    }
    const burst = () =>
      tenant
        .ofType('message.created')
        .map((e) => (e.data as { message: { body: string } }).message.body)
        .filter((body) => body.startsWith('burst '));
    await waitFor(() => burst().length >= 50, 5000, 'burst');
    expect(burst()).toEqual(bodies);
    const ids = tenant.events.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    staff.disconnect();
    tenant.disconnect();
  });

  it('keeps every acknowledged message across a server restart; retries create no duplicates', async () => {
    const sender = liveSocket(server.url, { token: session.tenant });
    await connected(sender);
    const acknowledged: string[] = [];
    const sends = Array.from({ length: 30 }, (_, i) => ({
      ticketId,
      body: `restart ${i}`,
      clientId: `restart-msg-${i}`,
    }));
    // Fire all without waiting, then restart while they are in flight.
    const pending = sends.map((send) =>
      ack<Answer>(sender, 'message.send', send).then(
        (answer) => answer.message && acknowledged.push(send.clientId),
        () => undefined,
      ),
    );
    await waitFor(() => acknowledged.length >= 5, 5000, 'first acks');
    const port = server.port;
    await server.close();
    if (ctx.store === 'sqlite') deps.db.$client.close();
    await Promise.all(pending);
    sender.disconnect();

    deps = createDeps(ctx.deps.config, await reopenStore());
    server = await startLiveServer(deps, port);
    const app = createApp(deps);
    const stored = async () => {
      const res = await call(app, `/api/tickets/${ticketId}`, { cookie: session.tenant });
      const detail = (await res.json()) as { messages: { clientId: string | null }[] };
      return detail.messages.map((m) => m.clientId).filter((id) => id?.startsWith('restart-msg-'));
    };
    expect(await stored()).toEqual(expect.arrayContaining(acknowledged));

    // The client retries everything it has no ack for (and, to be sure, everything): no duplicates.
    const retry = liveSocket(server.url, { token: session.tenant });
    await connected(retry);
    for (const send of sends) {
      const answer = await ack<Answer>(retry, 'message.send', send);
      expect(answer.message?.body).toBe(send.body);
    }
    const after = await stored();
    expect(after.length).toBe(30);
    expect(new Set(after).size).toBe(30);
    retry.disconnect();
  });

  it("closes the other sessions' sockets on a password change and its own on logout", async () => {
    const app = createApp(deps); // the same deps, so the same bus as the live server
    const { email, password } = await createUser(deps.db, { role: 'customer' });
    const first = await loginAs(app, email, password);
    const second = await loginAs(app, email, password);
    const firstSocket = liveSocket(server.url, { token: first });
    const secondSocket = liveSocket(server.url, { token: second });
    await Promise.all([connected(firstSocket), connected(secondSocket)]);
    const closed = { first: false, second: false };
    firstSocket.on('disconnect', () => (closed.first = true));
    secondSocket.on('disconnect', () => (closed.second = true));

    const changed = await call(app, '/api/me/password', {
      cookie: first,
      json: { current: password, next: 'Fernsehturm-am-Alex-1969' },
    });
    expect(changed.status).toBe(200);
    await waitFor(() => closed.second, 5000, "the other session's socket to close");
    expect(closed.first).toBe(false);

    const loggedOut = await call(app, '/api/auth/logout', { cookie: first, method: 'POST' });
    expect(loggedOut.status).toBe(204);
    await waitFor(() => closed.first, 5000, "the logged-out session's socket to close");
  });
});
