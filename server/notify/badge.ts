import { countBadgeParts } from '../../db/repositories/badge.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { Config } from '../config.ts';
import { todayIn } from '../lib/dates.ts';

/**
 * The app badge (Badging API; issue 6 item 3 "app badge count"): how many things wait for the tenant,
 * counted from what the data model already marks read or unread, so opening the thing lowers it:
 *
 *  - requests with a public staff reply newer than their read mark (ticket_reads; the request page
 *    marks it when shown — seed 004 "mail on every staff reply", the reply is what they wait for),
 *  - documents they have never opened (document_reads, the proof of delivery; seed 001 "neues
 *    Dokument" — the same number as "new documents" on the start page),
 *  - current IMPORTANT notices they have not read (notice_reads; normal notices stay on the board
 *    without nagging, as they push at most hourly: DESIGN.md).
 *
 * Status changes and incidents are not counted: they carry no read mark of their own. The push
 * channel computes it when the worker SENDS a push (not when queued), so a document read between
 * queueing and sending is already off; GET /api/home returns the same number for the page to set.
 */
type BadgeDeps = { db: DbOrTx; config: Pick<Config, 'timeZone'>; now: () => Date };

export async function appBadgesOf(deps: BadgeDeps, userIds: readonly string[]): Promise<Map<string, number>> {
  const now = deps.now();
  const parts = await countBadgeParts(deps.db, userIds, now, todayIn(deps.config.timeZone, now));
  return new Map([...parts].map(([userId, part]) => [userId, part.tickets + part.documents + part.notices]));
}

/** One customer's badge; null for staff accounts (no tenant app icon to badge). */
export async function appBadgeOf(deps: BadgeDeps, userId: string): Promise<number | null> {
  return (await appBadgesOf(deps, [userId])).get(userId) ?? null;
}
