import { appendEvent, type StoredEvent } from '../../db/repositories/events.ts';
import { listUserIdsOfContracts } from '../../db/repositories/notifications.ts';
import type { TicketWithEstate } from '../../db/repositories/tickets.ts';
import type { Tx } from '../../db/transaction.ts';
import type { LiveEventMap } from '../../shared/api/live.ts';
import { todayIn } from '../lib/dates.ts';
import { queueNotification } from '../notify/outbox.ts';
import { rooms } from '../realtime/rooms.ts';
import { calendarDataOf, toAppointmentDto } from '../services/repairs/appointments.ts';
import type { AppointmentEvent } from './appointment-events.ts';

/*
 * The rows of an appointment's steps (called by projector.ts, inside the unit of work): one live
 * event to the ticket's room (its household and the staff in scope), and the notifications of
 * the other side. The status line of the dialog is a message the service wrote with the change.
 */

/** Who the tenant side is: the one who filed the ticket and the current parties of its contract. */
async function tenantsOf(tx: Tx, ticket: TicketWithEstate, now: Date, timeZone: string): Promise<string[]> {
  return [
    ...new Set([
      ticket.createdByUserId,
      ...(ticket.contractId
        ? await listUserIdsOfContracts(tx, [ticket.contractId], todayIn(timeZone, now))
        : []),
    ]),
  ];
}

const ticketData = (ticket: TicketWithEstate) => ({
  ticketId: ticket.id,
  number: ticket.number,
  subject: ticket.subject,
  ...(ticket.subjects ? { subjects: ticket.subjects } : {}),
});

export async function projectAppointmentEvent(
  tx: Tx,
  event: AppointmentEvent,
  context: { timeZone: string },
): Promise<StoredEvent[]> {
  const { ticket, appointment, at } = event;
  const { timeZone } = context;
  const slotsOf = () =>
    appointment.slots.map((slot) => ({ start: slot.startAt.toISOString(), end: slot.endAt.toISOString() }));
  switch (event.type) {
    case 'appointment.proposed':
      await queueNotification(tx, {
        userIds: await tenantsOf(tx, ticket, at, timeZone),
        category: 'ticket_replies',
        template: 'appointment_proposed',
        data: {
          ...ticketData(ticket),
          slots: slotsOf(),
          timeZone,
          contractorName: appointment.contractorName,
        },
        now: at,
      });
      break;
    case 'appointment.confirmed': {
      const calendar = await calendarDataOf(tx, ticket, appointment, timeZone, ticket.subject);
      // The invitation goes by mail: whoever confirmed and whoever filed the request.
      await queueNotification(tx, {
        userIds: [...new Set([event.byUserId, ticket.createdByUserId])],
        category: 'ticket_replies',
        only: ['email'],
        template: 'appointment_confirmed',
        data: { ...ticketData(ticket), calendar: calendar! },
        now: at,
      });
      break;
    }
    case 'appointment.move_requested':
      // Staff see it live in the workspace; the assignee hears of it by their own channels.
      if (ticket.assigneeId)
        await queueNotification(tx, {
          userIds: [ticket.assigneeId],
          category: 'ticket_replies',
          template: 'appointment_move_requested',
          data: { ...ticketData(ticket), reason: appointment.moveReason ?? '' },
          now: at,
        });
      break;
    case 'appointment.cancelled': {
      const calendar = event.wasConfirmed
        ? await calendarDataOf(tx, ticket, appointment, timeZone, ticket.subject)
        : null;
      await queueNotification(tx, {
        userIds: await tenantsOf(tx, ticket, at, timeZone),
        category: 'ticket_replies',
        template: 'appointment_cancelled',
        data: { ...ticketData(ticket), reason: appointment.cancelReason ?? '', calendar },
        now: at,
      });
      break;
    }
    case 'appointment.reminder.due':
      // Push or SMS, as the tenant chose for their requests; a reminder by mail would come too late to read.
      await queueNotification(tx, {
        userIds: await tenantsOf(tx, ticket, at, timeZone),
        category: 'ticket_replies',
        only: ['push', 'sms'],
        template: 'appointment_reminder',
        data: {
          ...ticketData(ticket),
          start: appointment.confirmedStartAt!.toISOString(),
          end: appointment.confirmedEndAt!.toISOString(),
          timeZone,
          contractorName: appointment.contractorName,
        },
        now: at,
      });
      // Nothing changed that a screen shows.
      return [];
  }
  const data: LiveEventMap['appointment.updated'] = {
    ticketId: ticket.id,
    appointment: toAppointmentDto(appointment, timeZone),
  };
  return [await appendEvent(tx, rooms.ticket(ticket.id), 'appointment.updated', data)];
}
