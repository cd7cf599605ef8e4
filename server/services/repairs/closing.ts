import {
  answerRepairConfirmation,
  findCurrentRepairConfirmation,
  insertRepairConfirmation,
  type RepairConfirmationWithContractor,
} from '../../../db/repositories/repair-confirmations.ts';
import type { JobLinkWithContractor } from '../../../db/repositories/job-steps.ts';
import type { TicketWithEstate } from '../../../db/repositories/tickets.ts';
import type {
  RepairConfirmationAnswer,
  RepairConfirmationDto,
  RepairConfirmationRequest,
} from '../../../shared/api/repair-confirmation.ts';
import { m } from '../../../shared/i18n/paraglide/messages.js';
import type { Deps } from '../../deps.ts';
import { conflict, notFound } from '../../domain/errors.ts';
import type { SessionUser } from '../../lib/context.ts';
import { unitOfWork, type UnitOfWork } from '../../unit-of-work/index.ts';
import { applyStatusChange } from '../tickets/lifecycle.ts';
import { writeMessage } from '../tickets/messages.ts';
import { addSystemLine, tenantLocaleOf } from '../tickets/system-lines.ts';
import { customerCanWrite, loadVisibleTicket, loadWritableTicket } from '../tickets/visibility.ts';

/*
 * Closing a repair: when the contractor reports a job done, the tenant who filed the ticket is
 * asked whether it is fixed (one question per job). "Fixed" resolves the ticket with the tenant's
 * rating; "not fixed" reopens it with the tenant's words as their message in the dialog. Status
 * changes go through applyStatusChange, so history, SLA, audit and notifications stay as for any
 * other change. The staff report reads the answers (services/reports/repairs.ts).
 */

export function toRepairConfirmationDto({
  confirmation,
  contractorName,
}: RepairConfirmationWithContractor): RepairConfirmationDto {
  return {
    id: confirmation.id,
    ticketId: confirmation.ticketId,
    contractorName,
    state: confirmation.state,
    rating: confirmation.rating,
    comment: confirmation.comment,
    askedAt: confirmation.askedAt.toISOString(),
    answeredAt: confirmation.answeredAt?.toISOString() ?? null,
  };
}

/** Inside the unit of work that records a job's `done` step: the question to the tenant. */
export async function askRepairConfirmation(
  uow: UnitOfWork,
  input: { ticket: TicketWithEstate; job: JobLinkWithContractor; now: Date },
): Promise<void> {
  const { ticket, job, now } = input;
  const confirmation = await insertRepairConfirmation(uow.tx, {
    ticketId: ticket.id,
    jobLinkId: job.link.id,
    contractorId: job.contractor.id,
    state: 'asked',
    askedAt: now,
  });
  uow.record({
    type: 'repair.confirmation.requested',
    ticket,
    confirmation: { confirmation, contractorName: job.contractor.name },
    at: now,
  });
}

/** `GET /api/tickets/:id/repair-confirmation`: 404 when none was asked (or the ticket is not the reader's). */
export async function getRepairConfirmation(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
): Promise<RepairConfirmationAnswer> {
  const { ticket, customerScope } = await loadVisibleTicket(deps, actor, ticketId);
  const current = await findCurrentRepairConfirmation(deps.db, ticket.id);
  if (!current) throw notFound();
  return {
    confirmation: toRepairConfirmationDto(current),
    canAnswer:
      current.confirmation.state === 'asked' &&
      customerScope !== null &&
      customerCanWrite(customerScope, ticket),
  };
}

const isClosed = (ticket: TicketWithEstate) => ticket.status === 'resolved' || ticket.status === 'closed';

/**
 * `POST /api/tickets/:id/repair-confirmation`: the household's answer, once. Access, the open
 * question and the ticket's status are read inside the unit, so two answers at once give one
 * change and one 409.
 */
export async function answerRepairConfirmationRequest(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: RepairConfirmationRequest,
): Promise<RepairConfirmationAnswer> {
  const now = deps.now();
  const timeZone = deps.config.timeZone;
  const answered = await unitOfWork(deps, async (uow) => {
    const { tx } = uow;
    const { ticket } = await loadWritableTicket(deps, actor, ticketId, tx);
    const current = await findCurrentRepairConfirmation(tx, ticket.id);
    if (!current) throw conflict('not_asked', 'No finished repair of this request awaits an answer.');
    const comment = input.comment?.trim() || null;
    const changed = await answerRepairConfirmation(tx, current.confirmation.id, {
      state: input.fixed ? 'fixed' : 'not_fixed',
      rating: input.fixed ? input.rating : null,
      comment,
      answeredAt: now,
      answeredByUserId: actor.id,
    });
    if (changed === 0) throw conflict('already_answered', 'This repair has already been confirmed.');

    const locale = await tenantLocaleOf(tx, ticket);
    const company = current.contractorName;
    let updated = ticket;
    if (input.fixed) {
      await addSystemLine(
        uow,
        ticket,
        m.repair_confirm_line_fixed({ company, rating: input.rating }, { locale }),
        now,
      );
      // The tenant's stars are their verdict on the request as well: the rating panel of a
      // resolved request then shows them instead of asking again.
      if (!isClosed(ticket))
        updated = await applyStatusChange(uow, ticket, 'resolved', actor, now, {
          timeZone,
          ...(ticket.rating === null ? { extra: { rating: input.rating, ratingComment: comment } } : {}),
        });
    } else {
      await addSystemLine(uow, ticket, m.repair_confirm_line_not_fixed({ company }, { locale }), now);
      if (ticket.status !== 'in_progress')
        updated = await applyStatusChange(uow, ticket, 'in_progress', actor, now, {
          timeZone,
          ...(isClosed(ticket) ? { extra: { reopenCount: ticket.reopenCount + 1, resolvedAt: null } } : {}),
        });
      // Their words go into the dialog as their own message: staff read and answer them there.
      await writeMessage(
        uow,
        deps,
        actor,
        updated,
        false,
        { body: input.comment, clientId: `repair-confirmation:${current.confirmation.id}` },
        now,
      );
    }
    const after: RepairConfirmationWithContractor = {
      contractorName: company,
      confirmation: {
        ...current.confirmation,
        state: input.fixed ? 'fixed' : 'not_fixed',
        rating: input.fixed ? input.rating : null,
        comment,
        answeredAt: now,
        answeredByUserId: actor.id,
      },
    };
    uow.record({ type: 'repair.confirmation.answered', ticket: updated, confirmation: after, at: now });
    return after;
  });
  return { confirmation: toRepairConfirmationDto(answered), canAnswer: false };
}
