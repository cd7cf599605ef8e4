import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/client.ts';
import { createApp, type App } from '../../server/app.ts';
import { createDeps, type Deps } from '../../server/deps.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { runPeriodically } from '../../server/lib/periodic.ts';
import { rooms } from '../../server/realtime/rooms.ts';
import { closeWriter } from '../../server/unit-of-work/index.ts';
import type { LiveEvent } from '../../shared/api/live.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { createTestDeps, type TestContext } from '../helpers/context.ts';
import { ack, connected, liveSocket, startLiveServer, waitFor, type LiveServer } from '../helpers/live.ts';
import { redisMissing, startRedisServer, type RedisServer } from '../helpers/redis-server.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * Issue 19 item 3: two instances of the app on one store and one Redis (tests/helpers/redis-server.ts
 * starts a throwaway one). Both instances live in this process, each with its own HTTP server,
 * Socket.IO server, SQLite connection (the same WAL file) and Redis connections, which is what two
 * processes would have. Every check below fails without Redis: an instance then only reaches its
 * own sockets, and its presence marks, leases and limits stay its own.
 */
const gate = skipWithout('Redis', redisMissing());

interface Instance {
  deps: Deps;
  app: App;
  live: LiveServer;
}

/** The room's sockets on this instance only (the adapter's local view), to know a join is done. */
const localMembers = (instance: Instance, room: string) =>
  instance.live.realtime.io.of('/').adapter.rooms.get(room)?.size ?? 0;

