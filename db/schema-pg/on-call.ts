// Generated from db/schema/on-call.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, isoDate } from './columns.ts';
import { users } from './accounts.ts';
import { teams } from './staff.ts';
import { tickets } from './tickets.ts';

/**
 * The on-call rota of a team (issue 15 item 6): who answers an emergency outside business hours.
 * A `weekly` shift repeats on a weekday from `startTime` to `endTime` (local time of the landlord;
 * an end at or before the start runs past midnight into the next day). A `dates` shift covers
 * `startDate` to `endDate` inclusive, all day, and overrides the weekly plan (holiday cover).
 * Rows go with their team or member (cascade), so deleting a team never trips over its rota.
 */
export const onCallShifts = pgTable(
  'on_call_shifts',
  {
    id: id(),
    teamId: text()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: ['weekly', 'dates'] }).notNull(),
    /** ISO weekday 1 = Monday … 7 = Sunday (weekly). */
    weekday: integer(),
    startTime: text(),
    endTime: text(),
    startDate: isoDate(),
    endDate: isoDate(),
    sort: integer().notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index('on_call_shifts_team_idx').on(t.teamId)],
);

/**
 * One row per emergency ticket that alerted its team: the unique ticket id makes the alert
 * idempotent (a retried request, a later message or a second emergency answer never alert again).
 */
export const emergencyAlerts = pgTable(
  'emergency_alerts',
  {
    id: id(),
    ticketId: text()
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    teamId: text().references(() => teams.id, { onDelete: 'set null' }),
    /** `team`: in business hours, every member; `on_call`: outside, the rota's person(s). */
    audience: text({ enum: ['team', 'on_call'] }).notNull(),
    recipientCount: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('emergency_alerts_ticket_uq').on(t.ticketId)],
);
