import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, id, timestamp } from './columns.ts';
import { users } from './accounts.ts';
import { contractors, jobLinks } from './contractors.ts';
import { tickets } from './tickets.ts';

/** Asked when the contractor reports done; the tenant's answer ends it. */
export const repairConfirmationStates = ['asked', 'fixed', 'not_fixed'] as const;

/**
 * The tenant's word on a finished repair: one row per job reported done, asked in the unit of
 * work that records the `done` step. "Fixed" resolves the ticket and carries a rating of 1 to 5;
 * "not fixed" reopens it with the tenant's words. The reports count first-time fixes and days to
 * fix per contractor from these rows, so the contractor is kept beside the job link.
 */
export const repairConfirmations = sqliteTable(
  'repair_confirmations',
  {
    id: id(),
    ticketId: text()
      .notNull()
      .references(() => tickets.id),
    jobLinkId: text()
      .notNull()
      .references(() => jobLinks.id),
    contractorId: text()
      .notNull()
      .references(() => contractors.id),
    state: text({ enum: repairConfirmationStates }).notNull().default('asked'),
    /** 1 to 5 with a "fixed" answer; null otherwise. */
    rating: integer(),
    /** The tenant's words: optional with "fixed", required with "not fixed". */
    comment: text(),
    askedAt: createdAt(),
    answeredAt: timestamp(),
    answeredByUserId: text().references(() => users.id),
  },
  (t) => [
    // One question per finished job.
    uniqueIndex('repair_confirmations_link_idx').on(t.jobLinkId),
    index('repair_confirmations_ticket_idx').on(t.ticketId, t.askedAt),
    index('repair_confirmations_contractor_idx').on(t.contractorId, t.state),
  ],
);
