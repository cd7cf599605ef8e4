import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { registrationCodes } from '../schema/index.ts';

export type RegistrationCodeRow = typeof registrationCodes.$inferSelect;
export type NewRegistrationCodeRow = typeof registrationCodes.$inferInsert;

/** `codeHash` from `hashRegistrationCode` (server/auth/registration-code.ts). */
export async function findRegistrationCodeByHash(
  db: DbOrTx,
  codeHash: string,
): Promise<RegistrationCodeRow | undefined> {
  return db.select().from(registrationCodes).where(eq(registrationCodes.codeHash, codeHash)).get();
}

export async function insertRegistrationCode(
  db: DbOrTx,
  values: NewRegistrationCodeRow,
): Promise<RegistrationCodeRow> {
  return db.insert(registrationCodes).values(values).returning().get();
}

export async function markRegistrationCodeUsed(db: DbOrTx, id: string, at: Date): Promise<void> {
  db.update(registrationCodes).set({ usedAt: at }).where(eq(registrationCodes.id, id)).run();
}

/** Letter codes still usable: not used, not revoked, not expired (one query for many persons). */
export async function listPersonIdsWithOpenLetterCode(
  db: DbOrTx,
  personIds: string[],
  now: Date,
): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = db
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
    )
    .all();
  return new Set(rows.map((row) => row.personId));
}

/** A lost or reprinted letter: every open letter code of these persons stops working. */
export async function revokeOpenLetterCodes(db: DbOrTx, personIds: string[], at: Date): Promise<void> {
  if (personIds.length === 0) return;
  db.update(registrationCodes)
    .set({ revokedAt: at })
    .where(
      and(
        inArray(registrationCodes.personId, personIds),
        eq(registrationCodes.purpose, 'letter'),
        isNull(registrationCodes.usedAt),
        isNull(registrationCodes.revokedAt),
      ),
    )
    .run();
}
