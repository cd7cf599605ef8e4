import { findContractor } from '../../../db/repositories/contractors.ts';
import { revokeJobLink } from '../../../db/repositories/job-links.ts';
import {
  findJobLinkWithContractor,
  listJobLinksOfTicket,
  listStepsOfLinks,
} from '../../../db/repositories/job-steps.ts';
import type { DispatchRequest, JobDto, JobsDto } from '../../../shared/api/dispatch.ts';
import { tradeOfTicket } from '../../../shared/api/dispatch.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, notFound } from '../../domain/errors.ts';
import type { SessionUser } from '../../lib/context.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import { applyStatusChange } from '../tickets/lifecycle.ts';
import { isStaffUser, loadVisibleTicket } from '../tickets/visibility.ts';
import { issueJobLink, jobLinkUrlOf } from './job-link.ts';
import { jobStateOf, recordJobStep, toJobDto } from './jobs.ts';

/*
 * Staff's side of a contractor's job (issue 20 item 2): dispatch a ticket they see to a
 * contractor, list the ticket's jobs, withdraw a link. Someone else's ticket (outside the staff
 * member's scope) answers 404 like a missing one; so does a link of another ticket.
 */

async function loadStaffTicket(deps: Deps, actor: SessionUser, ticketId: string, db: DbOrTx = deps.db) {
  if (!isStaffUser(actor)) throw notFound();
  return (await loadVisibleTicket(deps, actor, ticketId, db)).ticket;
}

/** `GET /api/staff/tickets/:id/dispatch`: the ticket's jobs, newest first. */
export async function listJobsOfTicket(deps: Deps, actor: SessionUser, ticketId: string): Promise<JobsDto> {
  const ticket = await loadStaffTicket(deps, actor, ticketId);
  const links = await listJobLinksOfTicket(deps.db, ticket.id);
  const steps = await listStepsOfLinks(
    deps.db,
    links.map((row) => row.link.id),
  );
  const now = deps.now();
  return {
    jobs: links.map((row) =>
      toJobDto(
        row,
        steps.filter((step) => step.jobLinkId === row.link.id),
        now,
        jobLinkUrlOf(deps, row.link.id),
      ),
    ),
  };
}

/**
 * `POST /api/staff/tickets/:id/dispatch { contractorId, note?, force? }`: a new link for the
 * contractor (mailed to them), a line in the tenant's dialog, `ticket.dispatched` to the ERP; a
 * new ticket goes in progress.
 * A contractor who does not serve the ticket's building or trade needs `force: true`. The
 * ticket's open links end: one contractor works on a ticket at a time.
 */
export async function dispatchTicket(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: DispatchRequest,
): Promise<JobDto> {
  return await unitOfWork(deps, async (uow) => {
    const { tx } = uow;
    const ticket = await loadStaffTicket(deps, actor, ticketId, tx);
    if (ticket.status === 'closed' || ticket.mergedIntoId)
      throw conflict('ticket_closed', 'The request is closed.');
    const contractor = await findContractor(tx, input.contractorId);
    if (!contractor?.active) throw badRequest('unknown_contractor', 'No such contractor.');
    const trade = tradeOfTicket(ticket.fields);
    const servesBuilding = !ticket.buildingId || contractor.buildingIds.includes(ticket.buildingId);
    const servesTrade = !trade || contractor.trades.includes(trade);
    if (!input.force && !servesBuilding)
      throw badRequest(
        'contractor_not_serving_building',
        'This contractor does not serve the building; dispatch with force to send them anyway.',
      );
    if (!input.force && !servesTrade)
      throw badRequest(
        'contractor_not_serving_trade',
        'This contractor does not work in the trade; dispatch with force to send them anyway.',
      );
    const now = deps.now();

    // The ticket's open links end first (each heard of by staff and the tenant).
    for (const open of await listJobLinksOfTicket(tx, ticket.id)) {
      const steps = await listStepsOfLinks(tx, [open.link.id]);
      const state = jobStateOf(open.link, steps, now);
      if (state !== 'dispatched' && state !== 'accepted') continue;
      await revokeJobLink(tx, open.link.id, now);
      await recordJobStep(uow, {
        ticket,
        job: open,
        step: 'withdrawn',
        note: null,
        now,
        url: null,
        publicNote: false,
      });
    }

    const issued = await issueJobLink(
      deps,
      { ticketId: ticket.id, contractorId: contractor.id, createdByUserId: actor.id },
      tx,
    );
    const job = (await findJobLinkWithContractor(tx, issued.link.id))!;
    const { dto } = await recordJobStep(uow, {
      ticket,
      job,
      step: 'dispatched',
      note: input.note?.trim() || null,
      now,
      url: issued.url,
      publicNote: false,
    });
    // Someone is on it now: a new request shows "in progress" to the tenant, with its history line.
    if (ticket.status === 'new')
      await applyStatusChange(uow, ticket, 'in_progress', actor, now, { timeZone: deps.config.timeZone });
    return dto;
  });
}

/** `DELETE /api/staff/tickets/:id/dispatch/:jobLinkId`: the link dies at once. */
export async function withdrawDispatch(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  jobLinkId: string,
): Promise<JobDto> {
  return await unitOfWork(deps, async (uow) => {
    const { tx } = uow;
    const ticket = await loadStaffTicket(deps, actor, ticketId, tx);
    const job = await findJobLinkWithContractor(tx, jobLinkId);
    if (!job || job.link.ticketId !== ticket.id) throw notFound();
    const now = deps.now();
    const steps = await listStepsOfLinks(tx, [job.link.id]);
    if (!(await revokeJobLink(tx, job.link.id, now)))
      // Withdrawn before: the same answer again, nothing new to tell.
      return toJobDto(job, steps, now, null);
    const state = jobStateOf(job.link, steps, now);
    if (state === 'done' || state === 'declined' || state === 'expired')
      // The job was over: the link ends quietly.
      return toJobDto({ ...job, link: { ...job.link, revokedAt: now } }, steps, now, null);
    const { dto } = await recordJobStep(uow, {
      ticket,
      job: { ...job, link: { ...job.link, revokedAt: now } },
      step: 'withdrawn',
      note: null,
      now,
      url: null,
      publicNote: false,
    });
    return dto;
  });
}
