import { and, eq, isNull, lt, ne, sql } from 'drizzle-orm';
import { preparedPerDb } from '../prepared.ts';
import type { DbOrTx } from '../transaction.ts';
import { sessions, users } from '../schema/index.ts';

export type SessionRow = typeof sessions.$inferSelect;
export type NewSessionRow = typeof sessions.$inferInsert;

export async function insertSession(db: DbOrTx, values: NewSessionRow): Promise<void> {
  db.insert(sessions).values(values).run();
}

// The session middleware and every socket handshake run this: prepared once per connection, and
// only the columns validation needs (not user agent, IP, timestamps it never reads).
const sessionWithUserQuery = preparedPerDb((db) =>
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
  return sessionWithUserQuery(db).get({ sessionId });
}

export async function extendSession(
  db: DbOrTx,
  sessionId: string,
  expiresAt: Date,
  lastVerifiedAt: Date,
): Promise<void> {
  db.update(sessions).set({ expiresAt, lastVerifiedAt }).where(eq(sessions.id, sessionId)).run();
}

export async function deleteSession(db: DbOrTx, sessionId: string): Promise<void> {
  db.delete(sessions).where(eq(sessions.id, sessionId)).run();
}

/** Ends every session of the user, or every one but `keepSessionId` (password change keeps the current one). */
export async function deleteSessionsOfUser(
  db: DbOrTx,
  userId: string,
  keepSessionId?: string,
): Promise<number> {
  const where = keepSessionId
    ? and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId))
    : eq(sessions.userId, userId);
  return db.delete(sessions).where(where).run().changes;
}

export async function deleteExpiredSessions(db: DbOrTx, now: Date): Promise<number> {
  return db.delete(sessions).where(lt(sessions.expiresAt, now)).run().changes;
}

export async function countSessionsOfUser(db: DbOrTx, userId: string): Promise<number> {
  return db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)).all().length;
}
