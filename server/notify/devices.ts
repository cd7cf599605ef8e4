import { timingSafeEqual } from 'node:crypto';
import {
  deletePushSubscriptionOfUserByEndpoint,
  findPushSubscriptionByEndpoint,
  listPushSubscriptionsOfUser,
  deletePushSubscriptionsOfUser,
  upsertPushSubscription,
} from '../../db/repositories/push-subscriptions.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { badRequest, conflict, notFound } from '../lib/http-error.ts';
import type { PushSubscribeResponse, PushSubscriptionRequest } from '../../shared/api/push.ts';
import { queueNotification } from './outbox.ts';
import { pushEndpointProblem } from './push-endpoints.ts';
import { unitOfWork } from '../unit-of-work/index.ts';
import { vapidKeysOf } from './vapid.ts';

/*
 * Push devices of the signed-in user (issue 6 item 7; seed 002 "Push oder E-Mail"). Staff may
 * register devices too; only own devices can ever be removed.
 */

type DevicesDeps = Pick<Deps, 'db' | 'config' | 'now'>;

export function pushPublicKey(deps: Pick<Deps, 'config'>): string {
  return vapidKeysOf(deps.config).publicKey;
}

/**
 * The server POSTs to this URL, so it must be a browser push service (issue 13 finding 4): https
 * without credentials on a host of PUSH_ALLOWED_HOSTS (push-endpoints.ts). No DNS look-up here;
 * the address is checked when a push is sent.
 */
function assertPushEndpoint(deps: Pick<Deps, 'config'>, endpoint: string): void {
  const problem = pushEndpointProblem(deps.config, endpoint);
  if (problem === 'push_endpoint_invalid')
    throw badRequest('validation_failed', 'The push endpoint must be an https URL.', { endpoint: problem });
  if (problem)
    throw badRequest('validation_failed', 'The push endpoint is not a known browser push service.', {
      endpoint: problem,
    });
}

/** The same base64url key, padded or not; compared in constant time (the auth secret is one). */
function sameKey(stored: string, presented: string): boolean {
  const a = Buffer.from(stored, 'base64url');
  const b = Buffer.from(presented, 'base64url');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Registers this browser's subscription. An endpoint already registered to another account moves
 * only when the caller presents the same keys (issue 13 finding 10): the browser that owns the
 * subscription has them (a shared phone re-subscribing after another person signs in), someone
 * who merely learnt the endpoint URL has not, and gets a 409 instead of the other person's pushes.
 */
export async function subscribePush(
  deps: Deps,
  user: SessionUser,
  input: PushSubscriptionRequest,
  userAgent: string | null,
): Promise<PushSubscribeResponse> {
  assertPushEndpoint(deps, input.endpoint);
  const row = await unitOfWork(deps, async ({ tx }) => {
    const existing = await findPushSubscriptionByEndpoint(tx, input.endpoint);
    if (
      existing &&
      existing.userId !== user.id &&
      !(sameKey(existing.p256dh, input.keys.p256dh) && sameKey(existing.auth, input.keys.auth))
    )
      throw conflict('push_endpoint_taken', 'This push endpoint is registered to another account.');
    return await upsertPushSubscription(tx, {
      userId: user.id,
      endpoint: input.endpoint,
      p256dh: input.keys.p256dh,
      auth: input.keys.auth,
      userAgent: userAgent?.slice(0, 300) ?? null,
      createdAt: deps.now(),
    });
  });
  return { subscription: { id: row.id, createdAt: row.createdAt.toISOString() } };
}

/** This browser unsubscribes: another user's endpoint answers like an unknown one (404). */
export async function unsubscribePush(deps: DevicesDeps, user: SessionUser, endpoint: string): Promise<void> {
  if ((await deletePushSubscriptionOfUserByEndpoint(deps.db, user.id, endpoint)) === 0) throw notFound();
}

export async function unsubscribeAllPush(deps: DevicesDeps, user: SessionUser): Promise<number> {
  return await deletePushSubscriptionsOfUser(deps.db, user.id);
}

/** "Send a test notification" (issue 6 item 7): to every device of the caller, push only. */
export async function queueTestPush(deps: Deps, user: SessionUser): Promise<number> {
  const devices = (await listPushSubscriptionsOfUser(deps.db, user.id)).length;
  if (devices === 0) throw conflict('no_push_devices', 'No device is registered for notifications.');
  await unitOfWork(
    deps,
    async ({ tx }) =>
      await queueNotification(tx, {
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
