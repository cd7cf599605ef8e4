import type { Document } from '../../db/repositories/documents.ts';
import type { Incident } from '../../db/repositories/incidents.ts';
import type { Notice } from '../../db/repositories/notices.ts';
import type { TicketMessage } from '../../db/repositories/ticket-messages.ts';
import type { TicketStatus, TicketWithEstate } from '../../db/repositories/tickets.ts';
import type { PlaceFilter } from '../../db/repositories/notifications.ts';
import type { AppointmentEvent } from './appointment-events.ts';
import type { AccountEvent } from './account-events.ts';
import type { JobDto } from '../../shared/api/dispatch.ts';
import type { RepairConfirmationWithContractor } from '../../db/repositories/repair-confirmations.ts';

/** A place a notice or incident addresses: an estate, a building, or units of one building. */
export interface AddressedPlace {
  kind: 'estate' | 'building' | 'units';
  estateId: string | null;
  buildingId: string | null;
  unitIds: string[];
}

/** A person as the ERP knows them (webhooks name people by these keys). */
export interface PersonKeys {
  id: string;
  externalId: string | null;
  customerNumber: string | null;
}

/**
 * A step of a contractor's job (issue 20, services/repairs/jobs.ts): dispatched, accepted,
 * declined, done, withdrawn. The tenant hears of it by a line in the dialog (its own event); this
 * one goes live to staff, mails the link on a dispatch and tells the ERP.
 */
export interface JobStepEvent {
  type: 'ticket.job.changed';
  ticket: TicketWithEstate;
  step: 'dispatched' | 'accepted' | 'declined' | 'done' | 'withdrawn';
  /** Staff's view of the job after the step, without its link. */
  job: JobDto;
  contractor: {
    id: string;
    name: string;
    externalId: string | null;
    email: string | null;
    language: 'de' | 'en' | 'sv';
  };
  /** Staff's note (dispatch), the reason (declined), the contractor's report (done). */
  note: string | null;
  at: Date;
  /** A dispatch's mail to the contractor with the link. */
  mail?: { address: string; language: 'de' | 'en' | 'sv'; url: string; expiresAt: Date };
}

/**
 * Closing a repair (services/repairs/closing.ts): the contractor reported done and the tenant who
 * filed the ticket is asked whether it is fixed; then the household's answer.
 */
export interface RepairConfirmationEvent {
  type: 'repair.confirmation.requested' | 'repair.confirmation.answered';
  ticket: TicketWithEstate;
  confirmation: RepairConfirmationWithContractor;
  at: Date;
}

/**
 * What happened, in the domain's words (STYLE.md 8). Services record these in their unit of work
 * (server/unit-of-work); the projector (projector.ts) alone turns them into event-log rows, outbox
 * rows and webhook rows. None of them names a room, a wire shape or a channel.
 */
export type DomainEvent =
  | {
      type: 'ticket.created';
      ticket: TicketWithEstate;
      /** A contract change request: the ERP applies it and hears who asked. */
      requestedBy?: PersonKeys;
    }
  /** The ticket's state after a change; several of one ticket in one unit of work become one. */
  | { type: 'ticket.updated'; ticket: TicketWithEstate }
  /**
   * Filed as an emergency or raised to urgent: its team (or who is on call) is alerted, once per
   * ticket however often it is raised again.
   */
  | { type: 'ticket.emergency.raised'; ticket: TicketWithEstate; at: Date }
  | {
      type: 'ticket.status.changed';
      ticket: TicketWithEstate;
      to: TicketStatus;
      actorUserId: string;
      at: Date;
    }
  | {
      type: 'ticket.message.added';
      ticket: TicketWithEstate;
      message: TicketMessage;
      /** The author's account role; null for the portal's own lines (status, merge). */
      authorRole: 'customer' | 'staff' | 'admin' | null;
      /** Written by the landlord's people (a public staff reply notifies the tenant). */
      byStaff: boolean;
    }
  | {
      type: 'ticket.message.read';
      ticket: TicketWithEstate;
      message: TicketMessage;
      userId: string;
      at: Date;
    }
  | { type: 'notice.published'; notice: Notice; place: AddressedPlace; at: Date }
  | { type: 'notice.updated' | 'notice.deleted'; notice: Notice; place: AddressedPlace }
  | { type: 'incident.published'; incident: Incident; place: AddressedPlace; at: Date }
  | { type: 'incident.updated'; incident: Incident; place: AddressedPlace }
  | { type: 'document.published'; document: Document; at: Date }
  /**
   * What these users may see changed (a household membership ended, a team's members or scopes,
   * an account's teams or role, an ERP load): their open sockets leave the rooms they lost and join
   * the ones they gained, on every instance, before any event committed after the change reaches
   * them (server/realtime: the change is a row of the log, read in id order like the others).
   */
  | { type: 'access.changed'; userIds: string[] }
  | JobStepEvent
  | RepairConfirmationEvent
  | AppointmentEvent
  | AccountEvent;

export type DomainEventType = DomainEvent['type'];

/** The notification selection of an addressed place (db/repositories/notifications.ts). */
export function placeFilterOf(place: AddressedPlace): PlaceFilter {
  if (place.kind === 'estate') return { estateIds: [place.estateId!] };
  if (place.kind === 'building') return { buildingIds: [place.buildingId!] };
  return { unitIds: place.unitIds };
}
