import { createECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import type { ResolvedAddress } from '../../server/notify/push-endpoints.ts';
import {
  findPushSubscriptionByEndpoint,
  insertPushSubscription,
} from '../../db/repositories/push-subscriptions.ts';
import { listNotificationsOfUser } from '../../db/repositories/notifications.ts';
import { createTestWorld } from '../helpers/context.ts';
import { createUser } from '../helpers/fixtures.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { startPushEndpoint, type PushEndpoint } from '../helpers/push-endpoint.ts';

/**
 * Issue 13 finding 4: the push worker POSTs to whatever endpoint a browser registered, so only
 * browser push services are accepted by name, and at send time only public addresses.
 */
describe('push endpoints: only browser push services, only public addresses', async () => {
  // The default configuration, as in production (no PUSH_ALLOWED_HOSTS, no PUSH_ALLOW_LOOPBACK),
  // plus one made-up push service name whose DNS answers the test decides.
  const ctx = await createTestWorld({
    pushAllowedHosts: [...loadConfig({}).pushAllowedHosts, 'push.portier.test'],
  });
  const app = createApp(ctx.deps);
  const answers = new Map<string, ResolvedAddress[]>();
  const asked: string[] = [];
  ctx.deps.resolveHost = (hostname) => {
    asked.push(hostname);
    const answer = answers.get(hostname);
    return answer ? Promise.resolve(answer) : Promise.reject(new Error(`ENOTFOUND ${hostname}`));
  };
  let endpoint: PushEndpoint;
  let user: { token: string; id: string };
  // Real browser-side keys: the worker encrypts before it connects (RFC 8291).
  const browserKey = createECDH('prime256v1');
  browserKey.generateKeys();
  const keys = {
    p256dh: browserKey.getPublicKey().toString('base64url'),
    auth: randomBytes(16).toString('base64url'),
  };
  const subscribe = (url: string) =>
    call(app, '/api/push/subscriptions', { cookie: user.token, json: { endpoint: url, keys } });
  const sendTest = async () => {
    expect((await call(app, '/api/push/test', { cookie: user.token, method: 'POST' })).status).toBe(202);
    await drainOutbox(ctx.deps);
  };

  beforeAll(async () => {
    endpoint = await startPushEndpoint();
    const fixture = await createUser(ctx.deps.db);
    user = { token: await loginAs(app, fixture.email, fixture.password), id: fixture.user.id };
  });
  afterAll(async () => {
    await endpoint.close();
    await ctx.close();
  });

  it.each([
    ['loopback', 'https://127.0.0.1/push'],
    ['localhost', 'https://localhost/push'],
    ['private', 'https://10.0.0.7/push'],
    ['private', 'https://192.168.1.1/push'],
    ['link-local metadata', 'https://169.254.169.254/latest/meta-data/'],
    ['carrier-grade NAT', 'https://100.64.0.1/push'],
    ['integer IP', 'https://2130706433/push'],
    ['hex IP', 'https://0x7f000001/push'],
    ['IPv6 loopback', 'https://[::1]/push'],
    ['IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]/push'],
    ['IPv6 link-local', 'https://[fe80::1]/push'],
    ['public IP literal', 'https://8.8.8.8/push'],
    ['metadata host', 'https://metadata.google.internal/computeMetadata/v1/'],
    ['unknown host', 'https://push.example.org/push'],
    ['allowed name as a prefix', 'https://fcm.googleapis.com.evil.example/push'],
    ['other googleapis host', 'https://storage.googleapis.com/bucket/push'],
    ['bare wildcard domain', 'https://push.apple.com/push'],
    ['non-default port', 'https://fcm.googleapis.com:8443/fcm/send/x'],
  ])('refuses a %s endpoint (%s) with 400 push_endpoint_not_allowed', async (_kind, url) => {
    const res = await subscribe(url);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { endpoint: 'push_endpoint_not_allowed' } },
    });
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, new URL(url).href)).toBeUndefined();
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, url)).toBeUndefined();
  });

  it.each([
    ['plain http', 'http://fcm.googleapis.com/fcm/send/x'],
    ['http to the loopback without the opt-in', 'http://127.0.0.1:9/push'],
    ['credentials', 'https://user:pw@fcm.googleapis.com/fcm/send/x'],
  ])('refuses %s with 400 push_endpoint_invalid', async (_kind, url) => {
    const res = await subscribe(url);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { endpoint: 'push_endpoint_invalid' } },
    });
  });

  it('accepts the push services of Chrome, Firefox, Safari and Edge without any DNS look-up', async () => {
    asked.length = 0;
    for (const url of [
      'https://fcm.googleapis.com/fcm/send/abc:APA91b',
      'https://updates.push.services.mozilla.com/wpush/v2/gAAAAA',
      'https://web.push.apple.com/QGm5a2bc',
      'https://wns2-db5p.notify.windows.com/w/?token=BQYAAA',
    ]) {
      expect((await subscribe(url)).status).toBe(201);
    }
    expect(asked).toEqual([]);
    expect(
      (await call(app, '/api/push/subscriptions', { cookie: user.token, method: 'DELETE' })).status,
    ).toBe(200);
  });

  it('refuses at send time a push service name that resolves to a non-public address, and removes the device', async () => {
    answers.set('push.portier.test', [{ address: '127.0.0.1', family: 4 }]);
    const url = 'https://push.portier.test/device-1';
    expect((await subscribe(url)).status).toBe(201);
    asked.length = 0;
    await sendTest();
    expect(asked).toEqual(['push.portier.test']);
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, url)).toBeUndefined();
    // Refused is final: the row is done, not retried forever.
    const rows = (await listNotificationsOfUser(ctx.deps.db, user.id)).filter(
      (n) => n.template === 'push_test',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.status === 'sent')).toBe(true);
  });

  it.each([
    ['a public and a private address (rebinding)', ['93.184.215.14', '10.0.0.1']],
    ['an IPv4-mapped loopback', ['::ffff:127.0.0.1']],
    ['carrier-grade NAT', ['100.100.100.200']],
    ['IPv6 unique local', ['fd00::1']],
  ])('refuses a name resolving to %s', async (_kind, addresses) => {
    answers.set(
      'push.portier.test',
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
    const url = `https://push.portier.test/device-${addresses.join('-')}`;
    expect((await subscribe(url)).status).toBe(201);
    await sendTest();
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, url)).toBeUndefined();
  });

  it('keeps the device and retries when the name cannot be resolved (the server may be offline)', async () => {
    const url = 'https://unresolvable.push.apple.com/device';
    expect((await subscribe(url)).status).toBe(201);
    await sendTest();
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, url)).toBeDefined();
    const pending = (await listNotificationsOfUser(ctx.deps.db, user.id)).filter(
      (n) => n.template === 'push_test' && n.status === 'pending',
    );
    expect(pending).toHaveLength(1);
    expect(
      (await call(app, '/api/push/subscriptions', { cookie: user.token, method: 'DELETE' })).status,
    ).toBe(200);
  });

  it('removes a device stored before the allow-list without sending to it', async () => {
    const stored = endpoint.subscription('/legacy');
    await insertPushSubscription(ctx.deps.db, {
      userId: user.id,
      endpoint: stored.endpoint,
      p256dh: stored.keys.p256dh,
      auth: stored.keys.auth,
      userAgent: null,
      createdAt: ctx.deps.now(),
    });
    await sendTest();
    expect(endpoint.received).toEqual([]);
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, stored.endpoint)).toBeUndefined();
  });
});

describe('push endpoint configuration', () => {
  it('reads PUSH_ALLOWED_HOSTS and keeps the loopback opt-in off unless PUSH_ALLOW_LOOPBACK is set', () => {
    const defaults = loadConfig({ NODE_ENV: 'test' });
    expect(defaults.pushAllowedHosts).toContain('fcm.googleapis.com');
    expect(defaults.pushAllowedHosts).toContain('*.push.apple.com');
    expect(defaults.allowLoopbackPushEndpoints).toBe(false);
    const custom = loadConfig({
      PUSH_ALLOWED_HOSTS: ' *.Push.Example.net , 127.0.0.1 ',
      PUSH_ALLOW_LOOPBACK: '1',
    });
    expect(custom.pushAllowedHosts).toEqual(['*.push.example.net', '127.0.0.1']);
    expect(custom.allowLoopbackPushEndpoints).toBe(true);
    expect(() => loadConfig({ PUSH_ALLOWED_HOSTS: 'https://push.example.net/' })).toThrow(
      /PUSH_ALLOWED_HOSTS/,
    );
  });
});
