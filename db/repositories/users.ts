import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { persons, users } from '../schema/index.ts';
import { first, preparedRead, tablesOf } from '../dialect.ts';
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
const accountByUserIdQuery = preparedRead((db, { persons, users }) =>
  db
    .select({ user: users, person: persons })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(eq(users.id, sql.placeholder('userId')))
    .prepare(),
);

export async function findAccountByUserId(db: DbOrTx, userId: string): Promise<Account | undefined> {
  return await accountByUserIdQuery.get(db, { userId });
}

/** `loginEmail` is stored lower-cased; callers pass the lower-cased address. */
export async function findAccountByLoginEmail(db: DbOrTx, loginEmail: string): Promise<Account | undefined> {
  const { persons, users } = tablesOf(db);
  return await first(
    db
      .select({ user: users, person: persons })
      .from(users)
      .innerJoin(persons, eq(persons.id, users.personId))
      .where(eq(users.loginEmail, loginEmail)),
  );
}

/** Customer / member number as a login name (seeds 000, 001). */
export async function findAccountByCustomerNumber(
  db: DbOrTx,
  customerNumber: string,
): Promise<Account | undefined> {
  const { persons, users } = tablesOf(db);
  return await first(
    db
      .select({ user: users, person: persons })
      .from(users)
      .innerJoin(persons, eq(persons.id, users.personId))
      .where(eq(persons.customerNumber, customerNumber)),
  );
}

export async function findUserByPersonId(db: DbOrTx, personId: string): Promise<UserRow | undefined> {
  const { users } = tablesOf(db);
  return await first(db.select().from(users).where(eq(users.personId, personId)));
}

export async function findPersonById(db: DbOrTx, personId: string): Promise<PersonRow | undefined> {
  const { persons } = tablesOf(db);
  return await first(db.select().from(persons).where(eq(persons.id, personId)));
}

export async function isLoginEmailTaken(
  db: DbOrTx,
  loginEmail: string,
  exceptUserId?: string,
): Promise<boolean> {
  const { users } = tablesOf(db);
  const row = await first(db.select({ id: users.id }).from(users).where(eq(users.loginEmail, loginEmail)));
  return row !== undefined && row.id !== exceptUserId;
}

export async function insertUsers(db: DbOrTx, rows: NewUserRow[]): Promise<void> {
  const { users } = tablesOf(db);
  for (const chunk of await inChunks(rows)) await db.insert(users).values(chunk);
}

export async function insertUser(db: DbOrTx, values: NewUserRow): Promise<UserRow> {
  const { users } = tablesOf(db);
  return (await first(db.insert(users).values(values).returning()))!;
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
  const { users } = tablesOf(db);
  await db.update(users).set(patch).where(eq(users.id, userId));
}

/** Marks the address verified unless it already is (a repeated click changes nothing). */
export async function markEmailVerified(db: DbOrTx, userId: string, at: Date): Promise<void> {
  const { users } = tablesOf(db);
  await db
    .update(users)
    .set({ emailVerifiedAt: at })
    .where(and(eq(users.id, userId), isNull(users.emailVerifiedAt)));
}

/**
 * The store's answer to a second row with the same unique key (e.g. two accounts racing for one
 * login e-mail): SQLite's SQLITE_CONSTRAINT_UNIQUE, PostgreSQL's SQLSTATE 23505.
 */
export async function isUniqueViolation(error: unknown): Promise<boolean> {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505') return true;
  }
  return false;
}
