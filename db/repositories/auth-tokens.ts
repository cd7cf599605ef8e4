import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { preparedPerDb } from '../prepared.ts';
import type { DbOrTx } from '../transaction.ts';
import { authTokens } from '../schema/index.ts';

export type AuthTokenRow = typeof authTokens.$inferSelect;
export type NewAuthTokenRow = typeof authTokens.$inferInsert;
export type AuthTokenPurpose = AuthTokenRow['purpose'];

export async function insertAuthToken(db: DbOrTx, values: NewAuthTokenRow): Promise<void> {
  db.insert(authTokens).values(values).run();
}

export async function findAuthToken(
  db: DbOrTx,
  id: string,
  purpose: AuthTokenPurpose,
): Promise<AuthTokenRow | undefined> {
  return db
    .select()
    .from(authTokens)
    .where(and(eq(authTokens.id, id), eq(authTokens.purpose, purpose)))
    .get();
}

/**
 * Single use: only the first caller flips `usedAt` from null; a concurrent second one gets false.
 */
export async function consumeAuthToken(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  return (
    db
      .update(authTokens)
      .set({ usedAt: at })
      .where(and(eq(authTokens.id, id), isNull(authTokens.usedAt)))
      .run().changes === 1
  );
}

/** Deletes every link that expired before `before`, used or not. Returns how many. */
export async function deleteAuthTokensExpiredBefore(db: DbOrTx, before: Date): Promise<number> {
  return db.delete(authTokens).where(lt(authTokens.expiresAt, before)).run().changes;
}

/**
 * Only the newest token of a purpose is valid: older unused ones are dropped when a new one is
 * issued, and all of them when the account is secured (issue 13). Returns how many were dropped.
 */
export async function deleteUnusedAuthTokens(
  db: DbOrTx,
  userId: string,
  purpose: AuthTokenPurpose,
): Promise<number> {
  return db
    .delete(authTokens)
    .where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt)))
    .run().changes;
}

/** Whether a mailed link of this purpose could still be used (unused, not expired). */
export async function hasLiveAuthToken(
  db: DbOrTx,
  userId: string,
  purpose: AuthTokenPurpose,
  now: Date,
): Promise<boolean> {
  const row = db
    .select({ id: authTokens.id })
    .from(authTokens)
    .where(
      and(
        eq(authTokens.userId, userId),
        eq(authTokens.purpose, purpose),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, now),
      ),
    )
    .get();
  return row !== undefined;
}

const pendingEmailChangeQuery = preparedPerDb((db) =>
  db
    .select({ email: authTokens.email, createdAt: authTokens.createdAt, expiresAt: authTokens.expiresAt })
    .from(authTokens)
    .where(
      and(
        eq(authTokens.userId, sql.placeholder('userId')),
        eq(authTokens.purpose, 'change_email'),
        isNull(authTokens.usedAt),
        // A bare placeholder in a comparison is not encoded by drizzle: it gets the driver value (ms).
        gt(authTokens.expiresAt, sql.placeholder('nowMs')),
      ),
    )
    .orderBy(desc(authTokens.createdAt))
    .limit(1)
    .prepare(),
);

export interface PendingEmailChangeRow {
  email: string;
  createdAt: Date;
  expiresAt: Date;
}

/** The login e-mail change still awaiting confirmation, if any: new address, asked at, link valid until. */
export async function findPendingEmailChangeDetails(
  db: DbOrTx,
  userId: string,
  now: Date,
): Promise<PendingEmailChangeRow | null> {
  const row = pendingEmailChangeQuery(db).get({ userId, nowMs: now.getTime() });
  return row?.email ? { email: row.email, createdAt: row.createdAt, expiresAt: row.expiresAt } : null;
}

/** The address of a login e-mail change still awaiting confirmation, if any (every `GET /me`). */
export async function findPendingEmailChange(db: DbOrTx, userId: string, now: Date): Promise<string | null> {
  return (await findPendingEmailChangeDetails(db, userId, now))?.email ?? null;
}