describe.skipIf(gate.skip)(`two instances on one Redis${gate.label}`, () => {
  let redis: RedisServer;
  let ctx: TestContext;
  let a: Instance;
  let b: Instance;
  let ticketId = '';
  const session = { tenant: '', staff: '', admin: '', staffMalmo: '' };

  beforeAll(async () => {
    redis = await startRedisServer();
    ctx = createTestDeps({ redisUrl: redis.url });
    await seedDemo(ctx.deps);
    // The second instance: its own connection to the same SQLite file and its own Redis clients.
    const dbB = openDatabase(join(ctx.dataDir, 'portier.sqlite'));
    const depsB = createDeps(ctx.deps.config, dbB);
    const start = async (deps: Deps): Promise<Instance> => {
      await deps.redis!.ready();
      return { deps, app: createApp(deps), live: await startLiveServer(deps) };
    };
    [a, b] = await Promise.all([start(ctx.deps), start(depsB)]);
    for (const who of ['tenant', 'staff', 'admin', 'staffMalmo'] as const)
      session[who] = await loginAs(a.app, DEMO_LOGINS[who], DEMO_PASSWORD);
    const res = await call(b.app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'noise' },
        description: 'Across instances',
        clientId: 'scale-out-ticket-01',
      },
    });
    expect(res.status).toBe(201);
    ticketId = ((await res.json()) as { ticket: { id: string } }).ticket.id;
  }, 120_000);

  afterAll(async () => {
    for (const instance of [a, b]) {
      if (!instance) continue;
      await instance.live.close();
      await instance.deps.redis?.close();
    }
    if (b) {
      closeWriter(b.deps.db);
      b.deps.db.$client.close();
    }
    ctx?.close();
    await redis?.stop();
  });

  it('a staff reply written on A reaches the tenant socket on B live', async () => {
    const tenant = liveSocket(b.live.url, { token: session.tenant });
    const received: LiveEvent[] = [];
    tenant.on('event', (event) => received.push(event));
    await connected(tenant);
    await waitFor(() => localMembers(b, rooms.ticket(ticketId)) > 0, 5000, 'tenant in the ticket room on B');
    const res = await call(a.app, `/api/staff/tickets/${ticketId}/messages`, {
      cookie: session.staff,
      json: { body: 'Written on A', internal: false, clientId: 'scale-out-reply-01' },
    });
    expect(res.status).toBe(201);
    await waitFor(
      () =>
        received.some(
          (event) => event.type === 'message.created' && JSON.stringify(event).includes('Written on A'),
        ),
      5000,
      'the reply on B',
    );
    tenant.disconnect();
  });

  it('replies written on A and on B at once reach sockets on both in strictly increasing id order', async () => {
    // Each instance sends the committed log to its own sockets in id order (server/realtime/log-feed.ts).
    // Broadcast through the adapter instead, a socket got its own instance's events at once and the
    // other's through Redis a moment later, so a smaller id could follow a larger one.
    const watchers = [b, a].map((instance) => {
      const socket = liveSocket(instance.live.url, { token: session.tenant });
      const ids: number[] = [];
      socket.on('event', (event) => {
        if (event.id !== 0 && event.type === 'message.created') ids.push(event.id);
      });
      return { instance, socket, ids };
    });
    for (const { instance, socket } of watchers) {
      await connected(socket);
      await waitFor(
        () => localMembers(instance, rooms.ticket(ticketId)) > 0,
        5000,
        'tenant in the ticket room',
      );
    }
    // Alternating, each write answered before the next: both instances in this process share one
    // SQLite file, whose writers cannot overlap here (the synchronous driver would wait on itself).
    const perInstance = 40;
    for (let n = 0; n < perInstance; n++) {
      for (const [name, instance] of [
        ['A', a],
        ['B', b],
      ] as const) {
        const res = await call(instance.app, `/api/staff/tickets/${ticketId}/messages`, {
          cookie: session.staff,
          json: {
            body: `${name} ${n}`,
            internal: false,
            clientId: `order-${name}-${String(n).padStart(3, '0')}`,
          },
        });
        expect(res.status).toBe(201);
      }
    }
    const stored = ctx.deps.db.$client
      .prepare("select id from events where room = ? and type = 'message.created' order by id")
      .pluck()
      .all(rooms.ticket(ticketId)) as number[];
    const written = stored.slice(-2 * perInstance);
    for (const { socket, ids } of watchers) {
      await waitFor(() => ids.length >= written.length, 5000, 'every reply live');
      expect(ids.slice(-written.length)).toEqual(written);
      socket.disconnect();
    }
  });

  it('typing from B reaches staff on A, and a staff member viewing on B is listed on A', async () => {
    const staff = liveSocket(a.live.url, { token: session.staff });
    const seen: LiveEvent[] = [];
    staff.on('event', (event) => seen.push(event));
    await connected(staff);
    await waitFor(() => localMembers(a, rooms.staffScopeAll()) > 0, 5000, 'staff in their rooms on A');
    const tenant = liveSocket(b.live.url, { token: session.tenant });
    await connected(tenant);
    expect(await ack(tenant, 'typing', { ticketId })).toEqual({ ok: true });
    await waitFor(() => seen.some((event) => event.type === 'typing'), 5000, 'typing on A');
    expect(seen.find((event) => event.type === 'typing')).toMatchObject({
      id: 0,
      data: { ticketId, role: 'customer' },
    });

    const admin = liveSocket(b.live.url, { token: session.admin });
    await connected(admin);
    expect(await ack(admin, 'viewing', { ticketId })).toEqual({ ok: true });
    const adminId = (
      (await (await call(a.app, '/api/me', { cookie: session.admin })).json()) as { user: { id: string } }
    ).user.id;
    const viewersOnA = async () => {
      const res = await call(a.app, `/api/staff/tickets/${ticketId}`, { cookie: session.staff });
      return ((await res.json()) as { viewers: Array<{ userId: string }> }).viewers.map((v) => v.userId);
    };
    // The mark is written to Redis right after the ack; poll the workspace until it shows.
    const deadline = Date.now() + 5000;
    let viewers = await viewersOnA();
    while (!viewers.includes(adminId) && Date.now() < deadline) viewers = await viewersOnA();
    expect(viewers).toContain(adminId);
    for (const socket of [staff, tenant, admin]) socket.disconnect();
  });

  it('logout on A closes that session’s socket on B; logout everywhere closes the others', async () => {
    const first = await loginAs(a.app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    const second = await loginAs(a.app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    const onB = liveSocket(b.live.url, { token: first });
    const otherOnB = liveSocket(b.live.url, { token: second });
    await Promise.all([connected(onB), connected(otherOnB)]);
    const closed = { first: false, second: false };
    onB.on('disconnect', () => (closed.first = true));
    otherOnB.on('disconnect', () => (closed.second = true));

    expect((await call(a.app, '/api/auth/logout', { cookie: first, json: {} })).status).toBeLessThan(300);
    await waitFor(() => closed.first, 5000, 'the logged-out session’s socket on B to close');
    expect(closed.second).toBe(false);

    const third = await loginAs(a.app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    expect(
      (await call(a.app, '/api/auth/logout-everywhere', { cookie: third, json: {} })).status,
    ).toBeLessThan(300);
    await waitFor(() => closed.second, 5000, 'every other session’s socket on B to close');
  });

  it('an access change committed elsewhere moves the socket on B before the rows after it', async () => {
    // A process with no live layer and no Redis (the import command, an admin script): it only
    // writes the store. Its change of who may see what is a row of the log, which B reads in order.
    const dbC = openDatabase(join(ctx.dataDir, 'portier.sqlite'));
    const c = createApp(createDeps({ ...ctx.deps.config, redisUrl: undefined }, dbC));
    const malmo = liveSocket(b.live.url, { token: session.staffMalmo });
    const staff = liveSocket(b.live.url, { token: session.staff });
    const created = { malmo: [] as string[], staff: [] as string[] };
    malmo.on('event', (event) => {
      if (event.type === 'ticket.created') created.malmo.push(event.data.ticket.id);
    });
    staff.on('event', (event) => {
      if (event.type === 'ticket.created') created.staff.push(event.data.ticket.id);
    });
    try {
      await Promise.all([connected(malmo), connected(staff)]);
      await waitFor(() => localMembers(b, rooms.staffScopeAll()) > 0, 5000, 'staff in their rooms on B');
      const teams = (await (await call(c, '/api/staff/admin/teams', { cookie: session.admin })).json()) as {
        teams: { id: string; memberIds: string[]; scopes: { kind: string; id?: string }[] }[];
      };
      const malmoId = (
        (await (await call(c, '/api/me', { cookie: session.staffMalmo })).json()) as { user: { id: string } }
      ).user.id;
      const team = teams.teams.find((each) => each.memberIds.includes(malmoId))!;
      const ownScopes = team.scopes.map(({ kind, id }) => (kind === 'all' ? { kind } : { kind, id }));
      const setScopes = async (scopes: { kind: string; id?: string }[]) => {
        const res = await call(c, `/api/staff/admin/teams/${team.id}/scopes`, {
          method: 'PUT',
          cookie: session.admin,
          json: { scopes },
        });
        expect(res.status).toBe(200);
      };
      // A session of its own: the logout test above ended the tenant's others.
      const tenant = await loginAs(c, DEMO_LOGINS.tenant, DEMO_PASSWORD);
      let filed = 0;
      const fileTicket = async () => {
        const res = await call(c, '/api/tickets', {
          cookie: tenant,
          json: {
            type: 'general_correspondence',
            fields: { correspondence_topic: 'other' },
            description: `Elsewhere ${++filed}`,
            clientId: `scale-out-access-${filed}`,
          },
        });
        expect(res.status).toBe(201);
        return ((await res.json()) as { ticket: { id: string } }).ticket.id;
      };

      // Lars (Malmö only) gets every building, and a ticket in Berlin is filed right after.
      await setScopes([{ kind: 'all' }]);
      const widened = await fileTicket();
      await waitFor(() => created.malmo.includes(widened), 5000, 'the Berlin ticket on Lars’s socket on B');

      // And back: the next ticket reaches the colleague, not him.
      await setScopes(ownScopes);
      const narrowed = await fileTicket();
      await waitFor(
        () => created.staff.includes(narrowed),
        5000,
        'the next ticket on the colleague’s socket',
      );
      expect(created.malmo).not.toContain(narrowed);
      expect(malmo.connected).toBe(true);
    } finally {
      malmo.disconnect();
      staff.disconnect();
      closeWriter(dbC);
      dbC.$client.close();
    }
  });

  it('a rate limit exhausted on A holds on B, and is kept in Redis', async () => {
    const login = 'nobody-here@scale-out.test';
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await call(a.app, '/api/auth/login', {
        json: { login, password: 'wrong' },
        ip: '203.0.113.9',
      });
      expect(res.status).toBe(401);
    }
    const onB = await call(b.app, '/api/auth/login', {
      json: { login, password: 'wrong' },
      ip: '203.0.113.9',
    });
    expect(onB.status).toBe(429);
    expect(onB.headers.get('retry-after')).toMatch(/^\d+$/);
    const keys = await a.deps.redis!.client.keys(`${a.deps.redis!.key('rl:')}*`);
    expect(keys.some((key) => key.includes('203.0.113.9'))).toBe(true);
  });

  it('a job under a lease runs on exactly one of two instances per tick; the other takes over', async () => {
    const runs = { a: 0, b: 0 };
    const stopA = runPeriodically(a.deps, 'scale-out test job', 20, () => void runs.a++);
    const stopB = runPeriodically(b.deps, 'scale-out test job', 20, () => void runs.b++);
    await waitFor(() => runs.a + runs.b >= 10, 5000, 'ten runs');
    expect(Math.min(runs.a, runs.b)).toBe(0);
    const [holder, stopHolder, stopOther] =
      runs.a > 0 ? (['a', stopA, stopB] as const) : (['b', stopB, stopA] as const);
    stopHolder();
    const other = holder === 'a' ? 'b' : 'a';
    await waitFor(() => runs[other] > 0, 5000, 'the other instance to take the job over');
    stopOther();
  });

  it('health reports the store and Redis; metrics count requests and sockets', async () => {
    const res = await call(a.app, '/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, store: 'sqlite', redis: 'up' });

    // The tenant's sessions ended above; staff's is still open.
    const socket = liveSocket(a.live.url, { token: session.staff });
    await connected(socket);
    const scrape = await fetch(`${a.live.url}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toMatch(
      /portier_http_requests_total\{method="GET",route="\/api\/health",status="200"\} [1-9]/,
    );
    expect(text).toMatch(/portier_live_sockets [1-9]/);
    expect(text).toMatch(/portier_outbox_backlog\{queue="notifications"\} \d+/);
    expect(text).toMatch(/portier_redis_up 1/);
    socket.disconnect();
  });
});

describe('without REDIS_URL', () => {
  const ctx = createTestDeps({ metricsToken: 'scrape-secret-0123456789' });
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());

  it('health keeps today’s answer plus the store and redis: off', async () => {
    expect(ctx.deps.redis).toBeUndefined();
    const res = await call(app, '/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, store: 'sqlite', redis: 'off' });
  });

  it('metrics answer the operator only: loopback or the bearer token', async () => {
    expect((await call(app, '/metrics', { ip: '198.51.100.7' })).status).toBe(403);
    expect(
      (await call(app, '/metrics', { ip: '127.0.0.1', headers: { 'x-forwarded-for': '198.51.100.7' } }))
        .status,
    ).toBe(403);
    const wrong = await call(app, '/metrics', {
      ip: '198.51.100.7',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    const local = await call(app, '/metrics', { ip: '127.0.0.1' });
    expect(local.status).toBe(200);
    const remote = await call(app, '/metrics', {
      ip: '198.51.100.7',
      headers: { authorization: 'Bearer scrape-secret-0123456789' },
    });
    expect(remote.status).toBe(200);
    expect(remote.headers.get('content-type')).toContain('text/plain');
    expect(await remote.text()).toContain('portier_outbox_backlog');
  });
});
