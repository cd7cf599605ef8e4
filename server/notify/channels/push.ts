import webpush from 'web-push';
import type { Config } from '../../config.ts';
import type { Db } from '../../../db/client.ts';
import type { ClaimedNotification } from '../../../db/repositories/notifications.ts';
import {
  deletePushSubscription,
  listPushSubscriptionsOfUser,
  markPushSubscriptionSucceeded,
  type PushSubscriptionRow,
} from '../../../db/repositories/push-subscriptions.ts';
import { pushPayload } from '../push-payload.ts';
import { vapidKeysOf } from '../vapid.ts';

/** RFC 8030 §5.3 Urgency: incidents wake the device, the rest may wait for a good moment. */
function urgencyOf(row: ClaimedNotification): webpush.Urgency {
  if (row.category === 'incidents') return 'high';
  if (row.category === 'ticket_replies' || row.template === 'push_test') return 'normal';
  return 'low';
}

export type PushOutcome = 'delivered' | 'expired' | 'failed';

/**
 * One encrypted push (RFC 8291 aes128gcm, VAPID RFC 8292) to one device. web-push encrypts and
 * signs; the request goes out through fetch, which also reaches an http push service in tests.
 * 404/410 mean the subscription is gone for good (RFC 8030 §7.3); everything else is retried.
 */
export async function deliverPush(
  subscription: Pick<PushSubscriptionRow, 'endpoint' | 'p256dh' | 'auth'>,
  payload: string,
  options: {
    vapid: { subject: string; publicKey: string; privateKey: string };
    topic: string;
    urgency: webpush.Urgency;
    ttlSeconds: number;
  },
): Promise<PushOutcome> {
  const details = webpush.generateRequestDetails(
    { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
    payload,
    {
      vapidDetails: options.vapid,
      TTL: options.ttlSeconds,
      urgency: options.urgency,
      // Topic (RFC 8030 §5.4): a push still queued at the push service is replaced, not doubled.
      topic: options.topic,
    },
  );
  const res = await fetch(details.endpoint, {
    method: details.method,
    headers: details.headers as Record<string, string>,
    body: details.body ? new Uint8Array(details.body) : null,
    signal: AbortSignal.timeout(15_000),
  });
  await res.body?.cancel();
  if (res.status === 404 || res.status === 410) return 'expired';
  return res.ok ? 'delivered' : 'failed';
}

/**
 * A push row goes to every device of the user. Expired devices are removed; any other failure
 * makes the row retry (devices that got it see the same tag again, which replaces, not doubles).
 */
export async function sendPush(
  deps: { db: Db; config: Pick<Config, 'vapid' | 'dataDir' | 'publicUrl'>; now: () => Date },
  row: ClaimedNotification,
): Promise<void> {
  if (!row.userId) return;
  const devices = listPushSubscriptionsOfUser(deps.db, row.userId);
  if (devices.length === 0) return;
  const payload = JSON.stringify(pushPayload(row, deps.config.publicUrl));
  const vapid = vapidKeysOf(deps.config);
  const options = { vapid, topic: row.id, urgency: urgencyOf(row), ttlSeconds: 24 * 3600 };
  const outcomes = await Promise.all(
    devices.map((device) =>
      deliverPush(device, payload, options).catch((error: unknown) => {
        void error;
        return 'failed' as const;
      }),
    ),
  );
  let failed = 0;
  outcomes.forEach((outcome, index) => {
    const device = devices[index]!;
    if (outcome === 'expired') deletePushSubscription(deps.db, device.id);
    else if (outcome === 'delivered') markPushSubscriptionSucceeded(deps.db, device.id, deps.now());
    else failed++;
  });
  if (failed > 0) throw new Error(`push failed on ${failed} of ${devices.length} devices`);
}
