import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientEventNames } from '../../shared/api/live.ts';
import { maxLivePacketBytes } from '../../server/realtime/limits.ts';
import { sessionCookieName, testOrigin } from '../helpers/auth.ts';
import { ack, connected, liveSocket, startLiveServer } from '../helpers/live.ts';
import { apiRoutes, createDemoWorld, type DemoWorld } from './helpers/demo-world.ts';
import {
  hostileContentTypes,
  hostileRawBodies,
  hostileStrings,
  hostileValue,
  mutatedBody,
  watchWrites,
  type WriteWatch,
} from './helpers/hostile.ts';
import { fillPath, validBodies } from './helpers/requests.ts';

/**
 * Issue 7 item 4: every JSON route of the real route table gets malformed and hostile input as the
 * demo tenant (staff for /api/staff, admin for /api/staff/admin). Bounded: a fixed seed and a fixed number of runs per route.
 * Asserted: no 5xx, /api/health still answers, Object.prototype untouched, and a rejected (4xx)
 * request writes to no stored table (throttles, sessions, logs and the outbox excepted; see
 * `watchWrites` in helpers/hostile.ts for why a write trigger instead of a hash per table).
 * Failures are collected per family and reported together: route, input and answer.
 */
const seed = 20_260_407;
const runsPerRoute = 25;
const writeMethods = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
/** Routes that end the session they are called with: fuzzing them would sign the tenant out. */
const sessionEnding = new Set(['POST /api/auth/logout', 'POST /api/auth/logout-everywhere']);

let world: DemoWorld;
let writes: WriteWatch;
let prototypeKeys: string[];

beforeAll(async () => {
  world = await createDemoWorld();
  writes = await watchWrites(world.ctx.deps.db);
  prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
});
afterAll(() => world?.close());

interface Sent {
  contentType?: string | null;
  body?: string;
  path?: string;
}

/** Who sends the fuzz: someone the guard lets through, so the body reaches validation and the service. */
function actorFor(path: string): 'admin' | 'staff' | 'tenant' {
  if (path.startsWith('/api/staff/admin/')) return 'admin';
  return path.startsWith('/api/staff/') ? 'staff' : 'tenant';
}
const tokenFor = (path: string) => world.tokens[actorFor(path)];
const validBodyOf = (method: string, path: string) =>
  validBodies[`${method} ${path}`]?.(world.ids, actorFor(path));

const describeInput = (sent: Sent) => {
  const body = sent.body ?? '';
  return `${sent.contentType ?? '(no content-type)'} ${body.length > 120 ? `${body.slice(0, 120)}… (${body.length} chars)` : body}`;
};

/** Sends one request and returns a problem description, or null when the answer is acceptable. */
async function attempt(method: string, routePath: string, sent: Sent): Promise<string | null> {
  await world.restore();
  const path = sent.path ?? fillPath(routePath, world.ids) ?? routePath.replace(/:[A-Za-z]+/g, 'x');
  const headers: Record<string, string> = {
    origin: testOrigin,
    cookie: `${sessionCookieName}=${tokenFor(routePath)}`,
  };
  if (sent.contentType) headers['content-type'] = sent.contentType;
  await writes.reset();
  const res = await world.app.request(path, { method, headers, body: sent.body });
  const label = `${method} ${path} ${describeInput(sent)}`;
  if (res.status >= 500) return `${label} → ${res.status} ${await res.text()}`;
  // GETs may legitimately stamp "first opened" and read marks; a refused write must store nothing.
  const changed = await writes.changed();
  if (method !== 'GET' && res.status >= 400 && changed.length > 0) {
    return `${label} → ${res.status} but wrote ${changed.join(', ')}`;
  }
  return null;
}

const json = (value: unknown) => JSON.stringify(value) ?? 'null';

function jsonRoutes() {
  return apiRoutes(world.app).filter(
    ({ method, path }) => writeMethods.has(method) && !sessionEnding.has(`${method} ${path}`),
  );
}

async function expectHealthy(): Promise<void> {
  const res = await world.app.request('/api/health');
  expect(res.status).toBe(200);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
}

