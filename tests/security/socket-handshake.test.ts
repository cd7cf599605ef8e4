import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionCookieName, testOrigin } from '../helpers/auth.ts';
import { startLiveServer, type LiveServer } from '../helpers/live.ts';
import { createDemoWorld, type DemoWorld } from './helpers/demo-world.ts';
import { hostileStrings } from './helpers/hostile.ts';
import { polling, pollingHandshake } from './helpers/raw-socket-io.ts';

/**
 * Issue 13 finding 1: `Cookie: portier_session=%` on a long-polling handshake threw in the
 * handshake middleware, the rejection went unhandled and Node exited. Everything a client sends
 * on the way to a live connection (cookies, headers, query, raw packets) is sent here as raw bytes;
 * asserted: the answer is a refusal or a connection, never a 5xx, nothing escapes as an unhandled
 * error, and the server keeps answering.
 */
const seed = 20_261_205;
let world: DemoWorld;
let live: LiveServer;
const escaped: unknown[] = [];
const record = (error: unknown) => void escaped.push(error);

beforeAll(async () => {
  world = await createDemoWorld();
  live = await startLiveServer(world.ctx.deps);
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
});
afterAll(async () => {
  process.off('unhandledRejection', record);
  process.off('uncaughtException', record);
  await live?.close();
  await world?.close();
});
afterEach(async () => {
  // Anything thrown asynchronously by the last request surfaces within a few turns.
  await new Promise((resolve) => setTimeout(resolve, 20));
  expect(escaped.splice(0)).toEqual([]);
  const health = await fetch(`${live.url}/api/health`);
  expect(health.status).toBe(200);
});

const cookie = (value: string) => `${sessionCookieName}=${value}`;
const refused = '44{"message":"unauthenticated"}';

describe('the live handshake under a malformed session cookie', () => {
  it('connects with a valid cookie over long-polling (the harness reaches the middleware)', async () => {
    const { status, answer } = await pollingHandshake(live.port, {
      Origin: testOrigin,
      Cookie: cookie(world.tokens.tenant),
    });
    expect(status).toBe(200);
    expect(answer).toMatch(/^40\{"sid":"/);
  });

  it.each(['%', '%E0%A4%A', '%ZZ', `${'%'.repeat(500)}`, '%C0%AF.%ff', `x; ${sessionCookieName}=%`])(
    'refuses %j and keeps running',
    async (value) => {
      const { status, answer } = await pollingHandshake(live.port, {
        Origin: testOrigin,
        Cookie: cookie(value),
      });
      expect(status).toBe(200);
      expect(answer).toBe(refused);
    },
  );

  it('refuses a hostile Origin before looking at the cookie', async () => {
    const { answer } = await pollingHandshake(live.port, {
      Origin: 'https://evil.example',
      Cookie: cookie(world.tokens.tenant),
    });
    expect(answer).toBe('44{"message":"origin_mismatch"}');
  });
});

describe('handshake fuzzing: cookies, headers and query', () => {
  const headerText = fc.oneof(
    fc.constantFrom(...hostileStrings.filter((text) => text.length < 2000)),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({
      unit: fc.constantFrom('%', ';', '=', '"', ',', ' ', '\\', 'a', 'Z', '.', 'é'),
      maxLength: 60,
    }),
  );
  // Header bytes as a raw client could put them on the wire (CR/LF would end the header: dropped).
  const onWire = (text: string) => Buffer.from(text.replace(/[\r\n]/g, ''), 'utf8').toString('latin1');

  it('cookies and origins never end in a 5xx or an escaped error', async () => {
    const problems: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        headerText,
        fc.constantFrom(testOrigin, 'null', '', `${testOrigin}/`, 'http://portier.test.evil', '%'),
        async (value, origin) => {
          const headers: Record<string, string> = { Cookie: onWire(cookie(value)) };
          if (origin) headers.Origin = onWire(origin);
          const { status, answer } = await pollingHandshake(live.port, headers);
          if (status >= 500 || status === 0) problems.push(`${JSON.stringify(value)} ${origin} → ${status}`);
          if (status === 200 && !answer.startsWith('44') && !answer.startsWith('40'))
            problems.push(`${JSON.stringify(value)} → ${answer.slice(0, 80)}`);
        },
      ),
      { seed, numRuns: 60 },
    );
    expect(problems).toEqual([]);
  });

  it('odd query strings and headers are refused by the transport, not by a crash', async () => {
    const queries = [
      '',
      'EIO=3&transport=polling',
      'EIO=abc&transport=polling',
      'EIO=4&transport=carrier-pigeon',
      'EIO=4&transport=polling&sid=%',
      'EIO=4&transport=polling&sid=nope',
      'EIO=4&transport=polling&b64=1&j=%',
      'EIO=4&transport=polling&__proto__[x]=1',
      `EIO=4&transport=polling&t=${'x'.repeat(8000)}`,
      'EIO=4&EIO=4&transport=polling&transport=websocket',
    ];
    const problems: string[] = [];
    for (const query of queries) {
      const answer = await polling(live.port, {
        query,
        headers: { Origin: testOrigin, Cookie: cookie(world.tokens.tenant) },
      });
      if (answer.status >= 500 || answer.status === 0)
        problems.push(`${query.slice(0, 60)} → ${answer.status}`);
    }
    const headerSets: Record<string, string>[] = [
      { Origin: testOrigin, Cookie: `${cookie('%')}; ${cookie(world.tokens.tenant)}` },
      { Origin: testOrigin, Cookie: '=;=;;;=%' },
      { Origin: testOrigin, Cookie: cookie('x'.repeat(6000)) },
      { Origin: testOrigin, 'X-Forwarded-For': '%, ::ffff:%' },
      { Origin: testOrigin, 'User-Agent': '\u0000\u00ff' },
    ];
    for (const headers of headerSets) {
      const { status } = await pollingHandshake(live.port, headers);
      if (status >= 500 || status === 0) problems.push(`${JSON.stringify(headers).slice(0, 80)} → ${status}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('raw packets after a connection', () => {
  const packets = [
    '42[',
    '42["resync"',
    '4',
    '49',
    '4x',
    '42[1,2]',
    '42[null]',
    '42["__proto__",{"polluted":true}]',
    '42["constructor",{}]',
    '42["error",{"message":"x"}]',
    '42["disconnect","x"]',
    '42["disconnecting"]',
    '42["newListener","x"]',
    '42["unknown.event",{"ticketId":"x"}]',
    '421["resync",{"after":1}]',
    '421["message.send",{"ticketId":"x","body":"b","clientId":"c"}]',
    '42["message.send"]',
    '43[1]',
    '4399["ok"]',
    '451-["resync",{"_placeholder":true,"num":0}]',
    '45-["typing",{"_placeholder":true,"num":5}]',
    `42["resync",${'['.repeat(5000)}${']'.repeat(5000)}]`,
    `421["read",${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}]`,
    '41',
  ];

  it('a connected tenant sending malformed packets changes nothing for the server', async () => {
    const problems: string[] = [];
    for (const packet of packets) {
      const { status } = await pollingHandshake(
        live.port,
        { Origin: testOrigin, Cookie: cookie(world.tokens.tenant) },
        ['40', packet],
      );
      if (status >= 500 || status === 0) problems.push(`${packet.slice(0, 40)} → ${status}`);
    }
    expect(problems).toEqual([]);
  });
});
