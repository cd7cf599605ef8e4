import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { changedRows, first, isPostgres, preparedRead, tablesOf } from '../dialect.ts';
import type { DbOrTx } from '../transaction.ts';
import type { authTokens } from '../schema/index.ts';

export type AuthTokenRow = typeof authTokens.$inferSelect;
export type NewAuthTokenRow = typeof authTokens.$inferInsert;
export type AuthTokenPurpose = AuthTokenRow['purpose'];

export async function insertAuthToken(db: DbOrTx, values: NewAuthTokenRow): Promise<void> {
  const { authTokens } = tablesOf(db);
  await db.insert(authTokens).values(values);
}

export async function findAuthToken(
  db: DbOrTx,
  id: string,
  purpose: AuthTokenPurpose,
): Promise<AuthTokenRow | undefined> {
  const { authTokens } = tablesOf(db);
  return await first(
    db
      .select()
      .from(authTokens)
      .where(and(eq(authTokens.id, id), eq(authTokens.purpose, purpose))),
  );
}

/**
 * Single use: only the first caller flips `usedAt` from null; a concurrent second one gets false.
 */
export async function consumeAuthToken(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  const { authTokens } = tablesOf(db);
  return (
    changedRows(
      await db
        .update(authTokens)
        .set({ usedAt: at })
        .where(and(eq(authTokens.id, id), isNull(authTokens.usedAt))),
    ) === 1
  );
}

/** Deletes every link that expired before `before`, used or not. Returns how many. */
export async function deleteAuthTokensExpiredBefore(db: DbOrTx, before: Date): Promise<number> {
  const { authTokens } = tablesOf(db);
  return changedRows(await db.delete(authTokens).where(lt(authTokens.expiresAt, before)));
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
  const { authTokens } = tablesOf(db);
  return changedRows(
    await db
      .delete(authTokens)
      .where(and(eq(authTokens.userId, userId), eq(authTokens.purpose, purpose), isNull(authTokens.usedAt))),
  );
}

/** Whether a mailed link of this purpose could still be used (unused, not expired). */
export async function hasLiveAuthToken(
  db: DbOrTx,
  userId: string,
  purpose: AuthTokenPurpose,
  now: Date,
): Promise<boolean> {
  const { authTokens } = tablesOf(db);
  const row = await first(
    db
      .select({ id: authTokens.id })
      .from(authTokens)
      .where(
        and(
          eq(authTokens.userId, userId),
          eq(authTokens.purpose, purpose),
          isNull(authTokens.usedAt),
          gt(authTokens.expiresAt, now),
        ),
      ),
  );
  return row !== undefined;
}

const pendingEmailChangeQuery = preparedRead((db, { authTokens }) =>
  db
    .select({ email: authTokens.email, createdAt: authTokens.createdAt, expiresAt: authTokens.expiresAt })
    .from(authTokens)
    .where(
      and(
        eq(authTokens.userId, sql.placeholder('userId')),
        eq(authTokens.purpose, 'change_email'),
        isNull(authTokens.usedAt),
        // A bare placeholder in a comparison is not encoded by drizzle: it gets the driver value
        // (`nowValue`: milliseconds on SQLite, a Date for PostgreSQL's timestamp).
        gt(authTokens.expiresAt, sql.placeholder('nowValue')),
      ),
    )
    .orderBy(desc(authTokens.createdAt), desc(authTokens.id))
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
  const row = await pendingEmailChangeQuery.get(db, {
    userId,
    nowValue: isPostgres(db) ? now : now.getTime(),
  });
  return row?.email ? { email: row.email, createdAt: row.createdAt, expiresAt: row.expiresAt } : null;
}

/** The address of a login e-mail change still awaiting confirmation, if any (every `GET /me`). */
export async function findPendingEmailChange(db: DbOrTx, userId: string, now: Date): Promise<string | null> {
  return (await findPendingEmailChangeDetails(db, userId, now))?.email ?? null;
}
