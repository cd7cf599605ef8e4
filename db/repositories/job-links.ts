import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { jobLinks } from '../schema/index.ts';

export type JobLinkRow = typeof jobLinks.$inferSelect;

export async function insertJobLink(db: DbOrTx, row: typeof jobLinks.$inferInsert): Promise<JobLinkRow> {
  return db.insert(jobLinks).values(row).returning().get();
}

export async function findJobLink(db: DbOrTx, id: string): Promise<JobLinkRow | undefined> {
  return db.select().from(jobLinks).where(eq(jobLinks.id, id)).get();
}

/** Revokes the link once; false when it was revoked before or does not exist. */
export async function revokeJobLink(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  return (
    db
      .update(jobLinks)
      .set({ revokedAt: at })
      .where(and(eq(jobLinks.id, id), isNull(jobLinks.revokedAt)))
      .run().changes > 0
  );
}

/** Revokes every open link of a ticket (a new dispatch, a closed ticket). Answers how many. */
export async function revokeJobLinksOfTicket(db: DbOrTx, ticketId: string, at: Date): Promise<number> {
  return db
    .update(jobLinks)
    .set({ revokedAt: at })
    .where(and(eq(jobLinks.ticketId, ticketId), isNull(jobLinks.revokedAt)))
    .run().changes;
}
