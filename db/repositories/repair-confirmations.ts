import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { repairConfirmations } from '../schema/index.ts';
import { changedRows, first, tablesOf } from '../dialect.ts';

/** The tenant's word on a finished repair (db/schema/repair-confirmations.ts). */
export type RepairConfirmationRow = typeof repairConfirmations.$inferSelect;
export type NewRepairConfirmationRow = typeof repairConfirmations.$inferInsert;

/** A confirmation with the name of the contractor it concerns. */
export interface RepairConfirmationWithContractor {
  confirmation: RepairConfirmationRow;
  contractorName: string;
}

export async function insertRepairConfirmation(
  db: DbOrTx,
  row: NewRepairConfirmationRow,
): Promise<RepairConfirmationRow> {
  const { repairConfirmations } = tablesOf(db);
  return (await db.insert(repairConfirmations).values(row).returning())[0]!;
}

/**
 * What the ticket's page shows: the open question if there is one (a later job may be asked while
 * an earlier answer stands), else the latest answered one; undefined when none was ever asked.
 */
export async function findCurrentRepairConfirmation(
  db: DbOrTx,
  ticketId: string,
): Promise<RepairConfirmationWithContractor | undefined> {
  const { contractors, repairConfirmations } = tablesOf(db);
  const select = () =>
    db
      .select({ confirmation: repairConfirmations, contractorName: contractors.name })
      .from(repairConfirmations)
      .innerJoin(contractors, eq(contractors.id, repairConfirmations.contractorId));
  const byNewest = [desc(repairConfirmations.askedAt), desc(repairConfirmations.id)] as const;
  return (
    (await first(
      select()
        .where(and(eq(repairConfirmations.ticketId, ticketId), eq(repairConfirmations.state, 'asked')))
        .orderBy(...byNewest)
        .limit(1),
    )) ??
    (await first(
      select()
        .where(eq(repairConfirmations.ticketId, ticketId))
        .orderBy(...byNewest)
        .limit(1),
    ))
  );
}

/**
 * Stores the tenant's answer if the question is still open; the changed count is 0 when someone
 * of the household answered meanwhile (the caller answers 409).
 */
export async function answerRepairConfirmation(
  db: DbOrTx,
  id: string,
  answer: {
    state: 'fixed' | 'not_fixed';
    rating: number | null;
    comment: string | null;
    answeredAt: Date;
    answeredByUserId: string;
  },
): Promise<number> {
  const { repairConfirmations } = tablesOf(db);
  return changedRows(
    await db
      .update(repairConfirmations)
      .set(answer)
      .where(and(eq(repairConfirmations.id, id), eq(repairConfirmations.state, 'asked'))),
  );
}
