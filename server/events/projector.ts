import { appendEvent, type StoredEvent } from '../../db/repositories/events.ts';
import { listUserIdsOfPersons } from '../../db/repositories/notifications.ts';
import type { Document } from '../../db/repositories/documents.ts';
import type { TicketMessage } from '../../db/repositories/ticket-messages.ts';
import type { Ticket } from '../../db/repositories/tickets.ts';
import type { Tx } from '../../db/transaction.ts';
import type { LiveEventMap, LiveEventType } from '../../shared/api/live.ts';
import {
  notifyDocumentPublished,
  notifyEmergency,
  notifyIncident,
  notifyNotice,
  notifyTicketReceived,
  notifyTicketReply,
  notifyTicketStatus,
} from '../notify/domain.ts';
import { rooms } from '../realtime/rooms.ts';
import { loadBusinessHours } from '../services/sla.ts';
import {
  queueContractChangeWebhook,
  queueMessageWebhook,
  queueTicketWebhook,
} from '../services/integration/webhook-events.ts';
import { toMessageDto, toStaffTicketDto, toTicketDto } from '../services/tickets/dto.ts';
import { projectJobStep } from '../services/repairs/job-projection.ts';
import { projectRepairConfirmation } from '../services/repairs/closing-projection.ts';
import type { TicketPlacement } from './bus.ts';
import { projectAppointmentEvent } from './appointment-projection.ts';
import { projectAccountEvent } from './account-projection.ts';
import { appendAccessChange } from './access-changes.ts';
import { placeFilterOf, type AddressedPlace, type DomainEvent } from './domain-events.ts';

/**
 * The one mapping of domain events to what leaves the portal (STYLE.md 8 and 16): event-log rows
 * (the typed wire events of API.md "Live", rooms from realtime/rooms.ts), outbox rows
 * (server/notify) and webhook rows (docs/webhooks.md). It runs inside the unit of work's
 * transaction, just before COMMIT, so all of it is stored with the change or not at all; the
 * unit of work publishes the rows after COMMIT (DESIGN.md "Nothing is sent before it is stored").
 */
export interface Projection {
  /** The event-log rows written, in id order. */
  events: StoredEvent[];
  /** Where each ticket of these rows lies: the live layer picks staff audiences from it. */
  tickets: TicketPlacement[];
}

export interface ProjectorContext {
  /** The landlord's zone: notification dates are local. */
  timeZone: string;
}

export function placementOf(ticket: Ticket, estateId: string | null): TicketPlacement {
  return {
    ticketId: ticket.id,
    buildingId: ticket.buildingId,
    estateId,
    contractId: ticket.contractId,
    createdByUserId: ticket.createdByUserId,
  };
}

/** The typed append: a row's data is exactly the wire shape of its type (shared/api/live.ts). */
async function append<K extends LiveEventType>(
  tx: Tx,
  room: string,
  type: K,
  data: LiveEventMap[K],
): Promise<StoredEvent> {
  return await appendEvent(tx, room, type, data as unknown as Record<string, unknown>);
}

/** Internal notes and their read marks go to the staff room only (API.md: never to tenants). */
const roomOfMessage = (message: TicketMessage) =>
  message.visibility === 'internal' ? rooms.staffTicket(message.ticketId) : rooms.ticket(message.ticketId);

/** Customers sit in `building:`, `estate:` and `unit:` rooms (realtime/audience.ts). */
function roomsOfPlace(place: AddressedPlace): string[] {
  if (place.kind === 'estate') return [rooms.estate(place.estateId!)];
  if (place.kind === 'building') return [rooms.building(place.buildingId!)];
  return place.unitIds.map(rooms.unit);
}

/** A document's addressees: a person's users, a contract's household, a house, an estate. */
async function roomsOfDocument(tx: Tx, document: Document): Promise<string[]> {
  if (document.scope === 'person')
    return (await listUserIdsOfPersons(tx, [document.personId!])).map(rooms.user);
  if (document.scope === 'contract') return [rooms.contract(document.contractId!)];
  if (document.scope === 'building') return [rooms.building(document.buildingId!)];
  return [rooms.estate(document.estateId!)];
}

/**
 * Several `ticket.updated` of one ticket in one unit of work (a staff change of status and
 * assignee, a merge) are one change: only the last, which carries the latest state, is kept, at
 * its place in the order.
 */
export function coalesce(recorded: readonly DomainEvent[]): DomainEvent[] {
  const lastUpdate = new Map<string, number>();
  recorded.forEach((event, index) => {
    if (event.type === 'ticket.updated') lastUpdate.set(event.ticket.id, index);
  });
  return recorded.filter(
    (event, index) => event.type !== 'ticket.updated' || lastUpdate.get(event.ticket.id) === index,
  );
}

