import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { registrationCodes } from '../schema/index.ts';
import { first, tablesOf } from '../dialect.ts';

export type RegistrationCodeRow = typeof registrationCodes.$inferSelect;
export type NewRegistrationCodeRow = typeof registrationCodes.$inferInsert;

/** `codeHash` from `hashRegistrationCode` (server/auth/registration-code.ts). */
export async function findRegistrationCodeByHash(
  db: DbOrTx,
  codeHash: string,
): Promise<RegistrationCodeRow | undefined> {
  const { registrationCodes } = tablesOf(db);
  return await first(db.select().from(registrationCodes).where(eq(registrationCodes.codeHash, codeHash)));
}

export async function insertRegistrationCode(
  db: DbOrTx,
  values: NewRegistrationCodeRow,
): Promise<RegistrationCodeRow> {
  const { registrationCodes } = tablesOf(db);
  return (await first(db.insert(registrationCodes).values(values).returning()))!;
}

export async function markRegistrationCodeUsed(db: DbOrTx, id: string, at: Date): Promise<void> {
  const { registrationCodes } = tablesOf(db);
  await db.update(registrationCodes).set({ usedAt: at }).where(eq(registrationCodes.id, id));
}

/** Letter codes still usable: not used, not revoked, not expired (one query for many persons). */
export async function listPersonIdsWithOpenLetterCode(
  db: DbOrTx,
  personIds: string[],
  now: Date,
): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const { registrationCodes } = tablesOf(db);
  const rows = await db
    .select({ personId: registrationCodes.personId })
    .from(registrationCodes)
    .where(
      and(
        inArray(registrationCodes.personId, personIds),
        eq(registrationCodes.purpose, 'letter'),
        isNull(registrationCodes.usedAt),
        isNull(registrationCodes.revokedAt),
        or(isNull(registrationCodes.expiresAt), gt(registrationCodes.expiresAt, now)),
      ),
    );
  return new Set(rows.map((row) => row.personId));
}

/** A lost or reprinted letter: every open letter code of these persons stops working. */
export async function revokeOpenLetterCodes(db: DbOrTx, personIds: string[], at: Date): Promise<void> {
  if (personIds.length === 0) return;
  const { registrationCodes } = tablesOf(db);
  await db
    .update(registrationCodes)
    .set({ revokedAt: at })
    .where(
      and(
        inArray(registrationCodes.personId, personIds),
        eq(registrationCodes.purpose, 'letter'),
        isNull(registrationCodes.usedAt),
        isNull(registrationCodes.revokedAt),
      ),
    );
}
