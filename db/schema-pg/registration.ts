// Generated from db/schema/registration.ts by scripts/schema-pg.ts: edit that file, then run
// `npm run db:generate:pg`.
import { index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { bytea, createdAt, flag, id, timestamp } from './columns.ts';
import { locales, persons } from './people.ts';

/**
 * A sign-up without a letter (seed 004) while it waits for the one-time code: the login and the
 * password the registrant chose, kept here (hashed) until the code proves they read the e-mail or
 * SMS at the contact data the landlord holds. No user row exists before that.
 */
export const numberSignups = pgTable(
  'number_signups',
  {
    /** The public half of the handle the client holds; the secret half is stored hashed. */
    id: text().primaryKey(),
    secretHash: bytea().notNull(),
    personId: text()
      .notNull()
      .references(() => persons.id),
    loginEmail: text().notNull(),
    passwordHash: text().notNull(),
    language: text({ enum: locales }).notNull(),
    electronicDelivery: flag(),
    /** The held contact the registrant chose; null until a code was sent. */
    channel: text({ enum: ['email', 'sms'] }),
    /** SHA-256 of the current code; a new send replaces it. */
    codeHash: text(),
    codeExpiresAt: timestamp(),
    codesSent: integer().notNull().default(0),
    wrongCodes: integer().notNull().default(0),
    /** The whole sign-up ends then, code or not. */
    expiresAt: timestamp().notNull(),
    completedAt: timestamp(),
    createdAt: createdAt(),
  },
  (t) => [index('number_signups_person_idx').on(t.personId)],
);

/**
 * "Request a (new) registration letter" from the public form (seed 002): what the writer says
 * about themselves, for staff to match to a tenant and print the letter. Never matched
 * automatically, so the answer cannot tell whether the details fit anyone.
 */
export const letterRequests = pgTable(
  'letter_requests',
  {
    id: id(),
    name: text().notNull(),
    address: text().notNull(),
    unit: text(),
    customerNumber: text(),
    email: text(),
    phone: text(),
    message: text(),
    language: text({ enum: locales }).notNull(),
    status: text({ enum: ['open', 'done'] })
      .notNull()
      .default('open'),
    handledByUserId: text(),
    handledAt: timestamp(),
    ipAddress: text(),
    createdAt: createdAt(),
  },
  (t) => [index('letter_requests_status_idx').on(t.status, t.createdAt)],
);
