import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id } from './columns.ts';
import { jobLinks } from './contractors.ts';
import { tickets } from './tickets.ts';

/** What happened on a job link, in order: the dispatch, then the contractor's answers. */
export const jobStepKinds = ['dispatched', 'accepted', 'declined', 'done'] as const;

/**
 * The steps of a contractor's job (issue 20 item 2): staff dispatch (with an internal note for the
 * contractor), the contractor accepts or declines (with a reason), and reports done (with a note
 * the tenant reads). The job's state is its latest step; a withdrawn or expired link is read from
 * job_links. Rows are never changed.
 */
export const jobLinkSteps = sqliteTable(
  'job_link_steps',
  {
    id: id(),
    jobLinkId: text()
      .notNull()
      .references(() => jobLinks.id),
    ticketId: text()
      .notNull()
      .references(() => tickets.id),
    kind: text({ enum: jobStepKinds }).notNull(),
    /** Dispatch: the note to the contractor; declined: the reason; done: the contractor's note. */
    note: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('job_link_steps_link_idx').on(t.jobLinkId, t.createdAt),
    index('job_link_steps_ticket_idx').on(t.ticketId),
  ],
);
