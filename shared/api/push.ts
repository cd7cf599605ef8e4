import { z } from 'zod';

/** `GET /api/push/public-key` → the VAPID application server key for `pushManager.subscribe()`. */
export interface PushPublicKeyResponse {
  /** URL-safe base64 of the uncompressed P-256 public key (RFC 8292). */
  publicKey: string;
}

/** base64url as browsers produce it in `PushSubscription.toJSON().keys` (padding tolerated). */
const base64url = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'push_key_invalid');

/** `POST /api/push/subscriptions`: `PushSubscription.toJSON()` of the browser (plus nothing else). */
export const pushSubscriptionRequest = z.object({
  endpoint: z.string().max(2048).pipe(z.url('push_endpoint_invalid')),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    // 65-byte uncompressed P-256 point and 16-byte auth secret (RFC 8291 §3), base64url encoded.
    p256dh: base64url(80, 100),
    auth: base64url(16, 32),
  }),
});
export type PushSubscriptionRequest = z.infer<typeof pushSubscriptionRequest>;

/** `POST /api/push/subscriptions` (201). */
export interface PushSubscribeResponse {
  subscription: { id: string; createdAt: string };
}

/** `DELETE /api/push/subscriptions` with a body: this device (204); without: every device (200). */
export const pushUnsubscribeRequest = z.object({
  endpoint: z.string().max(2048),
});
export type PushUnsubscribeRequest = z.infer<typeof pushUnsubscribeRequest>;

/** `POST /api/push/test` (202): how many devices the test push was queued for. */
export interface PushTestResponse {
  devices: number;
}

/**
 * The push payload: Declarative Web Push (W3C Push API "declarative push message", WebKit,
 * Safari 18.4+), shown by the browser without a service worker. Our service worker parses the
 * same JSON for every other browser. `navigate` is the deep link a click opens.
 */
export interface DeclarativePushMessage {
  /** Magic number identifying a declarative push message (RFC 8030). */
  web_push: 8030;
  notification: {
    title: string;
    body?: string;
    /** Absolute URL opened on click. */
    navigate: string;
    lang?: string;
    dir?: 'auto' | 'ltr' | 'rtl';
    /** Same tag replaces an earlier notification (a redelivered push shows once). */
    tag?: string;
    silent?: boolean;
    icon?: string;
    /** Lets the service worker adjust the notification before it shows (where one runs). */
    mutable?: boolean;
    data?: Record<string, unknown>;
  };
  /** Badging API count on the home-screen icon. */
  app_badge?: number;
}
