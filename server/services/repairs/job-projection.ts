import type { Tx } from '../../../db/transaction.ts';
import type { JobStepEvent } from '../../events/domain-events.ts';
import { queueMail } from '../../notify/outbox.ts';
import { queueWebhooks, webhookTicketData } from '../integration/webhook-events.ts';

/**
 * The outbox and webhook rows of a job's step (the projector calls this inside the unit of work's
 * transaction): the dispatch mails the contractor their link, in their language; the dispatch and
 * the report of the finished work go to the ERP as `ticket.dispatched` and
 * `ticket.repair_completed`. The link itself never goes to the ERP.
 */
export async function projectJobStep(tx: Tx, event: JobStepEvent): Promise<void> {
  const { ticket, contractor, job, at } = event;
  if (event.mail) {
    await queueMail(tx, {
      template: 'job_dispatched',
      data: {
        name: null,
        company: contractor.name,
        ticketNumber: ticket.number,
        title: ticket.title ?? ticket.subject,
        link: event.mail.url,
        expiresAt: event.mail.expiresAt.toISOString(),
        note: event.note,
      },
      address: event.mail.address,
      language: event.mail.language,
      now: at,
    });
  }
  const type =
    event.step === 'dispatched'
      ? ('ticket.dispatched' as const)
      : event.step === 'done'
        ? ('ticket.repair_completed' as const)
        : null;
  if (!type) return;
  await queueWebhooks(tx, type, at, async () => ({
    ticket: await webhookTicketData(tx, ticket),
    contractor: { id: contractor.id, externalId: contractor.externalId, name: contractor.name },
    job: { id: job.id, note: event.note, at: at.toISOString() },
  }));
}
