import { newId } from '../../../db/ids.ts';
import type { Ticket } from '../../../db/repositories/tickets.ts';
import type { TicketMessage } from '../../../db/repositories/ticket-messages.ts';
import {
  findTicketNumber,
  findTicketReferences,
  insertWebhookDeliveries,
  listWebhookSubscriptions,
} from '../../../db/repositories/webhooks.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type {
  WebhookContactChangeData,
  WebhookPersonRef,
  WebhookDataByType,
  WebhookMessageData,
  WebhookPayload,
  WebhookTicketData,
} from '../../../shared/api/webhooks.ts';

/*
 * The queue side of webhooks out (API.md "Integration"). Runs INSIDE the business transaction, as
 * the notification outbox does: the delivery rows commit or roll back with the change they
 * report, so the ERP never hears of a ticket that was not stored, and hears of every one that was.
 */

const wakeListeners = new Set<() => void>();
let wakeScheduled = false;

/** Workers of this process hear after the queuing transaction committed (see notify/outbox.ts). */
export function wakeWebhookWorkers(): void {
  if (wakeScheduled || wakeListeners.size === 0) return;
  wakeScheduled = true;
  setImmediate(() => {
    wakeScheduled = false;
    for (const listener of wakeListeners) listener();
  });
}

export function onWebhooksQueued(listener: () => void): () => void {
  wakeListeners.add(listener);
  return () => wakeListeners.delete(listener);
}

/** `msg_…`: the `webhook-id` header, the receiver's key for deduplication. */
const newMessageId = () => `msg_${newId()}`;

/**
 * One delivery row per active webhook subscribed to `type`, with the exact body it will send.
 * `data` is only built when somebody listens: on a portal without webhooks a ticket change costs
 * one prepared read of an empty table.
 */
export async function queueWebhooks<T extends keyof WebhookDataByType>(
  tx: DbOrTx,
  type: T,
  at: Date,
  data: () => WebhookDataByType[T] | Promise<WebhookDataByType[T]>,
): Promise<number> {
  const targets = (await listWebhookSubscriptions(tx)).filter((hook) => hook.events.includes(type));
  if (targets.length === 0) return 0;
  const body: WebhookPayload<T> = { type, timestamp: at.toISOString(), data: await data() };
  const payload = JSON.stringify(body);
  await insertWebhookDeliveries(
    tx,
    targets.map((hook) => ({
      id: newMessageId(),
      webhookId: hook.id,
      type,
      payload,
      state: 'pending' as const,
      nextAttemptAt: at,
      createdAt: at,
    })),
  );
  wakeWebhookWorkers();
  return targets.length;
}

/** The ticket as the ERP sees it: the portal's ids and the ERP's keys, no personal data. */
export async function webhookTicketData(tx: DbOrTx, ticket: Ticket): Promise<WebhookTicketData> {
  const refs = await findTicketReferences(tx, ticket.id);
  return {
    id: ticket.id,
    number: ticket.number,
    type: ticket.typeId,
    status: ticket.status,
    priority: ticket.priority,
    subject: ticket.subject,
    contract:
      ticket.contractId && refs?.contractNumber
        ? { id: ticket.contractId, number: refs.contractNumber, externalId: refs.contractExternalId }
        : null,
    unit: ticket.unitId ? { id: ticket.unitId, externalId: refs?.unitExternalId ?? null } : null,
    building: ticket.buildingId
      ? { id: ticket.buildingId, externalId: refs?.buildingExternalId ?? null }
      : null,
    reporter: { externalId: refs?.reporterExternalId ?? null },
    createdAt: ticket.createdAt.toISOString(),
    updatedAt: (ticket.updatedAt ?? ticket.createdAt).toISOString(),
  };
}

export async function queueTicketWebhook(
  tx: DbOrTx,
  type: 'ticket.created' | 'ticket.updated',
  ticket: Ticket,
): Promise<void> {
  const at = type === 'ticket.created' ? ticket.createdAt : (ticket.updatedAt ?? ticket.createdAt);
  await queueWebhooks(tx, type, at, async () => ({ ticket: await webhookTicketData(tx, ticket) }));
}

/**
 * Only what people wrote and the tenant can see: internal notes NEVER leave the portal, and
 * status lines and system lines are carried by `ticket.updated` instead.
 */
export async function queueMessageWebhook(
  tx: DbOrTx,
  message: TicketMessage,
  authorRole: 'customer' | 'staff' | 'admin' | null,
): Promise<void> {
  if (message.visibility !== 'public' || message.kind !== 'message' || !authorRole) return;
  await queueWebhooks(tx, 'ticket.message.created', message.createdAt, async () => {
    const data: WebhookMessageData = {
      id: message.id,
      ticketId: message.ticketId,
      ticketNumber: (await findTicketNumber(tx, message.ticketId)) ?? '',
      authorRole: authorRole === 'customer' ? 'tenant' : 'staff',
      body: message.body,
      createdAt: message.createdAt.toISOString(),
    };
    return { message: data };
  });
}

interface PersonKeys {
  id: string;
  externalId: string | null;
  customerNumber: string | null;
}

const personRef = (person: PersonKeys): WebhookPersonRef => ({
  id: person.id,
  externalId: person.externalId,
  customerNumber: person.customerNumber,
});

/**
 * Issue 14 item 5: the ERP masters contact data. What a tenant changes in the portal goes to the
 * ERP as a request to apply, in the same transaction as the change the tenant sees.
 */
export async function queueContactChangeWebhook(
  tx: DbOrTx,
  person: PersonKeys,
  changes: WebhookContactChangeData['changes'],
  at: Date,
): Promise<void> {
  await queueWebhooks(tx, 'person.contact.change_requested', at, () => ({
    person: personRef(person),
    changes,
    requestedAt: at.toISOString(),
  }));
}

/** A contract change request (bank details, notice, …): the ERP applies it, the portal does not. */
export async function queueContractChangeWebhook(
  tx: DbOrTx,
  ticket: Ticket,
  requestedBy: PersonKeys,
): Promise<void> {
  if (ticket.typeId !== 'contract_change') return;
  await queueWebhooks(tx, 'contract.change_requested', ticket.createdAt, async () => ({
    ticket: await webhookTicketData(tx, ticket),
    fields: ticket.fields,
    requestedBy: personRef(requestedBy),
  }));
}

export async function queueRegistrationWebhook(tx: DbOrTx, person: PersonKeys, at: Date): Promise<void> {
  await queueWebhooks(tx, 'registration.completed', at, () => ({
    person: personRef(person),
    registeredAt: at.toISOString(),
  }));
}
