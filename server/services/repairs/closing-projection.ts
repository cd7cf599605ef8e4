import { appendEvent, type StoredEvent } from '../../../db/repositories/events.ts';
import type { Tx } from '../../../db/transaction.ts';
import type { LiveEventMap } from '../../../shared/api/live.ts';
import type { RepairConfirmationEvent } from '../../events/domain-events.ts';
import { queueNotification } from '../../notify/outbox.ts';
import { rooms } from '../../realtime/rooms.ts';
import { toRepairConfirmationDto } from './closing.ts';

/**
 * The rows of a repair's confirmation (projector.ts calls this inside the unit of work): the
 * question goes to the tenant who filed the ticket by their channels for requests (push, mail,
 * SMS as they chose); every step is one live event to the ticket's room, which reaches its
 * household and the staff in scope alike. The answer's dialog lines and status are events of
 * their own (message.created, ticket.updated).
 */
export async function projectRepairConfirmation(
  tx: Tx,
  event: RepairConfirmationEvent,
): Promise<StoredEvent[]> {
  const { ticket, confirmation, at } = event;
  if (event.type === 'repair.confirmation.requested')
    await queueNotification(tx, {
      userIds: [ticket.createdByUserId],
      category: 'ticket_replies',
      template: 'repair_confirmation_requested',
      data: {
        ticketId: ticket.id,
        number: ticket.number,
        subject: ticket.subject,
        ...(ticket.subjects ? { subjects: ticket.subjects } : {}),
        contractorName: confirmation.contractorName,
      },
      now: at,
    });
  const data: LiveEventMap['repair_confirmation.updated'] = {
    ticketId: ticket.id,
    confirmation: toRepairConfirmationDto(confirmation),
  };
  return [await appendEvent(tx, rooms.ticket(ticket.id), 'repair_confirmation.updated', data)];
}
