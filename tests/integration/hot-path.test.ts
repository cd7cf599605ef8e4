import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { securityHeaders } from '../../server/lib/security-headers.ts';
import { inReadSnapshot, preparedPerDb } from '../../db/prepared.ts';
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
  const app = new Hono()
    .use(securityHeaders({ publicUrl: 'http://portier.test' }))
    .get('/own', (c) => c.body('x', 200, { 'Content-Security-Policy': handlerCsp }))
    .get('/plain', (c) => c.json({ ok: true }));
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
