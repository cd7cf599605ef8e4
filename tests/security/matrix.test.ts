import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEventNames } from '../../shared/api/live.ts';
import { ack, connected, liveSocket, startLiveServer, type LiveServer } from '../helpers/live.ts';
import { actors, apiRoutes, createDemoWorld, type Actor, type DemoWorld } from './helpers/demo-world.ts';
import { outcomeOf, probe } from './helpers/probe.ts';
import { routeMatrix, socketMatrix } from './matrix-table.ts';

/**
 * Issue 7 item 3: the route table of the real app (Hono's `app.routes`) and the socket event map
 * (`clientEventNames`) against matrix-table.ts. One test per route so a failure names the route and
 * shows the whole row (expected vs. answered) at once.
 */
let world: DemoWorld;

beforeAll(async () => {
  world = await createDemoWorld();
});
afterAll(() => world?.close());

describe('every route has a matrix entry', () => {
  it('the app exposes routes (sanity)', () => {
    expect(apiRoutes(world.app).length).toBeGreaterThan(30);
  });

  it('no route is missing from matrix-table.ts', () => {
    const missing = apiRoutes(world.app)
      .map(({ method, path }) => `${method} ${path}`)
      .filter((key) => !routeMatrix[key]);
    expect(missing, `add these to tests/security/matrix-table.ts: ${missing.join(', ')}`).toEqual([]);
  });

  it('no matrix entry names a route that does not exist', () => {
    const existing = new Set(apiRoutes(world.app).map(({ method, path }) => `${method} ${path}`));
    const stale = Object.keys(routeMatrix).filter((key) => !existing.has(key));
    expect(stale, `remove or rename in matrix-table.ts: ${stale.join(', ')}`).toEqual([]);
  });
});

describe('HTTP: route × actor', () => {
  // Built from the live route table at collection time is impossible (the world is async), so the
  // matrix's keys drive the cases and the completeness tests above catch routes without one.
  for (const [key, entry] of Object.entries(routeMatrix)) {
    it(key, async () => {
      const [method, path] = key.split(' ') as [string, string];
      const answered: Partial<Record<Actor, unknown>> = {};
      for (const actor of actors) {
        const res = await probe(world, actor, method, path, { freshSession: entry.freshSession });
        answered[actor] = outcomeOf(res.status);
        if (entry.endsAllSessions && actor !== 'anonymous')
          world.tokens[actor] = await world.freshToken(actor);
      }
      expect(answered, `${key} (expected ← → answered, per actor)`).toEqual(entry.expect);
    });
  }
});

describe('staff lists are filtered by scope', () => {
  // 'ok' in the matrix says only that the guard let Lars in: his lists must not name Erika's
  // Berlin data at all, while the Berlin staff's lists do (so the check is not vacuous).
  const lists: [path: string, berlinId: (ids: DemoWorld['ids']) => string][] = [
    ['/api/staff/tenants', (ids) => ids.tenantPersonId],
    ['/api/staff/notices', (ids) => ids.noticeId],
    ['/api/staff/notices/places', (ids) => ids.buildingId],
    ['/api/staff/incidents', (ids) => ids.incidentId],
    ['/api/staff/documents', (ids) => ids.contractId],
  ];
  for (const [path, berlinId] of lists) {
    it(path, async () => {
      const id = berlinId(world.ids);
      const seen = async (actor: 'staff' | 'staffMalmo') => {
        const res = await probe(world, actor, 'GET', path, { path });
        expect(res.status).toBe(200);
        return (await res.text()).includes(id);
      };
      if (path === '/api/staff/documents') {
        // The seed has no document a staff member published; make one to Erika's contract.
        const made = await probe(world, 'staff', 'POST', '/api/staff/documents');
        expect(made.status).toBe(201);
      }
      expect(await seen('staff')).toBe(true);
      expect(await seen('staffMalmo')).toBe(false);
    });
  }

  it("POST /api/staff/documents/bulk/preview matches Erika's contract only in scope", async () => {
    const preview = async (actor: 'staff' | 'staffMalmo') => {
      const res = await probe(world, actor, 'POST', '/api/staff/documents/bulk/preview');
      expect(res.status).toBe(200);
      return (await res.json()) as { matched: unknown[]; missed: { reason: string }[] };
    };
    expect((await preview('staff')).matched).toHaveLength(1);
    const malmo = await preview('staffMalmo');
    expect(malmo.matched).toEqual([]);
    expect(malmo.missed.map((miss) => miss.reason)).toEqual(['unknown_contract']);
    expect(JSON.stringify(malmo)).not.toContain(world.ids.contractId);
  });
});

describe('live: event × actor', () => {
  let live: LiveServer;
  beforeAll(async () => {
    live = await startLiveServer(world.ctx.deps);
  });
  afterAll(() => live?.close());

  it('every client event has a matrix entry, and no entry is stale', () => {
    const missing = clientEventNames.filter((name) => !socketMatrix[name]);
    const stale = Object.keys(socketMatrix).filter((name) => !(clientEventNames as string[]).includes(name));
    expect(missing, `add to socketMatrix in matrix-table.ts: ${missing.join(', ')}`).toEqual([]);
    expect(stale, `not a client event any more: ${stale.join(', ')}`).toEqual([]);
  });

  it('refuses an anonymous handshake and a foreign origin', async () => {
    const anonymous = liveSocket(live.url, { token: null });
    await expect(connected(anonymous)).rejects.toThrow('unauthenticated');
    anonymous.close();
    const foreign = liveSocket(live.url, { token: world.tokens.tenant, origin: 'https://evil.example' });
    await expect(connected(foreign)).rejects.toThrow('origin_mismatch');
    foreign.close();
  });

  const payloads: Record<string, (ids: DemoWorld['ids'], n: number) => unknown> = {
    resync: () => ({ after: 0 }),
    'message.send': (ids, n) => ({ ticketId: ids.ticketId, body: 'Live probe', clientId: `live-probe-${n}` }),
    typing: (ids) => ({ ticketId: ids.ticketId }),
    viewing: (ids) => ({ ticketId: ids.ticketId }),
    read: (ids) => ({ ticketId: ids.ticketId, messageId: ids.messageId }),
  };

  for (const event of clientEventNames) {
    it(event, async () => {
      const payload = payloads[event];
      expect(payload, `give tests/security/matrix.test.ts a payload for '${event}'`).toBeDefined();
      const expected = socketMatrix[event];
      const answered: Record<string, string> = {};
      let n = 0;
      for (const actor of actors) {
        if (actor === 'anonymous') continue;
        const socket = liveSocket(live.url, { token: world.tokens[actor] });
        await connected(socket);
        const reply = await ack<{ error?: { code: string } }>(socket, event, payload!(world.ids, n++));
        answered[actor] = reply.error?.code ?? 'ok';
        socket.close();
      }
      expect(answered, `socket '${event}' with Erika's ticket`).toEqual(expected);
    });
  }
});
