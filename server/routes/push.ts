import { Hono } from 'hono';
import { requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody, parseWith } from '../lib/validate.ts';
import { HttpError } from '../lib/http-error.ts';
import {
  pushPublicKey,
  queueTestPush,
  subscribePush,
  unsubscribeAllPush,
  unsubscribePush,
} from '../notify/devices.ts';
import {
  pushSubscriptionRequest,
  pushUnsubscribeRequest,
  type PushPublicKeyResponse,
  type PushSubscribeResponse,
  type PushTestResponse,
} from '../../shared/api/push.ts';
import type { PushSubscriptionsDeletedResponse } from '../../shared/api/profile.ts';

/** `/api/push/...` (API.md): VAPID key, device registration, test notification. Mounted at `/push`. */
export const push = new Hono<AppEnv>()
  .get('/public-key', requireUser, (c) =>
    c.json({ publicKey: pushPublicKey(c.get('deps')) } satisfies PushPublicKeyResponse),
  )
  .post('/subscriptions', requireUser, jsonBody(pushSubscriptionRequest), async (c) =>
    c.json(
      (await subscribePush(
        c.get('deps'),
        c.get('user'),
        c.get('body'),
        c.req.header('user-agent') ?? null,
      )) satisfies PushSubscribeResponse,
      201,
    ),
  )
  // With `{ endpoint }`: this browser's subscription (204). Without a body: every device of the
  // user ("remove all devices" in the settings), 200 `{ deleted }`.
  .delete('/subscriptions', requireUser, async (c) => {
    const text = await c.req.text();
    if (text.trim() === '')
      return c.json({
        deleted: await unsubscribeAllPush(c.get('deps'), c.get('user')),
      } satisfies PushSubscriptionsDeletedResponse);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
    }
    await unsubscribePush(c.get('deps'), c.get('user'), parseWith(pushUnsubscribeRequest, raw).endpoint);
    return c.body(null, 204);
  })
  .post('/test', requireUser, async (c) =>
    c.json({ devices: await queueTestPush(c.get('deps'), c.get('user')) } satisfies PushTestResponse, 202),
  );
