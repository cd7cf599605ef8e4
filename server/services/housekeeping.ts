import { deleteAuthTokensExpiredBefore } from '../../db/repositories/auth-tokens.ts';
import { deleteExpiredSessions } from '../../db/repositories/sessions.ts';
import { unitOfWork } from '../unit-of-work/index.ts';
import type { Deps } from '../deps.ts';
import { runPeriodically } from '../lib/periodic.ts';
import { deleteFinishedDeliveriesBefore } from '../../db/repositories/webhooks.ts';
import { sweepHouseholdInvitations } from './household.ts';

const day = 24 * 60 * 60 * 1000;
/** An expired e-mail link is kept this long, so a late click still hears "expired", not "unknown". */
export const expiredLinkGraceMs = 30 * day;

export interface SweepResult {
  sessions: number;
  authTokens: number;
  /** Household invitations expired (or withdrawn) unused, deleted with the person each created. */
  invitations: number;
}

/**
 * Deletes rows that only age: sessions past their expiry (a cookie naming one is refused and
 * cleared all the same, and nobody returns to most of them to trigger that) and e-mail links
 * (verification, password reset, e-mail change) expired more than a month ago. Without this the
 * tables grow with every login and every mail, forever. An unused household invitation leaves
 * nothing behind once it has expired: its code and the invitee's person go (the address and name
 * were only ever needed for the invitation).
 */
export async function sweepExpired(deps: Deps): Promise<SweepResult> {
  const now = deps.now();
  return await unitOfWork(deps, async ({ tx }) => ({
    sessions: await deleteExpiredSessions(tx, now),
    authTokens: await deleteAuthTokensExpiredBefore(tx, new Date(now.getTime() - expiredLinkGraceMs)),
    invitations: await sweepHouseholdInvitations(tx, now),
  }));
}

/** Finished webhook deliveries (delivered or dead) are kept this long for the console, then go. */
export const webhookDeliveryRetentionMs = 30 * day;

/** The webhook outbox would otherwise grow with every ticket change, forever. */
export async function sweepWebhookDeliveries(deps: Deps): Promise<number> {
  return await deleteFinishedDeliveriesBefore(
    deps.db,
    new Date(deps.now().getTime() - webhookDeliveryRetentionMs),
  );
}

/** Runs `sweepExpired` at start and every `intervalMs` (server/main.ts, beside the outbox worker). */
export function startHousekeeping(deps: Deps, intervalMs = 6 * 60 * 60 * 1000): () => void {
  return runPeriodically(deps, 'housekeeping', intervalMs, async () => {
    await sweepExpired(deps);
    await sweepWebhookDeliveries(deps);
  });
}
