import {
  insertJobStep,
  listStepsOfLinks,
  type JobLinkWithContractor,
  type JobStepRow,
} from '../../../db/repositories/job-steps.ts';
import { claimAttachments } from '../../../db/repositories/files.ts';
import type { TicketMessage } from '../../../db/repositories/ticket-messages.ts';
import type { TicketWithEstate } from '../../../db/repositories/tickets.ts';
import type { Locale } from '../../../shared/api/auth.ts';
import type { JobDto, JobState } from '../../../shared/api/dispatch.ts';
import { m } from '../../../shared/i18n/paraglide/messages.js';
import type { UnitOfWork } from '../../unit-of-work/index.ts';
import { badRequest } from '../../domain/errors.ts';
import type { JobStepEvent } from '../../events/domain-events.ts';
import { askRepairConfirmation } from './closing.ts';
import { addSystemLine, tenantLocaleOf } from '../tickets/system-lines.ts';

/*
 * What a contractor's job is and how each step of it is written down (issue 20 item 2): the
 * step row, a public line in the ticket's dialog in the tenant's language (what the tenant may
 * know: who is commissioned, accepted, declined, done with the contractor's note), and one
 * domain event the projector turns into the staff's live update, the contractor's mail and the
 * webhooks. Staff's note to the contractor and a decline's reason never reach the tenant.
 */

/** A job's state: a final answer stays; otherwise a withdrawn or expired link ends it. */
export function jobStateOf(
  link: { revokedAt: Date | null; expiresAt: Date },
  steps: readonly JobStepRow[],
  now: Date,
): JobState {
  const last = steps.at(-1)?.kind ?? 'dispatched';
  if (last === 'done' || last === 'declined') return last;
  if (link.revokedAt) return 'withdrawn';
  if (link.expiresAt.getTime() <= now.getTime()) return 'expired';
  return last;
}

const lastNote = (steps: readonly JobStepRow[], kind: JobStepRow['kind']) =>
  steps.findLast((step) => step.kind === kind)?.note ?? null;

export function toJobDto(
  { link, contractor }: JobLinkWithContractor,
  steps: readonly JobStepRow[],
  now: Date,
  url: string | null,
): JobDto {
  const state = jobStateOf(link, steps, now);
  const live = state === 'dispatched' || state === 'accepted';
  const updatedAt = [link.createdAt, link.revokedAt, ...steps.map((step) => step.createdAt)]
    .filter((at): at is Date => at !== null)
    .reduce((a, b) => (b.getTime() > a.getTime() ? b : a));
  return {
    id: link.id,
    ticketId: link.ticketId,
    contractor: {
      id: contractor.id,
      name: contractor.name,
      phone: contractor.phone,
      email: contractor.email,
    },
    state,
    note: lastNote(steps, 'dispatched'),
    declineReason: lastNote(steps, 'declined'),
    doneNote: lastNote(steps, 'done'),
    url: live ? url : null,
    createdAt: link.createdAt.toISOString(),
    expiresAt: link.expiresAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

/** The dialog's line of a step, in the tenant's language; null for steps the tenant does not hear of. */
export function jobLine(
  step: JobStepEvent['step'],
  company: string,
  note: string | null,
  locale: Locale,
): string {
  const o = { locale };
  switch (step) {
    case 'dispatched':
      return m.job_line_dispatched({ company }, o);
    case 'accepted':
      return m.job_line_accepted({ company }, o);
    case 'declined':
      return m.job_line_declined({ company }, o);
    case 'done':
      return note ? `${m.job_line_done({ company }, o)}\n\n${note}` : m.job_line_done({ company }, o);
    case 'withdrawn':
      return m.job_line_withdrawn({ company }, o);
  }
}

/**
 * Writes one step of a job inside the unit of work: the step row (not for a withdrawal, which is
 * the link's revocation), the tenant's line, and the domain event. Answers the line's message.
 */
export async function recordJobStep(
  uow: UnitOfWork,
  input: {
    ticket: TicketWithEstate;
    job: JobLinkWithContractor;
    step: JobStepEvent['step'];
    note: string | null;
    /** The tenant's line gets these uploads (the contractor's photos of the finished work). */
    attachments?: { ids: readonly string[]; ownerKey: string };
    now: Date;
    url: string | null;
    /** The step's note is for staff only (dispatch note, decline reason): not in the tenant's line. */
    publicNote: boolean;
  },
): Promise<{ message: TicketMessage; dto: JobDto }> {
  const { tx } = uow;
  const { ticket, job, step, note, now } = input;
  if (step !== 'withdrawn')
    await insertJobStep(tx, {
      jobLinkId: job.link.id,
      ticketId: ticket.id,
      kind: step,
      note,
      createdAt: now,
    });
  const steps = await listStepsOfLinks(tx, [job.link.id]);
  const link = step === 'withdrawn' ? { ...job.link, revokedAt: job.link.revokedAt ?? now } : job.link;
  const dto = toJobDto({ ...job, link }, steps, now, input.url);
  const line = jobLine(
    step,
    job.contractor.name,
    input.publicNote ? note : null,
    await tenantLocaleOf(tx, ticket),
  );
  const message = await addSystemLine(uow, ticket, line, now);
  const ids = [...(input.attachments?.ids ?? [])];
  if (ids.length > 0) {
    const claimed = await claimAttachments(tx, {
      attachmentIds: ids,
      ownerUserId: input.attachments!.ownerKey,
      ticketId: ticket.id,
      messageId: message.id,
    });
    if (claimed !== new Set(ids).size || claimed !== ids.length)
      throw badRequest(
        'invalid_attachment',
        'A photo is unknown, not uploaded with this link or already used.',
      );
  }
  uow.record({
    type: 'ticket.job.changed',
    ticket,
    step,
    job: { ...dto, url: null },
    contractor: job.contractor,
    note,
    at: now,
    ...(step === 'dispatched' && input.url && job.contractor.email
      ? {
          mail: {
            address: job.contractor.email,
            language: job.contractor.language,
            url: input.url,
            expiresAt: job.link.expiresAt,
          },
        }
      : {}),
  });
  // The work is reported finished: the tenant who filed the ticket is asked whether it is fixed.
  if (step === 'done') await askRepairConfirmation(uow, { ticket, job, now });
  return { message, dto };
}
