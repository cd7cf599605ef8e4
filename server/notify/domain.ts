import {
  listUserIdsInPlaces,
  listUserIdsOfContracts,
  listUserIdsOfPersons,
  type NotificationRow,
  type PlaceFilter,
} from '../../db/repositories/notifications.ts';
import type { DbOrTx, Tx } from '../../db/transaction.ts';
import { ownerPersonsOfOwnerships } from '../../db/repositories/owners.ts';
import { claimEmergencyAlert } from '../../db/repositories/on-call.ts';
import { findTicketPanel, type Ticket } from '../../db/repositories/tickets.ts';
import { alertAudience, type AlertContext } from '../services/emergencies.ts';
import { todayIn } from '../lib/dates.ts';
import { queueNotification, type NotificationAudience } from './outbox.ts';
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
  /** Per language (shared/ticket-subject.ts): each recipient reads the subject in their own. */
  subjects?: Record<string, string> | null;
  contractId: string | null;
  createdByUserId: string;
}

/** The subject in every language goes into the outbox row; the sender picks the recipient's. */
const subjectData = (ticket: TicketRef) => ({
  subject: ticket.subject,
  ...(ticket.subjects ? { subjects: ticket.subjects } : {}),
});

/** Landlord-local date for contract validity; UTC only when a caller has no time zone at hand. */
const dayOf = (now: Date, timeZone?: string) =>
  timeZone ? todayIn(timeZone, now) : now.toISOString().slice(0, 10);

async function ticketAudience(
  tx: Tx,
  ticket: TicketRef,
  today: string,
  exceptUserId: string | null,
): Promise<string[]> {
  const ids = new Set([
    ticket.createdByUserId,
    ...(ticket.contractId ? await listUserIdsOfContracts(tx, [ticket.contractId], today) : []),
  ]);
  if (exceptUserId) ids.delete(exceptUserId);
  return [...ids];
}

/** Issue 4 item 2 / seed 004: "Your request 2026-000123 was received", by mail to whoever filed it. */
export async function notifyTicketReceived(tx: Tx, ticket: TicketRef, now: Date): Promise<NotificationRow[]> {
  return await queueNotification(tx, {
    userIds: [ticket.createdByUserId],
    category: 'ticket_replies',
    // A push to the phone that just filed it would only echo the screen.
    only: ['email'],
    template: 'ticket_received',
    data: { ticketId: ticket.id, number: ticket.number, ...subjectData(ticket) },
    now,
  });
}

/**
 * Seed 004: "mail on every staff reply with a deep link". Call only for PUBLIC staff messages:
 * an internal note never reaches a tenant by any channel.
 */
export async function notifyTicketReply(
  tx: Tx,
  input: { ticket: TicketRef; body: string; authorUserId: string; now: Date; timeZone?: string },
): Promise<NotificationRow[]> {
  const { ticket, now } = input;
  return await queueNotification(tx, {
    userIds: await ticketAudience(tx, ticket, dayOf(now, input.timeZone), input.authorUserId),
    category: 'ticket_replies',
    template: 'ticket_reply',
    data: {
      ticketId: ticket.id,
      number: ticket.number,
      ...subjectData(ticket),
      excerpt: excerptOf(input.body),
    },
    now,
  });
}

/** Status tracking (seed 000, seed 003 "Meine Fälle"): everyone who sees the request, but the actor. */
export async function notifyTicketStatus(
  tx: Tx,
  input: { ticket: TicketRef; status: string; actorUserId: string; now: Date; timeZone?: string },
): Promise<NotificationRow[]> {
  const { ticket, now } = input;
  return await queueNotification(tx, {
    userIds: await ticketAudience(tx, ticket, dayOf(now, input.timeZone), input.actorUserId),
    category: 'ticket_replies',
    template: 'ticket_status',
    data: { ticketId: ticket.id, number: ticket.number, ...subjectData(ticket), status: input.status },
    now,
  });
}

export interface DocumentRef {
  id: string;
  title: string;
  scope: 'person' | 'contract' | 'building' | 'estate' | 'ownership';
  personId: string | null;
  contractId: string | null;
  buildingId: string | null;
  estateId: string | null;
  /** An ownership's own document (seed 003) goes to that unit's owner. */
  ownershipId?: string | null;
  audience: 'all' | 'tenants' | 'owners';
}

/**
 * Seed 001 "E-Mail bei jedem neuen Dokument", seed 002 "Push oder E-Mail": for the staff
 * publishing flow (POST /staff/documents) to call in its transaction. Pass `now` = publishedAt
 * for scheduled documents only when they become visible.
 */
