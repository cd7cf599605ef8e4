import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, flag, id, json, timestamp } from './columns.ts';
import { users } from './accounts.ts';
import { contracts } from './contracts.ts';
import { buildings, units } from './estates.ts';
import { teams } from './staff.ts';
import { incidents } from './incidents.ts';

export const ticketStatuses = ['new', 'in_progress', 'waiting_tenant', 'resolved', 'closed'] as const;
export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;

/** Ticket types are data: form definition (see shared/ticket-forms), SLA defaults and routing. */
export const ticketTypes = sqliteTable('ticket_types', {
  id: text().primaryKey(), // slug, e.g. "damage_report"
  form: json<unknown>().notNull(),
  slaFirstResponseHours: integer().notNull(),
  slaResolutionHours: integer().notNull(),
  defaultPriority: text({ enum: ticketPriorities }).notNull().default('normal'),
  routingTeamId: text().references(() => teams.id),
  active: flag(),
  sort: integer().notNull().default(0),
});

export const tickets = sqliteTable(
  'tickets',
  {
    id: id(),
    /** Human ticket number shown to tenants, e.g. "2026-000123". */
    number: text().notNull(),
    typeId: text()
      .notNull()
      .references(() => ticketTypes.id),
    fields: json<Record<string, unknown>>().notNull(),
    /** In the landlord's default language (shared/ticket-subject.ts): webhooks and old readers use it. */
    subject: text().notNull(),
    /** The subject in every language, from the form as filed (issue 15 item 3); null on older rows. */
    subjects: json<Record<string, string>>(),
    /** The tenant's own title, when they gave one. */
    title: text(),
    description: text().notNull(),
    status: text({ enum: ticketStatuses }).notNull().default('new'),
    priority: text({ enum: ticketPriorities }).notNull().default('normal'),
    createdByUserId: text()
      .notNull()
      .references(() => users.id),
    contractId: text().references(() => contracts.id),
    unitId: text().references(() => units.id),
    buildingId: text().references(() => buildings.id),
    teamId: text().references(() => teams.id),
    assigneeId: text().references(() => users.id),
    incidentId: text().references(() => incidents.id),
    mergedIntoId: text(),
    clientId: text().notNull(),
    firstResponseDueAt: timestamp(),
    resolutionDueAt: timestamp(),
    firstRespondedAt: timestamp(),
    resolvedAt: timestamp(),
    rating: integer(),
    ratingComment: text(),
    reopenCount: integer().notNull().default(0),
    /** Last public activity; inbox and "my requests" sort by it. */
    lastActivityAt: timestamp().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp(),
  },
  (t) => [
    uniqueIndex('tickets_number_uq').on(t.number),
    uniqueIndex('tickets_client_uq').on(t.createdByUserId, t.clientId),
    index('tickets_contract_idx').on(t.contractId),
    // A renumbered unit notes its tickets for the search index (migration 0017) by this index.
    index('tickets_unit_idx').on(t.unitId),
    // Inbox keyset pagination orders by (lastActivityAt, id): the id closes every index so the
    // views read in order without a sort (issue 5 "inbox p95 ≤ 20 ms on 200,000 tickets").
    index('tickets_building_status_idx').on(t.buildingId, t.status, t.lastActivityAt, t.id),
    index('tickets_assignee_status_idx').on(t.assigneeId, t.status, t.lastActivityAt, t.id),
    index('tickets_status_activity_idx').on(t.status, t.lastActivityAt, t.id),
    // "unassigned" and "mine" filter three open statuses: with status second in the index they
    // were three ranges merged by a sort of every open ticket (183 ms at 200,000); with status
    // trailing, one range read in activity order stops after the page (bench/inbox-query.ts).
    index('tickets_assignee_activity_idx').on(t.assigneeId, t.lastActivityAt, t.id, t.status),
    // "all" reads this in order; "overdue" too, with its SLA columns checked inside the index
    // instead of a sort of all 50,000 working tickets (staff-inbox.ts viewCondition).
    index('tickets_activity_idx').on(
      t.lastActivityAt,
      t.id,
      t.status,
      t.firstRespondedAt,
      t.firstResponseDueAt,
      t.resolutionDueAt,
    ),
    index('tickets_creator_idx').on(t.createdByUserId, t.lastActivityAt),
    // The "overdue" count as index ranges that grow with the overdue tickets only, not with all
    // working ones: first response missed, resolution missed, both (staff-inbox.ts countOverdue).
    index('tickets_status_sla_idx').on(t.status, t.firstRespondedAt, t.firstResponseDueAt, t.resolutionDueAt),
    index('tickets_status_resolution_idx').on(t.status, t.resolutionDueAt),
    // Urgent open tickets head every inbox view (issue 15 item 6): one small range, read first.
    index('tickets_priority_status_idx').on(t.priority, t.status, t.lastActivityAt, t.id),
  ],
);

