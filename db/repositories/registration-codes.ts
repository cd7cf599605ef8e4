import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { registrationCodes } from '../schema/index.ts';

export type RegistrationCodeRow = typeof registrationCodes.$inferSelect;
export type NewRegistrationCodeRow = typeof registrationCodes.$inferInsert;

/** `codeHash` from `hashRegistrationCode` (server/auth/registration-code.ts). */
export function findRegistrationCodeByHash(db: DbOrTx, codeHash: string): RegistrationCodeRow | undefined {
  return db.select().from(registrationCodes).where(eq(registrationCodes.codeHash, codeHash)).get();
}

export function insertRegistrationCode(db: DbOrTx, values: NewRegistrationCodeRow): RegistrationCodeRow {
  return db.insert(registrationCodes).values(values).returning().get();
}

export function markRegistrationCodeUsed(db: DbOrTx, id: string, at: Date): void {
  db.update(registrationCodes).set({ usedAt: at }).where(eq(registrationCodes.id, id)).run();
}
