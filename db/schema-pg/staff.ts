// Generated from db/schema/staff.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, id, timestamp } from './columns.ts';
import { buildings, estates } from './estates.ts';
import { users } from './accounts.ts';

/** A staff group; routing sends new tickets to the team responsible for the building. */
export const teams = pgTable('teams', {
  id: id(),
  name: text().notNull(),
  createdAt: createdAt(),
});

export const teamMembers = pgTable(
  'team_members',
  {
    teamId: text()
      .notNull()
      .references(() => teams.id),
    userId: text()
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_idx').on(t.userId)],
);

/** What a team may see: an estate (all its buildings) or a single building; `all` for no limit. */
export const teamScopes = pgTable(
  'team_scopes',
  {
    id: id(),
    teamId: text()
      .notNull()
      .references(() => teams.id),
    kind: text({ enum: ['all', 'estate', 'building'] }).notNull(),
    estateId: text().references(() => estates.id),
    buildingId: text().references(() => buildings.id),
  },
  (t) => [index('team_scopes_team_idx').on(t.teamId)],
);

/** Contact persons for a building (seed 000 "Ansprechpartner"). */
export const buildingContacts = pgTable(
  'building_contacts',
  {
    id: id(),
    buildingId: text()
      .notNull()
      .references(() => buildings.id),
    role: text({ enum: ['account_manager', 'caretaker', 'technician', 'service_centre'] }).notNull(),
    name: text().notNull(),
    email: text(),
    phone: text(),
    /** Office hours as shown, e.g. "Mo–Fr 9–12". */
    hours: text(),
    userId: text().references(() => users.id),
    sort: integer().notNull().default(0),
  },
  (t) => [index('building_contacts_building_idx').on(t.buildingId)],
);

export const cannedReplies = pgTable('canned_replies', {
  id: id(),
  teamId: text().references(() => teams.id),
  title: text().notNull(),
  body: text().notNull(),
  language: text(),
  createdAt: createdAt(),
  updatedAt: timestamp(),
});

/** Landlord configuration without a code change: branding, policies, business hours. */
export const settings = pgTable('settings', {
  key: text().primaryKey(),
  value: jsonb().notNull(),
  updatedAt: timestamp(),
});

/**
 * A staff member's saved inbox view (issue 15 item 2): a name and the inbox query it stands for.
 * Only its owner lists, uses or deletes it.
 */
export const staffSavedViews = pgTable(
  'staff_saved_views',
  {
    id: id(),
    userId: text()
      .notNull()
      .references(() => users.id),
    name: text().notNull(),
    query: jsonb().$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('staff_saved_views_user_idx').on(t.userId, t.createdAt)],
);
