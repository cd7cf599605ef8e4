import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { preparedPerDb } from '../prepared.ts';
import type { DbOrTx } from '../transaction.ts';
import { authTokens } from '../schema/index.ts';

export type AuthTokenRow = typeof authTokens.$inferSelect;
export type NewAuthTokenRow = typeof authTokens.$inferInsert;
export type AuthTokenPurpose = AuthTokenRow['purpose'];

export function insertAuthToken(db: DbOrTx, values: NewAuthTokenRow): void {
  db.insert(authTokens).values(values).run();
}

export function findAuthToken(db: DbOrTx, id: string, purpose: AuthTokenPurpose): AuthTokenRow | undefined {
  return db
    .select()
    .from(authTokens)
    .where(and(eq(authTokens.id, id), eq(authTokens.purpose, purpose)))
    .get();
}

/**
 * Single use: only the first caller flips `usedAt` from null; a concurrent second one gets false.
 */
export function consumeAuthToken(db: DbOrTx, id: string, at: Date): boolean {
  return (
    db
      .update(authTokens)
      .set({ usedAt: at })
      .where(and(eq(authTokens.id, id), isNull(authTokens.usedAt)))
      .run().changes === 1
  );
}

/** Deletes every link that expired before `before`, used or not. Returns how many. */
export function deleteAuthTokensExpiredBefore(db: DbOrTx, before: Date): number {
  return db.delete(authTokens).where(lt(authTokens.expiresAt, before)).run().changes;
}

/**
 * Only the newest token of a purpose is valid: older unused ones are dropped when a new one is
 * issued, and all of them when the account is secured (issue 13). Returns how many were dropped.
 */
export function deleteUnusedAuthTokens(db: DbOrTx, userId: string, purpose: AuthTokenPurpose): number {
  return db
    .delete(authTokens)
    .where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt)))
    .run().changes;
}

/** Whether a mailed link of this purpose could still be used (unused, not expired). */
export function hasLiveAuthToken(db: DbOrTx, userId: string, purpose: AuthTokenPurpose, now: Date): boolean {
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
export function findPendingEmailChangeDetails(
  db: DbOrTx,
  userId: string,
  now: Date,
): PendingEmailChangeRow | null {
  const row = pendingEmailChangeQuery(db).get({ userId, nowMs: now.getTime() });
  return row?.email ? { email: row.email, createdAt: row.createdAt, expiresAt: row.expiresAt } : null;
}

/** The address of a login e-mail change still awaiting confirmation, if any (every `GET /me`). */
export function findPendingEmailChange(db: DbOrTx, userId: string, now: Date): string | null {
  return findPendingEmailChangeDetails(db, userId, now)?.email ?? null;
}