/**
 * The last ticket number handed out per year ("2026-000123" is year 2026, last 123): a ticket takes
 * the next one by incrementing this row in its creating transaction, so instances writing at once
 * on PostgreSQL queue on the row instead of reading the same highest number. Rows stored with
 * numbers of their own (demo seed, fixtures) move it on (db/repositories/tickets.ts).
 */
export const ticketNumberCounters = sqliteTable('ticket_number_counters', {
  year: integer().primaryKey(),
  last: integer().notNull(),
});

/**
 * SLA targets per ticket type AND priority (issue 15 items 6, 8). A type without a row for a
 * priority uses its own hours (ticket_types.sla_*) in business hours. `clock`: `business` counts
 * business hours only, `always` runs 24/7 (an emergency does not wait for Monday).
 */
export const ticketTypeSlas = sqliteTable(
  'ticket_type_slas',
  {
    typeId: text()
      .notNull()
      .references(() => ticketTypes.id, { onDelete: 'cascade' }),
    priority: text({ enum: ticketPriorities }).notNull(),
    firstResponseHours: integer().notNull(),
    resolutionHours: integer().notNull(),
    clock: text({ enum: ['business', 'always'] })
      .notNull()
      .default('business'),
  },
  (t) => [primaryKey({ columns: [t.typeId, t.priority] })],
);

export const ticketMessages = sqliteTable(
  'ticket_messages',
  {
    id: id(),
    ticketId: text()
      .notNull()
      .references(() => tickets.id),
    authorUserId: text().references(() => users.id),
    body: text().notNull(),
    /** Internal notes never reach tenants (API.md). */
    visibility: text({ enum: ['public', 'internal'] })
      .notNull()
      .default('public'),
    /** System lines such as status changes carry a kind instead of free text authorship. */
    kind: text({ enum: ['message', 'status_change', 'system'] })
      .notNull()
      .default('message'),
    clientId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('ticket_messages_ticket_idx').on(t.ticketId, t.createdAt),
    uniqueIndex('ticket_messages_client_uq').on(t.authorUserId, t.clientId),
  ],
);

/** Read marks per user and ticket. */
export const ticketReads = sqliteTable(
  'ticket_reads',
  {
    ticketId: text()
      .notNull()
      .references(() => tickets.id),
    userId: text()
      .notNull()
      .references(() => users.id),
    lastReadMessageId: text(),
    readAt: timestamp().notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] })],
);

export const ticketStatusHistory = sqliteTable(
  'ticket_status_history',
  {
    id: id(),
    ticketId: text()
      .notNull()
      .references(() => tickets.id),
    fromStatus: text({ enum: ticketStatuses }),
    toStatus: text({ enum: ticketStatuses }).notNull(),
    reason: text(),
    changedByUserId: text(),
    createdAt: createdAt(),
  },
  (t) => [index('ticket_status_history_ticket_idx').on(t.ticketId)],
);