describe('JSON routes under hostile bodies', () => {
  it('covers the write routes of the route table, and the write watch sees writes', async () => {
    expect(jsonRoutes().length).toBeGreaterThan(15);
    // Not vacuous: an accepted write shows up in the watch.
    await writes.reset();
    const res = await world.app.request('/api/profile', {
      method: 'PATCH',
      headers: {
        origin: testOrigin,
        cookie: `${sessionCookieName}=${world.tokens.tenant}`,
        'content-type': 'application/json',
      },
      body: json({ mobile: '+49 170 1234567' }),
    });
    expect(res.status).toBe(200);
    expect(await writes.changed()).toContain('persons');
  });

  it('raw bodies: invalid JSON, non-objects, pollution keys, 10,000 levels deep, 1 MB', async () => {
    const problems: string[] = [];
    for (const { method, path } of jsonRoutes()) {
      for (const body of hostileRawBodies) {
        const problem = await attempt(method, path, { contentType: 'application/json', body });
        if (problem) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
    await expectHealthy();
  });

  it('wrong, missing and odd content types around a valid body', async () => {
    const problems: string[] = [];
    for (const { method, path } of jsonRoutes()) {
      const body = json(validBodyOf(method, path) ?? {});
      for (const contentType of hostileContentTypes) {
        const problem = await attempt(method, path, { contentType, body });
        if (problem) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
    await expectHealthy();
  });

  it('generated mutations of valid bodies (fast-check, fixed seed)', async () => {
    const problems: string[] = [];
    for (const { method, path } of jsonRoutes()) {
      const valid = validBodyOf(method, path) ?? {};
      await fc.assert(
        fc.asyncProperty(mutatedBody(valid as Record<string, unknown>), async (body) => {
          const problem = await attempt(method, path, { contentType: 'application/json', body: json(body) });
          if (problem) problems.push(problem);
        }),
        { seed, numRuns: runsPerRoute },
      );
    }
    expect(problems).toEqual([]);
    await expectHealthy();
  });
});

describe('GET routes under hostile path parameters and query strings', () => {
  /** A representative subset: the full list would render the PDF routes dozens of times. */
  const picks = hostileStrings.filter((_, index) => index % 3 === 0);
  const queryFor = (value: string) => {
    const v = encodeURIComponent(value);
    return `?q=${v}&status=${v}&unpaid=${v}&contractId=${v}&lang=${v}&type=${v}&assignee=${v}&building=${v}&component=${v}`;
  };
  const oddQueries = [
    '?__proto__[polluted]=yes&constructor[prototype][polluted]=yes',
    '?status=new&status=closed&q=a&q=b',
    '?q',
    '?%ZZ=%ZZ',
    `?q=${'x'.repeat(10_000)}`,
  ];

  it('never answers 5xx', async () => {
    const problems: string[] = [];
    for (const { method, path } of apiRoutes(world.app).filter((route) => route.method === 'GET')) {
      const filled = fillPath(path, world.ids) ?? path;
      const variants = [...picks.map(queryFor), ...oddQueries].map((query) => filled + query);
      if (path.includes(':')) {
        for (const value of picks) variants.push(path.replace(/:[A-Za-z]+/g, encodeURIComponent(value)));
      }
      for (const variant of variants) {
        const problem = await attempt(method, path, { path: variant });
        if (problem) problems.push(problem);
      }
    }
    expect(problems).toEqual([]);
    await expectHealthy();
  });
});

describe('socket events under hostile payloads', () => {
  /**
   * Every client event as the tenant and as staff, with and without an ack, and unknown events.
   * Payloads over the packet limit close the connection by design (tests/integration/realtime-limits.test.ts).
   */
  const withinPacket = hostileValue.filter((value) => json(value).length < maxLivePacketBytes - 1024);
  const fuzzSocket = async (actor: 'tenant' | 'staff') => {
    // The per-socket event budget would answer most of the fuzz 429 before it reached a handler.
    const limit = world.ctx.deps.config.liveEventLimit;
    world.ctx.deps.config.liveEventLimit = 1_000_000;
    const live = await startLiveServer(world.ctx.deps);
    world.ctx.deps.config.liveEventLimit = limit;
    const socket = liveSocket(live.url, { token: world.tokens[actor] });
    try {
      await connected(socket);
      const problems: string[] = [];
      for (const event of clientEventNames) {
        await fc.assert(
          fc.asyncProperty(withinPacket, async (payload) => {
            const reply = await ack<{ error?: { code: string } }>(socket, event, payload);
            const code = reply?.error?.code;
            if (code === 'internal_error' || code === 'too_many_requests')
              problems.push(`${actor} ${event} ${json(payload).slice(0, 120)} → ${code}`);
          }),
          { seed, numRuns: 30 },
        );
        // Fire-and-forget, and with trailing arguments that are not an ack.
        fc.assert(
          fc.property(withinPacket, withinPacket, (payload, extra) => {
            (socket as unknown as { emit: (...args: unknown[]) => void }).emit(event, payload, extra);
          }),
          { seed, numRuns: 10 },
        );
      }
      for (const unknown of ['__proto__', 'constructor', 'hasOwnProperty', 'error', 'x'.repeat(500)])
        (socket as unknown as { emit: (...args: unknown[]) => void }).emit(unknown, {
          ticketId: world.ids.ticketId,
        });
      // Still answering after all of it, on the same connection.
      const after = await ack<{ events?: unknown[] }>(socket, 'resync', { after: 0 });
      expect(Array.isArray(after.events)).toBe(true);
      expect(problems).toEqual([]);
      expect(socket.connected).toBe(true);
    } finally {
      socket.close();
      await live.close();
    }
    await expectHealthy();
  };

  it('answer the tenant with an error code, never internal_error, and keep the connection', async () => {
    await fuzzSocket('tenant');
  });

  it('answer staff with an error code, never internal_error, and keep the connection', async () => {
    await fuzzSocket('staff');
  });
});
