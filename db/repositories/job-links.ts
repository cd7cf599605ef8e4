import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { jobLinks } from '../schema/index.ts';

export type JobLinkRow = typeof jobLinks.$inferSelect;

export function insertJobLink(db: DbOrTx, row: typeof jobLinks.$inferInsert): JobLinkRow {
  return db.insert(jobLinks).values(row).returning().get();
}

export function findJobLink(db: DbOrTx, id: string): JobLinkRow | undefined {
  return db.select().from(jobLinks).where(eq(jobLinks.id, id)).get();
}

/** Revokes the link once; false when it was revoked before or does not exist. */
export function revokeJobLink(db: DbOrTx, id: string, at: Date): boolean {
  return (
    db
      .update(jobLinks)
      .set({ revokedAt: at })
      .where(and(eq(jobLinks.id, id), isNull(jobLinks.revokedAt)))
      .run().changes > 0
  );
}

/** Revokes every open link of a ticket (a new dispatch, a closed ticket). Answers how many. */
export function revokeJobLinksOfTicket(db: DbOrTx, ticketId: string, at: Date): number {
  return db
    .update(jobLinks)
    .set({ revokedAt: at })
    .where(and(eq(jobLinks.ticketId, ticketId), isNull(jobLinks.revokedAt)))
    .run().changes;
}
