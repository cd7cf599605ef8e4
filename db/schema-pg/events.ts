// Generated from db/schema/events.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { bigint, index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, json } from './columns.ts';

/**
 * The ordered event log for live clients. `id` increases strictly and is never reused
 * (AUTOINCREMENT), so `resync { after }` replays exactly what a client missed.
 * `room` names the audience: `user:<id>`, `contract:<id>`, `building:<id>`, `estate:<id>`,
 * `ticket:<id>`, `staff`, `staff-ticket:<id>` (internal notes live only in staff rooms).
 */
export const events = pgTable(
  'events',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    room: text().notNull(),
    type: text().notNull(),
    data: json<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('events_room_idx').on(t.room, t.id)],
);

/** Who did what, when: every staff change, impersonation, and security-relevant account event. */
export const auditEntries = pgTable(
  'audit_entries',
  {
    id: id(),
    actorUserId: text(),
    action: text().notNull(),
    entityType: text().notNull(),
    entityId: text(),
    data: json<Record<string, unknown>>(),
    ipAddress: text(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_entity_idx').on(t.entityType, t.entityId), index('audit_actor_idx').on(t.actorUserId)],
);
