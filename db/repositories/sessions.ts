import { and, eq, isNull, lt, ne, sql } from 'drizzle-orm';
import { changedRows, preparedRead, tablesOf } from '../dialect.ts';
import type { DbOrTx } from '../transaction.ts';
import type { sessions } from '../schema/index.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type NewSessionRow = typeof sessions.$inferInsert;

export async function insertSession(db: DbOrTx, values: NewSessionRow): Promise<void> {
  const { sessions } = tablesOf(db);
  await db.insert(sessions).values(values);
}

// The session middleware and every socket handshake run this: prepared once per connection, and
// only the columns validation needs (not user agent, IP, timestamps it never reads).
const sessionWithUserQuery = preparedRead((db, { sessions, users }) =>
  db
    .select({
      session: { id: sessions.id, secretHash: sessions.secretHash, expiresAt: sessions.expiresAt },
      user: {
        id: users.id,
        personId: users.personId,
        role: users.role,
        loginEmail: users.loginEmail,
        language: users.language,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder('sessionId')), isNull(users.disabledAt)))
    .prepare(),
);

/** The session (what validation needs) and its (enabled) user in one read. */
export async function findSessionWithUser(db: DbOrTx, sessionId: string) {
  return await sessionWithUserQuery.get(db, { sessionId });
}

export async function extendSession(
  db: DbOrTx,
  sessionId: string,
  expiresAt: Date,
  lastVerifiedAt: Date,
): Promise<void> {
  const { sessions } = tablesOf(db);
  await db.update(sessions).set({ expiresAt, lastVerifiedAt }).where(eq(sessions.id, sessionId));
}

export async function deleteSession(db: DbOrTx, sessionId: string): Promise<void> {
  const { sessions } = tablesOf(db);
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of the user, or every one but `keepSessionId` (password change keeps the current one). */
export async function deleteSessionsOfUser(
  db: DbOrTx,
  userId: string,
  keepSessionId?: string,
): Promise<number> {
  const { sessions } = tablesOf(db);
  const where = keepSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId))
    : eq(sessions.userId, userId);
  return changedRows(await db.delete(sessions).where(where));
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date): Promise<number> {
  const { sessions } = tablesOf(db);
  return changedRows(await db.delete(sessions).where(lt(sessions.expiresAt, now)));
}

export async function countSessionsOfUser(db: DbOrTx, userId: string): Promise<number> {
  const { sessions } = tablesOf(db);
  return (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).length;
}
