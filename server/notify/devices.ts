import { listPushSubscriptionsOfUser } from '../../db/repositories/push-subscriptions.ts';
import {
  deletePushSubscriptionOfUserByEndpoint,
  deletePushSubscriptionsOfUser,
  upsertPushSubscription,
} from '../../db/repositories/push-subscriptions.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { badRequest, conflict, notFound } from '../lib/http-error.ts';
import type { PushSubscribeResponse, PushSubscriptionRequest } from '../../shared/api/push.ts';
import { queueNotification } from './outbox.ts';
import { vapidKeysOf } from './vapid.ts';

/*
 * Push devices of the signed-in user (issue 6 item 7; seed 002 "Push oder E-Mail"). Staff may
 * register devices too; only own devices can ever be removed.
 */

type DevicesDeps = Pick<Deps, 'db' | 'config' | 'now'>;

export function pushPublicKey(deps: Pick<Deps, 'config'>): string {
  return vapidKeysOf(deps.config).publicKey;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The server POSTs to this URL, so it must be a push service: https only (RFC 8030 §8), no
 * credentials; plain http to the loopback only when configured for tests (config.ts).
 */
function assertPushEndpoint(deps: Pick<Deps, 'config'>, endpoint: string): void {
  const url = new URL(endpoint);
  const loopback = url.protocol === 'http:' && loopbackHosts.has(url.hostname);
  const allowed =
    !url.username &&
    !url.password &&
    (url.protocol === 'https:' || (loopback && deps.config.allowLoopbackPushEndpoints));
  if (!allowed)
    throw badRequest('validation_failed', 'The push endpoint must be an https URL.', {
      endpoint: 'push_endpoint_invalid',
    });
}

export function subscribePush(
  deps: DevicesDeps,
  user: SessionUser,
  input: PushSubscriptionRequest,
  userAgent: string | null,
): PushSubscribeResponse {
  assertPushEndpoint(deps, input.endpoint);
  const row = upsertPushSubscription(deps.db, {
    userId: user.id,
    endpoint: input.endpoint,
    p256dh: input.keys.p256dh,
    auth: input.keys.auth,
    userAgent: userAgent?.slice(0, 300) ?? null,
    createdAt: deps.now(),
  });
  return { subscription: { id: row.id, createdAt: row.createdAt.toISOString() } };
}

/** This browser unsubscribes: another user's endpoint answers like an unknown one (404). */
export function unsubscribePush(deps: DevicesDeps, user: SessionUser, endpoint: string): void {
  if (deletePushSubscriptionOfUserByEndpoint(deps.db, user.id, endpoint) === 0) throw notFound();
}

export function unsubscribeAllPush(deps: DevicesDeps, user: SessionUser): number {
  return deletePushSubscriptionsOfUser(deps.db, user.id);
}

/** "Send a test notification" (issue 6 item 7): to every device of the caller, push only. */
export function queueTestPush(deps: DevicesDeps, user: SessionUser): number {
  const devices = listPushSubscriptionsOfUser(deps.db, user.id).length;
  if (devices === 0) throw conflict('no_push_devices', 'No device is registered for notifications.');
  inTransaction(deps.db, (tx) =>
    queueNotification(tx, {
      userIds: [user.id],
      category: 'ticket_replies',
      urgency: 'emergency',
      only: ['push'],
      template: 'push_test',
      data: {},
      now: deps.now(),
    }),
  );
  return devices;
}
