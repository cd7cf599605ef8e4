// Generated from db/schema/notices.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, flag, id, timestamp } from './columns.ts';
import { buildings, estates, units } from './estates.ts';

/** The notice board per house ("schwarzes Brett", seed 001). */
export const notices = pgTable(
  'notices',
  {
    id: id(),
    scope: text({ enum: ['estate', 'building', 'units'] }).notNull(),
    estateId: text().references(() => estates.id),
    buildingId: text().references(() => buildings.id),
    category: text({
      enum: ['general', 'maintenance', 'cleaning', 'event', 'safety', 'house_rules'],
    }).notNull(),
    title: text().notNull(),
    body: text().notNull(),
    validFrom: timestamp(),
    validTo: timestamp(),
    /** Scheduled publishing: visible (and notified) from this time on. */
    publishAt: timestamp().notNull(),
    pinned: flag(),
    /** Important notices push; normal ones only appear on the board (and e-mail digest). */
    important: flag(),
    /** Set once the publication was announced, so editing never notifies again. */
    announcedAt: timestamp(),
    createdByUserId: text(),
    createdAt: createdAt(),
    updatedAt: timestamp(),
    deletedAt: timestamp(),
  },
  (t) => [
    index('notices_building_idx').on(t.buildingId, t.publishAt),
    index('notices_estate_idx').on(t.estateId, t.publishAt),
  ],
);

export const noticeUnits = pgTable(
  'notice_units',
  {
    noticeId: text()
      .notNull()
      .references(() => notices.id),
    unitId: text()
      .notNull()
      .references(() => units.id),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.unitId] }), index('notice_units_unit_idx').on(t.unitId)],
);

export const noticeReads = pgTable(
  'notice_reads',
  {
    noticeId: text()
      .notNull()
      .references(() => notices.id),
    userId: text().notNull(),
    readAt: timestamp().notNull(),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.userId] })],
);
