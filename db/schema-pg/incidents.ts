// Generated from db/schema/incidents.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamp } from './columns.ts';
import { buildings, estates } from './estates.ts';

/** A landlord-wide incident ("related ticket", seeds 002, 004), e.g. water off in Musterstraße 1–5. */
export const incidents = pgTable(
  'incidents',
  {
    id: id(),
    title: text().notNull(),
    body: text().notNull(),
    kind: text({ enum: ['planned', 'emergency'] }).notNull(),
    status: text({ enum: ['open', 'resolved'] })
      .notNull()
      .default('open'),
    scope: text({ enum: ['estate', 'building'] }).notNull(),
    estateId: text().references(() => estates.id),
    buildingId: text().references(() => buildings.id),
    /** Damage-report component the incident covers, to offer "already known" on matching reports. */
    component: text(),
    startsAt: timestamp(),
    endsAt: timestamp(),
    createdByUserId: text(),
    createdAt: createdAt(),
    resolvedAt: timestamp(),
  },
  (t) => [
    index('incidents_building_idx').on(t.buildingId, t.status),
    index('incidents_estate_idx').on(t.estateId, t.status),
  ],
);

export const incidentUpdates = pgTable(
  'incident_updates',
  {
    id: id(),
    incidentId: text()
      .notNull()
      .references(() => incidents.id),
    body: text().notNull(),
    createdByUserId: text(),
    createdAt: createdAt(),
  },
  (t) => [index('incident_updates_incident_idx').on(t.incidentId)],
);

/** Tenants who chose "already known — follow it" instead of filing a duplicate. */
export const incidentFollowers = pgTable(
  'incident_followers',
  {
    incidentId: text()
      .notNull()
      .references(() => incidents.id),
    userId: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.userId] })],
);
