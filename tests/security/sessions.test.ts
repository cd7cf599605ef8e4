import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../server/app.ts';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { createUser, strongPassword, type UserFixture } from '../helpers/fixtures.ts';
import { call, loginAs, readLatestMail, sessionCookieName } from '../helpers/auth.ts';
import { connected, liveSocket, startLiveServer, waitFor, type LiveServer } from '../helpers/live.ts';

/**
 * Issue 7 item 5, sessions (Lucia guide "Sessions"; OWASP ASVS V7): a login always issues a new
 * token, logout ends the session server-side, and a password change or reset ends the other
 * sessions — over HTTP and on the live socket, which outlives a single request.
 */
let ctx: TestWorld;
let app: App;
let live: LiveServer;

beforeAll(async () => {
  ctx = await createTestWorld();
  app = createApp(ctx.deps);
  live = await startLiveServer(ctx.deps);
});
afterAll(async () => {
  await live?.close();
  await ctx?.close();
});

const me = (token: string) => call(app, '/api/me', { cookie: token });

/**
 * The session cookie a response leaves in the browser: the LAST Set-Cookie for it wins (a login
 * with a stale cookie first clears it, then sets the new one). '' when cleared, null when untouched.
 */
function finalSessionCookie(res: Response): string | null {
  let value: string | null = null;
  for (const header of res.headers.getSetCookie()) {
    const match = new RegExp(`^${sessionCookieName}=([^;]*)`).exec(header);
    if (match) value = match[1]!;
  }
  return value;
}

async function openSocket(token: string) {
  const socket = liveSocket(live.url, { token });
  await connected(socket);
  let closed = false;
  socket.on('disconnect', () => (closed = true));
  return { socket, isClosed: () => closed };
}

describe('session fixation', () => {
  let user: UserFixture;
  beforeAll(async () => {
    user = await createUser(ctx.deps.db);
  });

  it('ignores a session cookie planted before login and issues a new token', async () => {
    const planted = 'aaaaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbb';
    const res = await call(app, '/api/auth/login', {
      json: { login: user.email, password: user.password },
      cookie: planted,
    });
    expect(res.status).toBe(200);
    const issued = finalSessionCookie(res);
    expect(issued).toBeTruthy();
    expect(issued).not.toBe(planted);
    expect((await me(planted)).status).toBe(401);
    expect((await me(issued!)).status).toBe(200);
  });

  it("does not reuse another signed-in user's token: a login while signed in gets a fresh one", async () => {
    const other = await createUser(ctx.deps.db);
    const before = await loginAs(app, other.email, other.password);
    const res = await call(app, '/api/auth/login', {
      json: { login: user.email, password: user.password },
      cookie: before,
    });
    const after = finalSessionCookie(res)!;
    expect(after).not.toBe(before);
    const body = (await (await me(after)).json()) as { user: { email?: string; loginEmail?: string } };
    expect(JSON.stringify(body)).toContain(user.email);
  });
});

describe('logout', () => {
  it('ends the session on the server (the old token is refused) and clears the cookie', async () => {
    const user = await createUser(ctx.deps.db);
    const token = await loginAs(app, user.email, user.password);
    const { isClosed } = await openSocket(token);
    const res = await call(app, '/api/auth/logout', { method: 'POST', cookie: token });
    expect(res.status).toBe(204);
    expect(finalSessionCookie(res)).toBe('');
    expect((await me(token)).status).toBe(401);
    await waitFor(isClosed, 5000, 'the live socket of the ended session to close');
  });
});

describe('password change and reset end the other sessions', () => {
  it('change: other sessions get 401 and their live sockets close; the current one stays', async () => {
    const user = await createUser(ctx.deps.db);
    const current = await loginAs(app, user.email, user.password);
    const other = await loginAs(app, user.email, user.password);
    const otherSocket = await openSocket(other);
    const currentSocket = await openSocket(current);

    const res = await call(app, '/api/me/password', {
      cookie: current,
      json: { current: user.password, next: 'Lantern-Meadow-Copper-42' },
    });
    expect(res.status).toBeLessThan(300);

    expect((await me(other)).status).toBe(401);
    await waitFor(otherSocket.isClosed, 5000, 'the other session’s socket to close');
    expect((await me(current)).status).toBe(200);
    expect(currentSocket.isClosed()).toBe(false);
    currentSocket.socket.close();
    // The new password works, the old one no longer does.
    await expect(loginAs(app, user.email, 'Lantern-Meadow-Copper-42')).resolves.toBeTruthy();
    await expect(loginAs(app, user.email, user.password)).rejects.toThrow();
  });

  it('reset by mail: every session ends, sockets included', async () => {
    const user = await createUser(ctx.deps.db);
    const first = await loginAs(app, user.email, user.password);
    const second = await loginAs(app, user.email, user.password);
    const sockets = [await openSocket(first), await openSocket(second)];

    expect((await call(app, '/api/auth/password/forgot', { json: { email: user.email } })).status).toBe(202);
    const mail = await readLatestMail(ctx, user.email, { path: '/reset-password' });
    const res = await call(app, '/api/auth/password/reset', {
      json: { token: mail.token, password: `${strongPassword}-new` },
    });
    expect(res.status).toBeLessThan(300);

    for (const token of [first, second]) expect((await me(token)).status).toBe(401);
    for (const socket of sockets) await waitFor(socket.isClosed, 5000, 'sockets to close after reset');
  });
});

describe('logout everywhere', () => {
  it('ends every session of the user, this one too, and closes their sockets; others keep theirs', async () => {
    const user = await createUser(ctx.deps.db);
    const other = await createUser(ctx.deps.db);
    const phone = await loginAs(app, user.email, user.password);
    const laptop = await loginAs(app, user.email, user.password);
    const stranger = await loginAs(app, other.email, other.password);
    const sockets = [await openSocket(phone), await openSocket(laptop)];
    const strangerSocket = await openSocket(stranger);

    const res = await call(app, '/api/auth/logout-everywhere', { cookie: laptop, json: {} });
    expect(res.status).toBe(204);
    expect(finalSessionCookie(res)).toBe('');

    for (const token of [phone, laptop]) expect((await me(token)).status).toBe(401);
    for (const socket of sockets)
      await waitFor(socket.isClosed, 5000, 'sockets to close after logout everywhere');
    expect((await me(stranger)).status).toBe(200);
    expect(strangerSocket.isClosed()).toBe(false);
    strangerSocket.socket.close();
    expect((await call(app, '/api/auth/logout-everywhere', { json: {} })).status).toBe(401);
  });
});
