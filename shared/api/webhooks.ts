import { z } from 'zod';

/**
 * Webhooks out to the landlord's ERP (API.md "Integration"), signed per the Standard Webhooks
 * specification: headers `webhook-id`, `webhook-timestamp`, `webhook-signature`; body
 * `{ type, timestamp, data }`; at least once, a redelivery keeps its `webhook-id`.
 */
export const webhookEventTypes = [
  'ticket.created',
  'ticket.updated',
  'ticket.message.created',
  'person.contact.change_requested',
  'contract.change_requested',
  'registration.completed',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/**
 * An admin-set URL: http or https, no credentials in it. It may point into the landlord's own
 * network (the ERP lives there), so no public-address rule as for push endpoints.
 */
export const webhookUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((value) => {
    const url = new URL(value);
    return !url.username && !url.password && !url.hash;
  }, 'webhook_url_invalid');

export const createWebhookRequest = z.strictObject({
  url: webhookUrl,
  events: z
    .array(z.enum(webhookEventTypes))
    .min(1)
    .max(webhookEventTypes.length)
    .refine((events) => new Set(events).size === events.length, 'duplicate_event'),
  description: z.string().trim().max(200).optional(),
});
export type CreateWebhookRequest = z.infer<typeof createWebhookRequest>;

export interface WebhookDto {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  createdAt: string;
}

/** `secret` = `whsec_` + base64 key, shown when created and when rotated, never again. */
export interface CreatedWebhookDto {
  webhook: WebhookDto;
  secret: string;
}

export interface WebhooksDto {
  webhooks: WebhookDto[];
}

export const webhookDeliveryStates = ['pending', 'delivered', 'failed', 'dead'] as const;
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];

export interface WebhookDeliveryDto {
  /** The `webhook-id` header: the same on every redelivery of this message. */
  id: string;
  type: WebhookEventType;
  state: WebhookDeliveryState;
  attempts: number;
  createdAt: string;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  /** The HTTP status of the last attempt, or null when it never got an answer. */
  lastStatus: number | null;
  lastError: string | null;
}

export interface WebhookDeliveriesDto {
  deliveries: WebhookDeliveryDto[];
}
