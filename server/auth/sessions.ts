import type { Db } from '../../db/client.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import {
  deleteSession,
  extendSession,
  findSessionWithUser,
  insertSession,
} from '../../db/repositories/sessions.ts';
import type { SessionInfo, SessionUser } from '../lib/context.ts';
import type { RequestMeta } from '../lib/request-meta.ts';
import { issueToken, parseToken, secretMatches } from './session-token.ts';

const day = 24 * 60 * 60 * 1000;
/** Sliding expiry: a session lives 30 days after its last renewal … */
export const sessionLifetimeMs = 30 * day;
/** … and is renewed when less than half of that remains, so an active user stays signed in. */
const renewBelowMs = sessionLifetimeMs / 2;

export interface CreatedSession {
  id: string;
  /** The cookie value `id.secret`; only its secret's SHA-256 is stored. */
  token: string;
  expiresAt: Date;
}

export async function createSession(
  db: DbOrTx,
  userId: string,
  now: Date,
  meta: RequestMeta,
): Promise<CreatedSession> {
  const { id, token, secretHash } = issueToken();
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  await insertSession(db, {
    id,
    userId,
    secretHash,
    createdAt: now,
    lastVerifiedAt: now,
    expiresAt,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
    ipAddress: meta.ip,
  });
  return { id, token, expiresAt };
}

export interface ValidSession {
  user: SessionUser;
  session: SessionInfo;
  /** The expiry moved: the cookie must be sent again with the new date. */
  renewed: boolean;
}

/**
 * Lucia guide "validateSessionToken": look up by id, compare the secret's hash in constant
 * time, refuse and delete expired sessions, slide the expiry forward. Null for anything invalid.
 */
export async function validateSessionToken(
  db: Db,
  token: string | undefined,
  now: Date,
): Promise<ValidSession | null> {
  const parsed = parseToken(token);
  if (!parsed) return null;
  const row = await findSessionWithUser(db, parsed.id);
  if (!row || !secretMatches(parsed.secret, row.session.secretHash)) return null;
  const { session, user } = row;
  if (session.expiresAt.getTime() <= now.getTime()) {
    await deleteSession(db, session.id);
    return null;
  }
  let expiresAt = session.expiresAt;
  let renewed = false;
  if (expiresAt.getTime() - now.getTime() < renewBelowMs) {
    expiresAt = new Date(now.getTime() + sessionLifetimeMs);
    await extendSession(db, session.id, expiresAt, now);
    renewed = true;
  }
  return { user, session: { id: session.id, expiresAt }, renewed };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await deleteSession(db, sessionId);
}
