import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { persons, users } from '../schema/index.ts';
import { preparedPerDb } from '../prepared.ts';
import { inChunks } from './chunks.ts';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
export type PersonRow = typeof persons.$inferSelect;

/** A login together with the person it belongs to (name, customer number, language). */
export interface Account {
  user: UserRow;
  person: PersonRow;
}

// `GET /api/me` reads this on every app start and tab focus: prepared once per db (db/prepared.ts).
const accountByUserIdQuery = preparedPerDb((db) =>
  db
    .select({ user: users, person: persons })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare(),
);

export async function findAccountByUserId(db: DbOrTx, userId: string): Promise<Account | undefined> {
  return accountByUserIdQuery(db).get({ userId });
}

/** `loginEmail` is stored lower-cased; callers pass the lower-cased address. */
export async function findAccountByLoginEmail(db: DbOrTx, loginEmail: string): Promise<Account | undefined> {
  return db
    .select({ user: users, person: persons })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(users.loginEmail, loginEmail))
    .get();
}

/** Customer / member number as a login name (seeds 000, 001). */
export async function findAccountByCustomerNumber(
  db: DbOrTx,
  customerNumber: string,
): Promise<Account | undefined> {
  return db
    .select({ user: users, person: persons })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(persons.customerNumber, customerNumber))
    .get();
}

export async function findUserByPersonId(db: DbOrTx, personId: string): Promise<UserRow | undefined> {
  return db.select().from(users).where(eq(users.personId, personId)).get();
}

export async function findPersonById(db: DbOrTx, personId: string): Promise<PersonRow | undefined> {
  return db.select().from(persons).where(eq(persons.id, personId)).get();
}

export async function isLoginEmailTaken(
  db: DbOrTx,
  loginEmail: string,
  exceptUserId?: string,
): Promise<boolean> {
  const row = db.select({ id: users.id }).from(users).where(eq(users.loginEmail, loginEmail)).get();
  return row !== undefined && row.id !== exceptUserId;
}

export async function insertUsers(db: DbOrTx, rows: NewUserRow[]): Promise<void> {
  for (const chunk of await inChunks(rows)) db.insert(users).values(chunk).run();
}

export async function insertUser(db: DbOrTx, values: NewUserRow): Promise<UserRow> {
  return db.insert(users).values(values).returning().get();
}

export type UserPatch = Partial<
  Pick<
    UserRow,
    | 'loginEmail'
    | 'passwordHash'
    | 'language'
    | 'emailVerifiedAt'
    | 'passwordChangedAt'
    | 'previousLoginAt'
    | 'lastLoginAt'
    | 'disabledAt'
  >
>;

export async function updateUser(db: DbOrTx, userId: string, patch: UserPatch): Promise<void> {
  db.update(users).set(patch).where(eq(users.id, userId)).run();
}

/** Marks the address verified unless it already is (a repeated click changes nothing). */
export async function markEmailVerified(db: DbOrTx, userId: string, at: Date): Promise<void> {
  db.update(users)
    .set({ emailVerifiedAt: at })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)))
    .run();
}

/** SQLite's answer to a second row with the same unique key (e.g. two accounts racing for one login e-mail). */
export async function isUniqueViolation(error: unknown): Promise<boolean> {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if ((e as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') return true;
  }
  return false;
}
