import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, flag, id, timestamp } from './columns.ts';
import { users } from './accounts.ts';
import { tickets } from './tickets.ts';
import { contractors, jobLinks } from './contractors.ts';

export const appointmentStates = ['proposed', 'confirmed', 'move_requested', 'cancelled'] as const;

/**
 * A repair appointment of a ticket: staff or the contractor propose one to three slots, the tenant
 * confirms one (or asks to move it), anyone of the landlord's side may cancel it. A new proposal
 * for a ticket replaces the open one: the old row is cancelled, the new one keeps its `seriesId`
 * (the calendar UID) with a higher `sequence`, so the tenant's calendar moves the entry.
 */
export const appointments = sqliteTable(
  'appointments',
  {
    id: id(),
    ticketId: text()
      .notNull()
      .references(() => tickets.id),
    /** The first proposal's id, carried by every successor (the calendar UID). */
    seriesId: text().notNull(),
    /** 0 for the first proposal of a series; one more for every successor and the cancellation. */
    sequence: integer().notNull().default(0),
    state: text({ enum: appointmentStates }).notNull().default('proposed'),
    /** A staff member; null when the contractor proposed through their job link. */
    proposedByUserId: text().references(() => users.id),
    proposedByJobLinkId: text().references(() => jobLinks.id),
    contractorId: text().references(() => contractors.id),
    /** Staff chose slots outside the tenant's windows explicitly. */
    outsideWindows: flag(),
    confirmedSlotId: text(),
    /** The confirmed slot's times, beside the slot: the reminder reads confirmed rows by start. */
    confirmedStartAt: timestamp(),
    confirmedEndAt: timestamp(),
    confirmedByUserId: text().references(() => users.id),
    confirmedAt: timestamp(),
    moveReason: text(),
    moveRequestedByUserId: text().references(() => users.id),
    moveRequestedAt: timestamp(),
    cancelReason: text(),
    cancelledByUserId: text().references(() => users.id),
    cancelledByJobLinkId: text().references(() => jobLinks.id),
    cancelledAt: timestamp(),
    /** When the reminder of the day before was queued: it is queued once. */
    reminderSentAt: timestamp(),
    createdAt: createdAt(),
    updatedAt: timestamp().notNull(),
  },
  (t) => [
    index('appointments_ticket_idx').on(t.ticketId, t.createdAt),
    index('appointments_reminder_idx').on(t.state, t.confirmedStartAt),
  ],
);

/** One to three slots of a proposal (UTC instants). */
export const appointmentSlots = sqliteTable(
  'appointment_slots',
  {
    id: id(),
    appointmentId: text()
      .notNull()
      .references(() => appointments.id),
    position: integer().notNull(),
    startAt: timestamp().notNull(),
    endAt: timestamp().notNull(),
  },
  (t) => [index('appointment_slots_appointment_idx').on(t.appointmentId, t.position)],
);
