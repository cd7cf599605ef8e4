import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { jobLinks } from '../schema/index.ts';
import { changedRows, first, tablesOf } from '../dialect.ts';

export type JobLinkRow = typeof jobLinks.$inferSelect;

export async function insertJobLink(db: DbOrTx, row: typeof jobLinks.$inferInsert): Promise<JobLinkRow> {
  const { jobLinks } = tablesOf(db);
  return (await first(db.insert(jobLinks).values(row).returning()))!;
}

export async function findJobLink(db: DbOrTx, id: string): Promise<JobLinkRow | undefined> {
  const { jobLinks } = tablesOf(db);
  return await first(db.select().from(jobLinks).where(eq(jobLinks.id, id)));
}

/** Revokes the link once; false when it was revoked before or does not exist. */
export async function revokeJobLink(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  const { jobLinks } = tablesOf(db);
  return (
    changedRows(
      await db
        .update(jobLinks)
        .set({ revokedAt: at })
        .where(and(eq(jobLinks.id, id), isNull(jobLinks.revokedAt))),
    ) > 0
  );
}

/** Revokes every open link of a ticket (a new dispatch, a closed ticket). Answers how many. */
export async function revokeJobLinksOfTicket(db: DbOrTx, ticketId: string, at: Date): Promise<number> {
  const { jobLinks } = tablesOf(db);
  return changedRows(
    await db
      .update(jobLinks)
      .set({ revokedAt: at })
      .where(and(eq(jobLinks.ticketId, ticketId), isNull(jobLinks.revokedAt))),
  );
}
