// Generated from db/schema/accounts.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id, timestamp } from './columns.ts';
import { locales, persons } from './people.ts';
import { contracts } from './contracts.ts';

/** A login. Tenancy, ownership and household rights come from contracts and ownerships, not from here. */
export const users = pgTable(
  'users',
  {
    id: id(),
    personId: text()
      .notNull()
      .references(() => persons.id),
    /** Lower-cased login e-mail. */
    loginEmail: text().notNull(),
    /** argon2id hash; null until the password is set. */
    passwordHash: text(),
    role: text({ enum: ['customer', 'staff', 'admin'] }).notNull(),
    language: text({ enum: locales }).notNull().default('de'),
    emailVerifiedAt: timestamp(),
    passwordChangedAt: timestamp(),
    /** The visit before the current one: shown as "your last visit" (seed 000). */
    previousLoginAt: timestamp(),
    lastLoginAt: timestamp(),
    disabledAt: timestamp(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('users_login_email_uq').on(t.loginEmail),
    uniqueIndex('users_person_uq').on(t.personId),
  ],
);

/** Sessions per the Lucia guide: the id is public, only a SHA-256 of the secret is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secretHash: bytea().notNull(),
    createdAt: createdAt(),
    lastVerifiedAt: timestamp().notNull(),
    expiresAt: timestamp().notNull(),
    userAgent: text(),
    ipAddress: text(),
    /** Staff "view as tenant" (read-only, audited). */
    impersonatedUserId: text().references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Single-use, short-lived tokens sent by mail: e-mail verification, password reset, e-mail change. */
export const authTokens = pgTable(
  'auth_tokens',
  {
    id: text().primaryKey(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text({ enum: ['verify_email', 'reset_password', 'change_email'] }).notNull(),
    secretHash: bytea().notNull(),
    /** For change_email: the new address awaiting confirmation. */
    email: text(),
    expiresAt: timestamp().notNull(),
    usedAt: timestamp(),
    createdAt: createdAt(),
  },
  (t) => [index('auth_tokens_user_idx').on(t.userId, t.purpose)],
);

/** The code printed on a registration letter (seeds 001, 002) or sent in a household invitation. */
export const registrationCodes = pgTable(
  'registration_codes',
  {
    id: id(),
    personId: text()
      .notNull()
      .references(() => persons.id),
    /** Set for household invitations: the contract the invitee joins. */
    contractId: text().references(() => contracts.id),
    /** SHA-256 of the normalised code; the code itself is only ever printed. */
    codeHash: text().notNull(),
    purpose: text({ enum: ['letter', 'household_invitation'] })
      .notNull()
      .default('letter'),
    /** E-mail the invitation was sent to (household invitations). */
    email: text(),
    /**
     * Household invitations: the right the invitee gets on the contract. The contract party is only
     * created when the code registers a login, so an unused invitation adds nobody to the household.
     */
    access: text({ enum: ['full', 'read'] }),
    expiresAt: timestamp(),
    usedAt: timestamp(),
    revokedAt: timestamp(),
    createdByUserId: text(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('registration_codes_hash_uq').on(t.codeHash),
    index('registration_codes_person_idx').on(t.personId),
  ],
);

/** Consents given at registration (privacy, terms, electronic delivery — seed 002). */
export const consents = pgTable(
  'consents',
  {
    id: id(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: ['privacy', 'terms', 'electronic_delivery'] }).notNull(),
    version: text().notNull(),
    acceptedAt: timestamp().notNull(),
    withdrawnAt: timestamp(),
  },
  (t) => [index('consents_user_idx').on(t.userId)],
);
