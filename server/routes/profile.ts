import { Hono } from 'hono';
import { requestMeta } from '../auth/client-ip.ts';
import { requireCustomer, requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  deletePushSubscription,
  getNotificationPreferences,
  getProfile,
  listPushSubscriptions,
  putNotificationPreferences,
  updateProfile,
} from '../services/profile.ts';
import {
  putNotificationPreferencesRequest,
  updateProfileRequest,
  type NotificationPreferencesResponse,
  type ProfileResponse,
  type PushSubscriptionListResponse,
  type PushSubscriptionsDeletedResponse,
} from '../../shared/api/profile.ts';

/**
 * `/api/profile`, `/api/settings/notifications`, `/api/push/subscriptions` (seeds 002, 003).
 * Mounted at the API root, so the guards sit on each route, not on `*`.
 * `POST`/`DELETE /push/subscriptions` (all devices, or one by endpoint) live in routes/push.ts.
 */
export const profile = new Hono<AppEnv>()
  .get('/profile', requireUser, requireCustomer, async (c) =>
    c.json((await getProfile(c.get('deps'), c.get('user'))) satisfies ProfileResponse),
  )
  .patch('/profile', requireUser, requireCustomer, jsonBody(updateProfileRequest), async (c) =>
    c.json(
      (await updateProfile(
        c.get('deps'),
        c.get('user'),
        c.get('body'),
        requestMeta(c),
      )) satisfies ProfileResponse,
    ),
  )
  .get('/settings/notifications', requireUser, requireCustomer, async (c) =>
    c.json(
      (await getNotificationPreferences(
        c.get('deps'),
        c.get('user'),
      )) satisfies NotificationPreferencesResponse,
    ),
  )
  .put(
    '/settings/notifications',
    requireUser,
    requireCustomer,
    jsonBody(putNotificationPreferencesRequest),
    async (c) =>
      c.json(
        (await putNotificationPreferences(
          c.get('deps'),
          c.get('user'),
          c.get('body').preferences,
        )) satisfies NotificationPreferencesResponse,
      ),
  )
  .get('/push/subscriptions', requireUser, requireCustomer, async (c) =>
    c.json({
      subscriptions: await listPushSubscriptions(c.get('deps'), c.get('user')),
    } satisfies PushSubscriptionListResponse),
  )
  .delete('/push/subscriptions/:id', requireUser, requireCustomer, async (c) =>
    c.json({
      deleted: await deletePushSubscription(c.get('deps'), c.get('user'), c.req.param('id')),
    } satisfies PushSubscriptionsDeletedResponse),
  );
