/** The live contract (API.md "Live"): Socket.IO at /socket.io, authenticated by the session cookie. */

import type { JobDto } from './dispatch.ts';
import type { AppointmentDto } from './appointments.ts';
import type { RepairConfirmationDto } from './repair-confirmation.ts';
import type { StaffTicketDto, TicketDto, TicketMessageDto } from './tickets.ts';

/** Typing and presence: who, not the account details (id 0, never stored). */
export interface TicketSignalData {
  ticketId: string;
  userId: string;
  role: 'staff' | 'customer';
  at: string;
}

/**
 * Every server → client event type and what its `data` holds (STYLE.md 7): the server's projector
 * writes exactly these (server/events/projector.ts), the client reads them without casts.
 */
export interface LiveEventMap {
  'ticket.created': { ticket: TicketDto };
  /** Customers get the customer view; staff the staff view (assignee and team in addition). */
  'ticket.updated': { ticket: TicketDto | StaffTicketDto };
  'message.created': { message: TicketMessageDto };
  'notice.published': { noticeId: string; title: string };
  'notice.updated': { noticeId: string };
  'notice.deleted': { noticeId: string };
  'incident.published': { incidentId: string; status: string };
  'incident.updated': { incidentId: string; status: string };
  'document.published': { documentId: string; title: string };
  /** Staff only: a contractor's job of the ticket changed (repairs, issue 20); no link in it. */
  'job.updated': { ticketId: string; job: JobDto };
  /** A repair appointment was proposed, confirmed, asked to move or cancelled (issue 20). */
  'appointment.updated': { ticketId: string; appointment: AppointmentDto };
  /** The tenant is asked whether a finished repair is fixed, or answered it. */
  'repair_confirmation.updated': { ticketId: string; confirmation: RepairConfirmationDto };
  typing: TicketSignalData;
  presence: TicketSignalData;
  read: { ticketId: string; userId: string; messageId: string; readAt: string };
}
export type LiveEventType = keyof LiveEventMap;

const liveEventTypeSet: { [K in LiveEventType]: true } = {
  'ticket.created': true,
  'ticket.updated': true,
  'message.created': true,
  'notice.published': true,
  'notice.updated': true,
  'notice.deleted': true,
  'incident.published': true,
  'incident.updated': true,
  'document.published': true,
  'job.updated': true,
  'appointment.updated': true,
  'repair_confirmation.updated': true,
  typing: true,
  presence: true,
  read: true,
};
/** Every live event type at runtime; a type added to the map without a line here is a type error. */
export const liveEventTypes = Object.keys(liveEventTypeSet) as LiveEventType[];

/**
 * Every server → client event, a union discriminated by `type`. `id` increases strictly per server
 * and is never reused; ephemeral events (typing, presence) carry id 0 and are not replayed by resync.
 */
export type LiveEvent<T extends LiveEventType = LiveEventType> = {
  [K in T]: { id: number; type: K; data: LiveEventMap[K] };
}[T];

export type Ack<T> = (answer: T | { error: { code: string; message: string } }) => void;

export interface ServerToClientEvents {
  event: (event: LiveEvent) => void;
}

export interface ClientToServerEvents {
  resync: (request: { after: number }, ack: Ack<ResyncAnswer>) => void;
  'message.send': (
    request: { ticketId: string; body: string; clientId: string; attachmentIds?: string[] },
    ack: Ack<{ message: TicketMessageDto }>,
  ) => void;
  /** Acks are optional for the fire-and-forget events; given one, a refused ticketId answers `{ error }`. */
  typing: (request: { ticketId: string }, ack?: Ack<{ ok: true }>) => void;
  read: (request: { ticketId: string; messageId: string }, ack?: Ack<{ ok: true }>) => void;
  viewing: (request: { ticketId: string }, ack?: Ack<{ ok: true }>) => void;
}

/**
 * Every client → server event name at runtime (the authorization matrix and the fuzz tests walk
 * it). Written as a map over `keyof ClientToServerEvents`, so an event added to the interface
 * without a line here, or a line without an event, is a type error: the list cannot drift.
 */
const clientEvents: { [K in keyof ClientToServerEvents]: true } = {
  resync: true,
  'message.send': true,
  typing: true,
  read: true,
  viewing: true,
};
export const clientEventNames = Object.keys(clientEvents) as (keyof ClientToServerEvents)[];

/** `resync` answers at most this many events; `more: true` asks the client to resync again from `latest`. */
export const resyncPageSize = 500;

export interface ResyncAnswer {
  events: LiveEvent[];
  /** The id to resync from next (the last event scanned, or the newest id when complete). */
  latest: number;
  more: boolean;
}
