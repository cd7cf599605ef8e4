import { and, eq, gt, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '../transaction.ts';
import type { numberSignups } from '../schema/index.ts';
import { changedRows, first, tablesOf } from '../dialect.ts';

export type NumberSignupRow = typeof numberSignups.$inferSelect;
export type NewNumberSignupRow = typeof numberSignups.$inferInsert;
export type NumberKind = 'organisation' | 'customer';

/** Numbers are typed from paper or a register extract: spaces and dashes do not matter. */
const normalised = (column: SQLiteColumn) =>
  sql<string>`replace(replace(upper(${column}), ' ', ''), '-', '')`;

/**
 * The persons a number names who are main or co-tenant on a contract that runs today. An
 * organisation number only names organisations; a customer number anyone.
 */
export async function listSignupCandidates(db: DbOrTx, kind: NumberKind, number: string, today: string) {
  const { contractParties, contracts, persons } = tablesOf(db);
  const matches =
    kind === 'organisation'
      ? and(eq(persons.kind, 'organisation'), eq(normalised(persons.organisationNumber), number))
      : eq(normalised(persons.customerNumber), number);
  const rows = await db
    .selectDistinct({ person: persons })
    .from(persons)
    .innerJoin(contractParties, eq(contractParties.personId, persons.id))
    .innerJoin(contracts, eq(contracts.id, contractParties.contractId))
    .where(
      and(
        matches,
        inArray(contractParties.role, ['main_tenant', 'co_tenant']),
        or(isNull(contractParties.until), gte(contractParties.until, today)),
        lte(contracts.startDate, today),
        or(isNull(contracts.endDate), gte(contracts.endDate, today)),
      ),
    );
  return rows.map((row) => row.person);
}

export async function insertNumberSignup(db: DbOrTx, values: NewNumberSignupRow): Promise<void> {
  const { numberSignups } = tablesOf(db);
  await db.insert(numberSignups).values(values);
}

export async function findNumberSignup(db: DbOrTx, id: string): Promise<NumberSignupRow | undefined> {
  const { numberSignups } = tablesOf(db);
  return await first(db.select().from(numberSignups).where(eq(numberSignups.id, id)));
}

export async function setNumberSignupCode(
  db: DbOrTx,
  id: string,
  values: { channel: 'email' | 'sms'; codeHash: string; codeExpiresAt: Date },
): Promise<void> {
  const { numberSignups } = tablesOf(db);
  await db
    .update(numberSignups)
    .set({ ...values, wrongCodes: 0, codesSent: sql`${numberSignups.codesSent} + 1` })
    .where(eq(numberSignups.id, id));
}

export async function countWrongSignupCode(db: DbOrTx, id: string): Promise<void> {
  const { numberSignups } = tablesOf(db);
  await db
    .update(numberSignups)
    .set({ wrongCodes: sql`${numberSignups.wrongCodes} + 1` })
    .where(eq(numberSignups.id, id));
}

/** Single use: only the first caller completes it; a concurrent second one gets false. */
export async function completeNumberSignup(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  const { numberSignups } = tablesOf(db);
  return (
    changedRows(
      await db
        .update(numberSignups)
        .set({ completedAt: at })
        .where(and(eq(numberSignups.id, id), isNull(numberSignups.completedAt))),
    ) === 1
  );
}

/** Open sign-ups of the person end when one completes (or a new one starts). */
export async function endOpenNumberSignupsOf(db: DbOrTx, personId: string, at: Date): Promise<void> {
  const { numberSignups } = tablesOf(db);
  await db
    .update(numberSignups)
    .set({ expiresAt: at })
    .where(
      and(
        eq(numberSignups.personId, personId),
        isNull(numberSignups.completedAt),
        gt(numberSignups.expiresAt, at),
      ),
    );
}

/** Ended sign-ups (with their password hashes) go once they are past any use. Returns how many. */
export async function deleteNumberSignupsExpiredBefore(db: DbOrTx, before: Date): Promise<number> {
  const { numberSignups } = tablesOf(db);
  return changedRows(await db.delete(numberSignups).where(lt(numberSignups.expiresAt, before)));
}