/** Writes the rows of the recorded events inside `tx` (the unit of work's transaction). */
export async function project(
  tx: Tx,
  recorded: readonly DomainEvent[],
  context: ProjectorContext,
): Promise<Projection> {
  const events: StoredEvent[] = [];
  const tickets = new Map<string, TicketPlacement>();
  const follow = (ticket: Ticket & { estateId: string | null }) =>
    tickets.set(ticket.id, placementOf(ticket, ticket.estateId));
  const { timeZone } = context;

  for (const event of coalesce(recorded)) {
    switch (event.type) {
      case 'ticket.created': {
        const { ticket } = event;
        follow(ticket);
        await notifyTicketReceived(tx, ticket, ticket.createdAt);
        await queueTicketWebhook(tx, 'ticket.created', ticket);
        // The ERP applies contract changes (issue 14 item 5): it hears of the request with its answers.
        if (event.requestedBy) await queueContractChangeWebhook(tx, ticket, event.requestedBy);
        // Once to the ticket's room; the live layer adds the creator's and household's sockets.
        events.push(
          await append(tx, rooms.ticket(ticket.id), 'ticket.created', { ticket: toTicketDto(ticket) }),
        );
        break;
      }
      case 'ticket.updated': {
        const { ticket } = event;
        follow(ticket);
        await queueTicketWebhook(tx, 'ticket.updated', ticket);
        // Customer view and staff view of the same change: each audience gets one event.
        events.push(
          await append(tx, rooms.ticket(ticket.id), 'ticket.updated', { ticket: toTicketDto(ticket) }),
          await append(tx, rooms.staffTicket(ticket.id), 'ticket.updated', {
            ticket: toStaffTicketDto(ticket),
          }),
        );
        break;
      }
      case 'ticket.emergency.raised':
        // Outbox rows in the change's transaction: the alert exists exactly when the change does.
        await notifyEmergency(tx, event.ticket, {
          now: event.at,
          timeZone,
          businessHours: await loadBusinessHours(tx),
        });
        break;
      case 'ticket.status.changed':
        await notifyTicketStatus(tx, {
          ticket: event.ticket,
          status: event.to,
          actorUserId: event.actorUserId,
          now: event.at,
          timeZone,
        });
        break;
      case 'ticket.message.added': {
        const { ticket, message, authorRole } = event;
        follow(ticket);
        // Public messages people wrote only; internal notes never leave the portal (webhook-events.ts).
        await queueMessageWebhook(tx, message, authorRole);
        // Seed 004: a mail (and push) on every public staff reply; never for internal notes.
        if (
          event.byStaff &&
          message.visibility === 'public' &&
          message.kind === 'message' &&
          message.authorUserId
        )
          await notifyTicketReply(tx, {
            ticket,
            body: message.body,
            authorUserId: message.authorUserId,
            now: message.createdAt,
            timeZone,
          });
        events.push(
          await append(tx, roomOfMessage(message), 'message.created', {
            message: toMessageDto(message, authorRole),
          }),
        );
        break;
      }
      case 'ticket.message.read': {
        follow(event.ticket);
        events.push(
          await append(tx, roomOfMessage(event.message), 'read', {
            ticketId: event.message.ticketId,
            userId: event.userId,
            messageId: event.message.id,
            readAt: event.at.toISOString(),
          }),
        );
        break;
      }
      case 'notice.published': {
        const { notice, place } = event;
        await notifyNotice(tx, {
          notice: { id: notice.id, title: notice.title, body: notice.body, important: notice.important },
          scope: placeFilterOf(place),
          now: event.at,
          timeZone,
        });
        for (const room of roomsOfPlace(place))
          events.push(
            await append(tx, room, 'notice.published', { noticeId: notice.id, title: notice.title }),
          );
        break;
      }
      case 'notice.updated':
      case 'notice.deleted':
        for (const room of roomsOfPlace(event.place))
          events.push(await append(tx, room, event.type, { noticeId: event.notice.id }));
        break;
      case 'incident.published':
      case 'incident.updated': {
        const { incident } = event;
        if (event.type === 'incident.published') {
          await notifyIncident(tx, {
            incident: { id: incident.id, title: incident.title, body: incident.body, kind: incident.kind },
            scope: placeFilterOf(event.place),
            now: event.at,
            timeZone,
          });
        }
        // Tenants' "requests" list reloads on these (client/tenant/state/incidents.svelte.ts).
        for (const room of roomsOfPlace(event.place))
          events.push(
            await append(tx, room, event.type, { incidentId: incident.id, status: incident.status }),
          );
        break;
      }
      case 'ticket.job.changed': {
        // Staff only: the job with staff's notes; the tenant reads the dialog's line instead.
        follow(event.ticket);
        await projectJobStep(tx, event);
        events.push(
          await append(tx, rooms.staffTicket(event.ticket.id), 'job.updated', {
            ticketId: event.ticket.id,
            job: event.job,
          }),
        );
        break;
      }
      case 'repair.confirmation.requested':
      case 'repair.confirmation.answered':
        follow(event.ticket);
        events.push(...(await projectRepairConfirmation(tx, event)));
        break;
      case 'document.published': {
        const { document } = event;
        await notifyDocumentPublished(tx, document, event.at, timeZone);
        for (const room of await roomsOfDocument(tx, document))
          events.push(
            await append(tx, room, 'document.published', { documentId: document.id, title: document.title }),
          );
        break;
      }
      case 'access.changed': {
        // The live layer's own row (rooms.access): never a socket's room, never in a resync.
        const row = await appendAccessChange(tx, event.userIds);
        if (row) events.push(row);
        break;
      }
      case 'appointment.proposed':
      case 'appointment.confirmed':
      case 'appointment.move_requested':
      case 'appointment.cancelled':
      case 'appointment.reminder.due':
        // Repair appointments (issue 20): appointment-projection.ts writes their rows.
        follow(event.ticket);
        events.push(...(await projectAppointmentEvent(tx, event, context)));
        break;
      case 'account.registered':
      case 'account.password_reset_requested':
      case 'account.password_changed':
      case 'account.email_change_requested':
      case 'account.email_changed':
      case 'account.signup_code_requested':
      case 'household.member_invited':
      case 'staff.account_created':
        // Account mails and codes: outbox rows only, never an event-log row (they carry secrets).
        await projectAccountEvent(tx, event);
        break;
    }
  }
  return { events, tickets: [...tickets.values()] };
}
