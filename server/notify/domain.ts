import {
  listUserIdsInPlaces,
  listUserIdsOfContracts,
  listUserIdsOfPersons,
  type NotificationRow,
  type PlaceFilter,
} from '../../db/repositories/notifications.ts';
import type { Tx } from '../../db/transaction.ts';
import { todayIn } from '../lib/dates.ts';
import { queueNotification } from './outbox.ts';
import { excerptOf } from './templates.ts';

/*
 * What the domain notifies about, each called INSIDE the transaction of the change (outbox).
 * Audiences are exactly who may read the thing over HTTP: a ticket's creator and the current
 * parties of its contract (tickets/visibility.ts), the people in a notice's or incident's scope.
 */

interface TicketRef {
  id: string;
  number: string;
  subject: string;
  contractId: string | null;
  createdByUserId: string;
}

/** Landlord-local date for contract validity; UTC only when a caller has no time zone at hand. */
const dayOf = (now: Date, timeZone?: string) =>
  timeZone ? todayIn(timeZone, now) : now.toISOString().slice(0, 10);

function ticketAudience(tx: Tx, ticket: TicketRef, today: string, exceptUserId: string | null): string[] {
  const ids = new Set([
    ticket.createdByUserId,
    ...(ticket.contractId ? listUserIdsOfContracts(tx, [ticket.contractId], today) : []),
  ]);
  if (exceptUserId) ids.delete(exceptUserId);
  return [...ids];
}

/** Issue 4 item 2 / seed 004: "Your request 2026-000123 was received", by mail to whoever filed it. */
export function notifyTicketReceived(tx: Tx, ticket: TicketRef, now: Date): NotificationRow[] {
  return queueNotification(tx, {
    userIds: [ticket.createdByUserId],
    category: 'ticket_replies',
    // A push to the phone that just filed it would only echo the screen.
    only: ['email'],
    template: 'ticket_received',
    data: { ticketId: ticket.id, number: ticket.number, subject: ticket.subject },
    now,
  });
}

/**
 * Seed 004: "mail on every staff reply with a deep link". Call only for PUBLIC staff messages:
 * an internal note never reaches a tenant by any channel.
 */
export function notifyTicketReply(
  tx: Tx,
  input: { ticket: TicketRef; body: string; authorUserId: string; now: Date; timeZone?: string },
): NotificationRow[] {
  const { ticket, now } = input;
  return queueNotification(tx, {
    userIds: ticketAudience(tx, ticket, dayOf(now, input.timeZone), input.authorUserId),
    category: 'ticket_replies',
    template: 'ticket_reply',
    data: { ticketId: ticket.id, number: ticket.number, excerpt: excerptOf(input.body) },
    now,
  });
}

/** Status tracking (seed 000, seed 003 "Meine Fälle"): everyone who sees the request, but the actor. */
export function notifyTicketStatus(
  tx: Tx,
  input: { ticket: TicketRef; status: string; actorUserId: string; now: Date; timeZone?: string },
): NotificationRow[] {
  const { ticket, now } = input;
  return queueNotification(tx, {
    userIds: ticketAudience(tx, ticket, dayOf(now, input.timeZone), input.actorUserId),
    category: 'ticket_replies',
    template: 'ticket_status',
    data: { ticketId: ticket.id, number: ticket.number, status: input.status },
    now,
  });
}

export interface DocumentRef {
  id: string;
  title: string;
  scope: 'person' | 'contract' | 'building' | 'estate';
  personId: string | null;
  contractId: string | null;
  buildingId: string | null;
  estateId: string | null;
  audience: 'all' | 'tenants' | 'owners';
}

/**
 * Seed 001 "E-Mail bei jedem neuen Dokument", seed 002 "Push oder E-Mail": for the staff
 * publishing flow (POST /staff/documents) to call in its transaction. Pass `now` = publishedAt
 * for scheduled documents only when they become visible.
 */
export function notifyDocumentPublished(
  tx: Tx,
  document: DocumentRef,
  now: Date,
  timeZone?: string,
): NotificationRow[] {
  const today = dayOf(now, timeZone);
  let userIds: string[];
  if (document.scope === 'person')
    userIds = listUserIdsOfPersons(tx, document.personId ? [document.personId] : []);
  else if (document.scope === 'contract')
    userIds = listUserIdsOfContracts(tx, document.contractId ? [document.contractId] : [], today);
  else
    userIds = listUserIdsInPlaces(
      tx,
      document.scope === 'building'
        ? { buildingIds: document.buildingId ? [document.buildingId] : [] }
        : { estateIds: document.estateId ? [document.estateId] : [] },
      today,
      document.audience,
    );
  return queueNotification(tx, {
    userIds,
    category: 'documents',
    template: 'document_published',
    data: { documentId: document.id, title: document.title },
    now,
  });
}

/** For POST /staff/notices: everyone living or owning in the notice's scope (seed 001 "schwarzes Brett"). */
export function notifyNotice(
  tx: Tx,
  input: {
    notice: { id: string; title: string; body: string; important: boolean };
    scope: PlaceFilter;
    now: Date;
    timeZone?: string;
  },
): NotificationRow[] {
  const { notice, now } = input;
  return queueNotification(tx, {
    userIds: listUserIdsInPlaces(tx, input.scope, dayOf(now, input.timeZone)),
    category: 'notices',
    // Important notices push every time; normal ones at most once an hour per user (DESIGN.md).
    urgency: notice.important ? 'high' : 'normal',
    template: 'notice_published',
    data: { noticeId: notice.id, title: notice.title, excerpt: excerptOf(notice.body) },
    now,
  });
}

/**
 * For POST /staff/incidents (seeds 002, 004: building outage push, water leak by SMS). An
 * emergency pushes and texts everyone in scope regardless of their choices.
 */
export function notifyIncident(
  tx: Tx,
  input: {
    incident: { id: string; title: string; body: string; kind: 'planned' | 'emergency' };
    scope: PlaceFilter;
    now: Date;
    timeZone?: string;
  },
): NotificationRow[] {
  const { incident, now } = input;
  const emergency = incident.kind === 'emergency';
  return queueNotification(tx, {
    userIds: listUserIdsInPlaces(tx, input.scope, dayOf(now, input.timeZone)),
    category: 'incidents',
    urgency: emergency ? 'emergency' : 'high',
    template: 'incident_published',
    data: { incidentId: incident.id, title: incident.title, excerpt: excerptOf(incident.body), emergency },
    now,
  });
}
