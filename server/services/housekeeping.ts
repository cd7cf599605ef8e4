import { deleteAuthTokensExpiredBefore } from '../../db/repositories/auth-tokens.ts';
import { deleteExpiredSessions } from '../../db/repositories/sessions.ts';
import { inTransaction } from '../../db/transaction.ts';
import type { Deps } from '../deps.ts';
import { runPeriodically } from '../lib/periodic.ts';

const day = 24 * 60 * 60 * 1000;
/** An expired e-mail link is kept this long, so a late click still hears "expired", not "unknown". */
export const expiredLinkGraceMs = 30 * day;

export interface SweepResult {
  sessions: number;
  authTokens: number;
}

/**
 * Deletes rows that only age: sessions past their expiry (a cookie naming one is refused and
 * cleared all the same, and nobody returns to most of them to trigger that) and e-mail links
 * (verification, password reset, e-mail change) expired more than a month ago. Without this the
 * tables grow with every login and every mail, forever.
 */
export function sweepExpired(deps: Deps): SweepResult {
  const now = deps.now();
  return inTransaction(deps.db, (tx) => ({
    sessions: deleteExpiredSessions(tx, now),
    authTokens: deleteAuthTokensExpiredBefore(tx, new Date(now.getTime() - expiredLinkGraceMs)),
  }));
}

/** Runs `sweepExpired` at start and every `intervalMs` (server/main.ts, beside the outbox worker). */
export function startHousekeeping(deps: Deps, intervalMs = 6 * 60 * 60 * 1000): () => void {
  return runPeriodically(deps, 'housekeeping', intervalMs, () => void sweepExpired(deps));
}
