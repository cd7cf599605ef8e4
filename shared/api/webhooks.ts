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
  'ticket.dispatched',
  'ticket.repair_completed',
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
    // zod runs refinements after a failed format check too: an unparsable value is already an
    // issue there and must not throw here (that was a 500).
    if (!URL.canParse(value)) return true;
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

/*
 * What the ERP receives (docs/webhooks.md). The body of every delivery is
 * `{ type, timestamp, data }`; the shapes of `data` below are stable: fields are only ever added.
 * Keys are the portal's ids plus the ERP's own `externalId`s where the record came from the ERP;
 * no names, addresses or contact data (the ERP has them under those keys).
 */
export interface WebhookTicketData {
  id: string;
  /** The number tenants see, e.g. "2026-000123". */
  number: string;
  /** The ticket type, e.g. `damage_report`. */
  type: string;
  status: 'new' | 'in_progress' | 'waiting_tenant' | 'resolved' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  subject: string;
  contract: { id: string; number: string; externalId: string | null } | null;
  unit: { id: string; externalId: string | null } | null;
  building: { id: string; externalId: string | null } | null;
  /** The person who filed it, by the ERP's key (null when that person did not come from the ERP). */
  reporter: { externalId: string | null };
  createdAt: string;
  updatedAt: string;
}

export interface WebhookMessageData {
  id: string;
  ticketId: string;
  ticketNumber: string;
  /** `tenant`: any customer of the portal (tenant, household member, owner); `staff`: the landlord's staff. */
  authorRole: 'tenant' | 'staff';
  body: string;
  createdAt: string;
}

/** A person by the portal's id and, where the record came from the ERP, the ERP's keys. */
export interface WebhookPersonRef {
  id: string;
  externalId: string | null;
  customerNumber: string | null;
}

/**
 * A tenant changed contact data in the portal. The ERP is the leading system: it applies the change
 * (or not), and its next load is what the portal shows then.
 */
export interface WebhookContactChangeData {
  person: WebhookPersonRef;
  /** Only the fields that changed; null = removed. */
  changes: { email?: string | null; phone?: string | null; mobile?: string | null };
  requestedAt: string;
}

/** A tenant asked for a contract change (bank details, moving out, …) with the form's answers. */
export interface WebhookContractChangeData {
  ticket: WebhookTicketData;
  /** The answers of the request form as the tenant gave them (e.g. `contract_change_kind`, `iban`). */
  fields: Record<string, unknown>;
  requestedBy: WebhookPersonRef;
}

/** A tenant or household member confirmed their login: from now on they use the portal. */
export interface WebhookRegistrationData {
  person: WebhookPersonRef;
  registeredAt: string;
}

/** A contractor's job (issue 20): dispatched to them, or reported done by them. */
export interface WebhookJobData {
  ticket: WebhookTicketData;
  contractor: { id: string; externalId: string | null; name: string };
  /** `note`: staff's note to the contractor (dispatched) or the contractor's report (completed). */
  job: { id: string; note: string | null; at: string };
}

export interface WebhookDataByType {
  'ticket.created': { ticket: WebhookTicketData };
  'ticket.updated': { ticket: WebhookTicketData };
  'ticket.message.created': { message: WebhookMessageData };
  'person.contact.change_requested': WebhookContactChangeData;
  'contract.change_requested': WebhookContractChangeData;
  'registration.completed': WebhookRegistrationData;
  'ticket.dispatched': WebhookJobData;
  'ticket.repair_completed': WebhookJobData;
}

/** The signed body (Standard Webhooks): `timestamp` is when the event happened (ISO 8601). */
export interface WebhookPayload<T extends keyof WebhookDataByType = keyof WebhookDataByType> {
  type: T;
  timestamp: string;
  data: WebhookDataByType[T];
}
