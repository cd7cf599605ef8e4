import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
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
import { appBadgeOf } from '../badge.ts';
import {
  PushDestinationRefused,
  pushDestination,
  pushEndpointProblem,
  type HostResolver,
  type PushDestination,
  type ResolvedAddress,
} from '../push-endpoints.ts';
import { pushPayload } from '../push-payload.ts';
import { vapidKeysOf } from '../vapid.ts';

/** RFC 8030 §5.3 Urgency: incidents wake the device, the rest may wait for a good moment. */
function urgencyOf(row: ClaimedNotification): webpush.Urgency {
  if (row.category === 'incidents' || row.category === 'staff_alerts') return 'high';
  if (row.category === 'ticket_replies' || row.template === 'push_test') return 'normal';
  return 'low';
}

/** `refused`: the endpoint is no allowed push service or resolves to a non-public address. */
export type PushOutcome = 'delivered' | 'expired' | 'failed' | 'refused';

type Vapid = { subject: string; publicKey: string; privateKey: string };

/**
 * VAPID (RFC 8292 §2): one signed JWT per push service origin may be reused until it expires, so
 * it is signed once per origin and 12 hours instead of once per push (ES256 signing was the
 * single largest cost of a fan-out). Renewed an hour before it runs out.
 */
const vapidLifetimeSeconds = 12 * 3600;
const vapidHeaders = new Map<string, { authorization: string; renewAt: number }>();
function vapidAuthorization(endpoint: URL, vapid: Vapid, nowMs: number): string {
  const audience = endpoint.origin;
  const key = `${audience}|${vapid.publicKey}|${vapid.subject}`;
  const cached = vapidHeaders.get(key);
  if (cached && cached.renewAt > nowMs) return cached.authorization;
  const expiration = Math.floor(nowMs / 1000) + vapidLifetimeSeconds;
  const { Authorization } = webpush.getVapidHeaders(
    audience,
    vapid.subject,
    vapid.publicKey,
    vapid.privateKey,
    'aes128gcm',
    expiration,
  );
  vapidHeaders.set(key, {
    authorization: Authorization,
    renewAt: nowMs + (vapidLifetimeSeconds - 3600) * 1000,
  });
  return Authorization;
}

// Keep-alive connections to each push service: a fan-out of thousands reuses a few sockets.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * A `lookup` that answers with the address already checked (push-endpoints.ts), so the connection
 * goes exactly there. Node asks with `all: true` when it may try several addresses (autoSelectFamily).
 */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

function post(
  endpoint: URL,
  address: ResolvedAddress,
  headers: Record<string, string | number>,
  body: Buffer | null,
): Promise<number> {
  const secure = endpoint.protocol === 'https:';
  const send = secure ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      endpoint,
      {
        method: 'POST',
        headers,
        agent: secure ? agents.https : agents.http,
        timeout: 15_000,
        lookup: pinnedLookup(address),
      },
      (res) => {
        res.resume(); // the answer's body is not needed, only its status
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('push service timed out')));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

/**
 * One encrypted push (RFC 8291 aes128gcm, VAPID RFC 8292) to one device. web-push encrypts; the
 * VAPID header comes from the per-origin cache above; the request goes out over a keep-alive
 * agent (http is accepted only where the config allows loopback test endpoints), to the address
 * `destination` checked and pinned: a host that resolves to a non-public address is `refused`.
 * 404/410 mean the subscription is gone for good (RFC 8030 §7.3); everything else is retried.
 */
export async function deliverPush(
  subscription: Pick<PushSubscriptionRow, 'endpoint' | 'p256dh' | 'auth'>,
  payload: string,
  options: {
    vapid: Vapid;
    topic: string;
    urgency: webpush.Urgency;
    ttlSeconds: number;
    nowMs?: number;
    destination: PushDestination;
  },
): Promise<PushOutcome> {
  const details = webpush.generateRequestDetails(
    { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
    payload,
    {
      TTL: options.ttlSeconds,
      urgency: options.urgency,
      // Topic (RFC 8030 §5.4): a push still queued at the push service is replaced, not doubled.
      topic: options.topic,
    },
  );
  const endpoint = new URL(details.endpoint);
  let address: ResolvedAddress;
  try {
    address = await options.destination(endpoint.hostname);
  } catch (error) {
    if (error instanceof PushDestinationRefused) return 'refused';
    throw error;
  }
  const headers = {
    ...(details.headers as Record<string, string | number>),
    Authorization: vapidAuthorization(endpoint, options.vapid, options.nowMs ?? Date.now()),
  };
  const status = await post(endpoint, address, headers, details.body ?? null);
  if (status === 404 || status === 410) return 'expired';
  return status >= 200 && status < 300 ? 'delivered' : 'failed';
}

/**
 * A push row goes to every device of the user, with their app badge (one query, notify/badge.ts).
 * Expired devices are removed, and so are refused ones: an endpoint that is no allowed push service
 * (also one stored before the allow-list, or dropped from it since) or that resolves to a
 * non-public address never gets better by retrying. Any other failure makes the row retry
 * (devices that got it see the same tag again, which replaces, not doubles).
 */
export async function sendPush(
  deps: {
    db: Db;
    config: Pick<
      Config,
      'vapid' | 'dataDir' | 'publicUrl' | 'timeZone' | 'pushAllowedHosts' | 'allowLoopbackPushEndpoints'
    >;
    now: () => Date;
    resolveHost: HostResolver;
  },
  row: ClaimedNotification,
): Promise<void> {
  if (!row.userId) return;
  const devices = await listPushSubscriptionsOfUser(deps.db, row.userId);
  if (devices.length === 0) return;
  // Counted now, at send time, not when the row was queued: a retry hours later shows today's count.
  const badge = await appBadgeOf(deps, row.userId);
  const payload = JSON.stringify(pushPayload(row, deps.config.publicUrl, badge));
  const vapid = vapidKeysOf(deps.config);
  const options = {
    vapid,
    topic: row.id,
    urgency: urgencyOf(row),
    ttlSeconds: 24 * 3600,
    nowMs: deps.now().getTime(),
    destination: pushDestination(deps.resolveHost, deps.config.allowLoopbackPushEndpoints),
  };
  const outcomes = await Promise.all(
    devices.map((device): Promise<PushOutcome> =>
      pushEndpointProblem(deps.config, device.endpoint)
        ? Promise.resolve('refused')
        : deliverPush(device, payload, options).catch((error: unknown) => {
            void error;
            return 'failed' as const;
          }),
    ),
  );
  let failed = 0;
  for (const [index, outcome] of outcomes.entries()) {
    const device = devices[index]!;
    if (outcome === 'expired' || outcome === 'refused') await deletePushSubscription(deps.db, device.id);
    else if (outcome === 'delivered') await markPushSubscriptionSucceeded(deps.db, device.id, deps.now());
    else failed++;
  }
  if (failed > 0) throw new Error(`push failed on ${failed} of ${devices.length} devices`);
}
