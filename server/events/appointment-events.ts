import type { AppointmentRecord } from '../../db/repositories/appointments.ts';
import type { TicketWithEstate } from '../../db/repositories/tickets.ts';

/**
 * The steps of a repair appointment (issue 20), in the domain's words: part of DomainEvent
 * (domain-events.ts), projected by appointment-projection.ts into the live event, the tenant's
 * and staff's notifications.
 */
export type AppointmentEvent =
  | {
      type: 'appointment.proposed';
      ticket: TicketWithEstate;
      appointment: AppointmentRecord;
      at: Date;
    }
  | {
      type: 'appointment.confirmed';
      ticket: TicketWithEstate;
      appointment: AppointmentRecord;
      byUserId: string;
      at: Date;
    }
  | {
      type: 'appointment.move_requested';
      ticket: TicketWithEstate;
      appointment: AppointmentRecord;
      byUserId: string;
      at: Date;
    }
  | {
      type: 'appointment.cancelled';
      ticket: TicketWithEstate;
      appointment: AppointmentRecord;
      /** It had been confirmed: the tenant's calendar gets the cancellation. */
      wasConfirmed: boolean;
      at: Date;
    }
  /** The day before a confirmed appointment: the tenant is reminded once. */
  | {
      type: 'appointment.reminder.due';
      ticket: TicketWithEstate;
      appointment: AppointmentRecord;
      at: Date;
    };