export async function notifyDocumentPublished(
  tx: Tx,
  document: DocumentRef,
  now: Date,
  timeZone?: string,
): Promise<NotificationRow[]> {
  const today = dayOf(now, timeZone);
  let userIds: string[];
  if (document.scope === 'person')
    userIds = await listUserIdsOfPersons(tx, document.personId ? [document.personId] : []);
  else if (document.scope === 'ownership')
    userIds = await listUserIdsOfPersons(tx, [
      ...(await ownerPersonsOfOwnerships(tx, document.ownershipId ? [document.ownershipId] : [])).values(),
    ]);
  else if (document.scope === 'contract')
    userIds = await listUserIdsOfContracts(tx, document.contractId ? [document.contractId] : [], today);
  else
    userIds = await listUserIdsInPlaces(
      tx,
      document.scope === 'building'
        ? { buildingIds: document.buildingId ? [document.buildingId] : [] }
        : { estateIds: document.estateId ? [document.estateId] : [] },
      today,
      document.audience,
    );
  return await queueNotification(tx, {
    userIds,
    category: 'documents',
    template: 'document_published',
    data: { documentId: document.id, title: document.title },
    now,
  });
}

interface BroadcastPlace {
  scope: PlaceFilter;
  now: Date;
  timeZone?: string;
}

/**
 * Who a notice reaches: everyone living or owning in its scope (seed 001 "schwarzes Brett").
 * Important notices push every time; normal ones at most once an hour per user (DESIGN.md).
 */
export async function noticeAudience(
  db: DbOrTx,
  input: BroadcastPlace & { important: boolean },
): Promise<NotificationAudience> {
  return {
    userIds: await listUserIdsInPlaces(db, input.scope, dayOf(input.now, input.timeZone)),
    category: 'notices',
    urgency: input.important ? 'high' : 'normal',
    now: input.now,
  };
}

/** For POST /staff/notices, inside its transaction. */
export async function notifyNotice(
  tx: Tx,
  input: BroadcastPlace & { notice: { id: string; title: string; body: string; important: boolean } },
): Promise<NotificationRow[]> {
  const { notice } = input;
  return await queueNotification(tx, {
    ...(await noticeAudience(tx, { ...input, important: notice.important })),
    template: 'notice_published',
    data: { noticeId: notice.id, title: notice.title, excerpt: excerptOf(notice.body) },
  });
}

/**
 * Who an incident reaches (seeds 002, 004: building outage push, water leak by SMS): everyone in
 * scope; an emergency pushes and texts them regardless of their choices.
 */
export async function incidentAudience(
  db: DbOrTx,
  input: BroadcastPlace & { kind: 'planned' | 'emergency' },
): Promise<NotificationAudience> {
  return {
    userIds: await listUserIdsInPlaces(db, input.scope, dayOf(input.now, input.timeZone)),
    category: 'incidents',
    urgency: input.kind === 'emergency' ? 'emergency' : 'high',
    now: input.now,
  };
}

/** For POST /staff/incidents, inside its transaction. */
export async function notifyIncident(
  tx: Tx,
  input: BroadcastPlace & {
    incident: { id: string; title: string; body: string; kind: 'planned' | 'emergency' };
  },
): Promise<NotificationRow[]> {
  const { incident } = input;
  return await queueNotification(tx, {
    ...(await incidentAudience(tx, { ...input, kind: incident.kind })),
    template: 'incident_published',
    data: {
      incidentId: incident.id,
      title: incident.title,
      excerpt: excerptOf(incident.body),
      emergency: incident.kind === 'emergency',
    },
  });
}

/**
 * Issue 15 item 6: the one alert of an emergency ticket to its team or who is on call
 * (services/emergencies.ts decides whom); nothing when it alerted before or has no team.
 */
export async function notifyEmergency(
  tx: Tx,
  ticket: Ticket,
  context: AlertContext,
): Promise<NotificationRow[]> {
  if (!ticket.teamId) return [];
  const { audience, userIds } = await alertAudience(tx, ticket.teamId, context);
  const claimed = await claimEmergencyAlert(tx, {
    ticketId: ticket.id,
    teamId: ticket.teamId,
    audience,
    recipientCount: userIds.length,
    createdAt: context.now,
  });
  if (!claimed) return [];
  const panel = await findTicketPanel(tx, ticket.id);
  const person = panel?.person;
  const building = panel?.building?.street
    ? `${panel.building.street} ${panel.building.houseNumber}, ${panel.building.postalCode} ${panel.building.city}`
    : '';
  const tenantName = person
    ? [person.firstName, person.lastName].filter(Boolean).join(' ') || person.organisationName || ''
    : '';
  return await queueNotification(tx, {
    userIds,
    category: 'staff_alerts',
    // Push and SMS regardless of the recipients' stored choices (recipients.ts channelsFor).
    urgency: 'emergency',
    template: 'emergency_alert',
    data: {
      ticketId: ticket.id,
      number: ticket.number,
      building,
      unit: panel?.unit?.number ?? '',
      phone: person?.mobile ?? person?.phone ?? '',
      tenantName,
    },
    now: context.now,
  });
}
