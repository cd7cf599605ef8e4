import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { findPushSubscriptionByEndpoint } from '../../db/repositories/push-subscriptions.ts';
import { listNotificationsOfUser } from '../../db/repositories/notifications.ts';
import type { DeclarativePushMessage } from '../../shared/api/push.ts';
import { createTestWorld } from '../helpers/context.ts';
import { createUser } from '../helpers/fixtures.ts';
import { call, loginAs } from '../helpers/auth.ts';
import {
  localPushServiceConfig,
  startPushEndpoint,
  type PushEndpoint,
  type TestSubscription,
} from '../helpers/push-endpoint.ts';

describe('/api/push', async () => {
  const ctx = await createTestWorld(localPushServiceConfig);
  const app = createApp(ctx.deps);
  let endpoint: PushEndpoint;
  let anna: { token: string; id: string };
  let ben: { token: string; id: string };
  let device = 0;

  const subscribe = (token: string, sub: TestSubscription) =>
    call(app, '/api/push/subscriptions', {
      cookie: token,
      json: { endpoint: sub.endpoint, expirationTime: null, keys: sub.keys },
    });

  beforeAll(async () => {
    endpoint = await startPushEndpoint();
    for (const [name, language] of [
      ['anna', 'en'],
      ['ben', 'de'],
    ] as const) {
      const fixture = await createUser(ctx.deps.db, { userLanguage: language });
      const token = await loginAs(app, fixture.email, fixture.password);
      if (name === 'anna') anna = { token, id: fixture.user.id };
      else ben = { token, id: fixture.user.id };
    }
  });
  afterAll(async () => {
    await endpoint.close();
    await ctx.close();
  });
  beforeEach(() => {
    endpoint.received.length = 0;
  });

  it('serves one stable VAPID public key, generated into DATA_DIR with mode 0600', async () => {
    const first = (await (await call(app, '/api/push/public-key', { cookie: anna.token })).json()) as {
      publicKey: string;
    };
    expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65);
    const again: unknown = await (await call(app, '/api/push/public-key', { cookie: ben.token })).json();
    expect(again).toEqual(first);
    expect(statSync(join(ctx.dataDir, 'vapid.json')).mode & 0o777).toBe(0o600);
    expect((await call(app, '/api/push/public-key')).status).toBe(401);
  });

  it('refuses endpoints that are no push service URL and keys of the wrong shape', async () => {
    const sub = endpoint.subscription('/bad');
    for (const body of [
      { endpoint: 'http://push.example.org/x', keys: sub.keys },
      { endpoint: 'https://user:pw@push.example.org/x', keys: sub.keys },
      { endpoint: 'not a url', keys: sub.keys },
      { endpoint: 'https://push.example.org/x', keys: { p256dh: 'short', auth: sub.keys.auth } },
    ]) {
      const res = await call(app, '/api/push/subscriptions', { cookie: anna.token, json: body });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
  });

  it('sends a real encrypted Declarative Web Push to every device of the caller', async () => {
    const phone = endpoint.subscription(`/device-${++device}`);
    const laptop = endpoint.subscription(`/device-${++device}`);
    expect((await subscribe(anna.token, phone)).status).toBe(201);
    expect((await subscribe(anna.token, laptop)).status).toBe(201);

    const test = await call(app, '/api/push/test', { cookie: anna.token, method: 'POST' });
    expect(test.status).toBe(202);
    expect(await test.json()).toEqual({ devices: 2 });
    await drainOutbox(ctx.deps);

    expect(endpoint.received.map((r) => r.path).sort()).toEqual(
      [new URL(phone.endpoint).pathname, new URL(laptop.endpoint).pathname].sort(),
    );
    const delivered = endpoint.received.find((r) => r.path === new URL(phone.endpoint).pathname)!;
    expect(delivered.headers['content-encoding']).toBe('aes128gcm');
    expect(delivered.headers.authorization).toMatch(/^vapid t=.+, k=.+$/);
    expect(delivered.headers.ttl).toBeDefined();
    // RFC 8292 §2: the JWT names the push service's origin and expires within 24 hours; one JWT
    // serves every push to that origin until it is renewed.
    const other = endpoint.received.find((r) => r.path === new URL(laptop.endpoint).pathname)!;
    expect(other.headers.authorization).toBe(delivered.headers.authorization);
    const jwt = /^vapid t=([^,]+),/.exec(String(delivered.headers.authorization))![1]!;
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as {
      aud: string;
      exp: number;
    };
    expect(claims.aud).toBe(new URL(phone.endpoint).origin);
    const secondsLeft = claims.exp - ctx.deps.now().getTime() / 1000;
    expect(secondsLeft).toBeGreaterThan(3600);
    expect(secondsLeft).toBeLessThanOrEqual(24 * 3600);
    const message = JSON.parse(phone.decrypt(delivered.body)) as DeclarativePushMessage;
    expect(message).toMatchObject({
      web_push: 8030,
      notification: {
        title: 'Test notification',
        lang: 'en',
        navigate: 'http://portier.test/settings',
      },
    });
    // Topic and tag derive from the outbox row: a redelivery replaces instead of doubling.
    const [row] = (await listNotificationsOfUser(ctx.deps.db, anna.id)).filter(
      (n) => n.template === 'push_test',
    );
    expect(delivered.headers.topic).toBe(row!.id);
    expect(message.notification.tag).toBe(`notification-${row!.id}`);
    expect(row!.status).toBe('sent');
  });

  it('answers 409 no_push_devices for a test without devices', async () => {
    const res = await call(app, '/api/push/test', { cookie: ben.token, method: 'POST' });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'no_push_devices' } });
  });

  it('removes a subscription the push service reports gone (410); retries other failures', async () => {
    const gone = endpoint.subscription(`/device-${++device}`);
    const flaky = endpoint.subscription(`/device-${++device}`);
    expect((await subscribe(ben.token, gone)).status).toBe(201);
    expect((await subscribe(ben.token, flaky)).status).toBe(201);
    endpoint.statusFor.set(new URL(gone.endpoint).pathname, 410);
    endpoint.statusFor.set(new URL(flaky.endpoint).pathname, 503);

    expect((await call(app, '/api/push/test', { cookie: ben.token, method: 'POST' })).status).toBe(202);
    await drainOutbox(ctx.deps);
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, gone.endpoint)).toBeUndefined();
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, flaky.endpoint)).toBeDefined();
    const [row] = (await listNotificationsOfUser(ctx.deps.db, ben.id)).filter(
      (n) => n.template === 'push_test',
    );
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toContain('push failed');
  });

  it('moves a device re-registered by another user with the same keys (a shared phone); only own devices can be removed', async () => {
    const shared = endpoint.subscription(`/device-${++device}`);
    expect((await subscribe(anna.token, shared)).status).toBe(201);
    expect((await subscribe(ben.token, shared)).status).toBe(201);
    expect((await findPushSubscriptionByEndpoint(ctx.deps.db, shared.endpoint))?.userId).toBe(ben.id);

    const foreign = await call(app, '/api/push/subscriptions', {
      method: 'DELETE',
      cookie: anna.token,
      json: { endpoint: shared.endpoint },
    });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toMatchObject({ error: { code: 'not_found' } });
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, shared.endpoint)).toBeDefined();

    const own = await call(app, '/api/push/subscriptions', {
      method: 'DELETE',
      cookie: ben.token,
      json: { endpoint: shared.endpoint },
    });
    expect(own.status).toBe(204);
    expect(await findPushSubscriptionByEndpoint(ctx.deps.db, shared.endpoint)).toBeUndefined();
  });

  it('does not move an endpoint registered to another account unless the same keys come with it', async () => {
    // Issue 13 finding 10: knowing someone's endpoint URL must not redirect their pushes.
    const victim = endpoint.subscription(`/device-${++device}`);
    expect((await subscribe(anna.token, victim)).status).toBe(201);
    const impostor = endpoint.subscription('/unused');
    for (const keys of [
      impostor.keys,
      { p256dh: victim.keys.p256dh, auth: impostor.keys.auth },
      { p256dh: impostor.keys.p256dh, auth: victim.keys.auth },
    ]) {
      const res = await call(app, '/api/push/subscriptions', {
        cookie: ben.token,
        json: { endpoint: victim.endpoint, keys },
      });
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ error: { code: 'push_endpoint_taken' } });
    }
    const stored = (await findPushSubscriptionByEndpoint(ctx.deps.db, victim.endpoint))!;
    expect(stored).toMatchObject({ userId: anna.id, p256dh: victim.keys.p256dh, auth: victim.keys.auth });
    // The owner's own re-registration (new keys after the browser renewed them) still works.
    const renewed = endpoint.subscription('/renewed');
    expect(
      (
        await call(app, '/api/push/subscriptions', {
          cookie: anna.token,
          json: { endpoint: victim.endpoint, keys: renewed.keys },
        })
      ).status,
    ).toBe(201);
    expect((await findPushSubscriptionByEndpoint(ctx.deps.db, victim.endpoint))?.auth).toBe(
      renewed.keys.auth,
    );
    await call(app, '/api/push/subscriptions', {
      method: 'DELETE',
      cookie: anna.token,
      json: { endpoint: victim.endpoint },
    });
  });

  it('refuses loopback http endpoints unless configured for tests', async () => {
    const strict = await createTestWorld();
    try {
      const strictApp = createApp(strict.deps);
      const user = await createUser(strict.deps.db);
      const token = await loginAs(strictApp, user.email, user.password);
      const sub = endpoint.subscription('/strict');
      const res = await call(strictApp, '/api/push/subscriptions', {
        cookie: token,
        json: { endpoint: sub.endpoint, keys: sub.keys },
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'validation_failed', fields: { endpoint: 'push_endpoint_invalid' } },
      });
    } finally {
      await strict.close();
    }
  });
});
