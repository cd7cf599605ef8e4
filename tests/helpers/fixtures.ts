import type { Db } from '../../db/client.ts';
import { tablesOf } from '../../db/dialect.ts';
import { insertUser, type PersonRow, type UserRow } from '../../db/repositories/users.ts';
import {
  insertRegistrationCode,
  type RegistrationCodeRow,
} from '../../db/repositories/registration-codes.ts';
import { putSetting } from '../../db/repositories/settings.ts';
import { hashPassword } from '../../server/auth/password-hash.ts';
import { hashRegistrationCode } from '../../server/auth/registration-code.ts';
import type { PasswordPolicy } from '../../server/auth/password-policy.ts';

/** A password that satisfies the default policy and no personal-data rule of the fixtures below. */
export const strongPassword = 'Quartz-Violin-Harbour-88';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

export interface PersonInput {
  firstName?: string | null;
  lastName?: string | null;
  organisationName?: string | null;
  customerNumber?: string | null;
  language?: 'de' | 'en' | 'sv';
}

/** A natural person (tenant) without contracts: accounts need no more than this. */
export async function createPerson(db: Db, input: PersonInput = {}): Promise<PersonRow> {
  const [person] = await db
    .insert(tablesOf(db).persons)
    .values({
      kind: input.organisationName ? 'organisation' : 'natural',
      firstName: input.firstName === undefined ? 'Erika' : input.firstName,
      lastName: input.lastName === undefined ? 'Mustermann' : input.lastName,
      organisationName: input.organisationName ?? null,
      customerNumber: input.customerNumber ?? null,
      language: input.language ?? 'de',
    })
    .returning();
  return person!;
}

export interface UserInput extends PersonInput {
  email?: string;
  password?: string;
  role?: 'customer' | 'staff' | 'admin';
  verified?: boolean;
  disabled?: boolean;
  userLanguage?: 'de' | 'en' | 'sv';
}

export interface UserFixture {
  user: UserRow;
  person: PersonRow;
  email: string;
  password: string;
}

/** A person with a login (verified unless told otherwise) and the given password. */
export async function createUser(db: Db, input: UserInput = {}): Promise<UserFixture> {
  const person = await createPerson(db, input);
  const email = (input.email ?? `tenant-${unique()}@example.org`).toLowerCase();
  const password = input.password ?? strongPassword;
  const user = await insertUser(db, {
    personId: person.id,
    loginEmail: email,
    passwordHash: await hashPassword(password),
    role: input.role ?? 'customer',
    language: input.userLanguage ?? input.language ?? 'de',
    emailVerifiedAt: input.verified === false ? null : new Date(),
    disabledAt: input.disabled ? new Date() : null,
  });
  return { user, person, email, password };
}

export interface CodeInput {
  code?: string;
  expiresAt?: Date | null;
  usedAt?: Date | null;
  revokedAt?: Date | null;
}

/** A registration letter's code for the person (only its hash is stored, like the real thing). */
export async function createRegistrationCode(
  db: Db,
  personId: string,
  input: CodeInput = {},
): Promise<{ code: string; row: RegistrationCodeRow }> {
  const code = input.code ?? `TEST-${unique().toUpperCase()}`;
  const row = await insertRegistrationCode(db, {
    personId,
    codeHash: hashRegistrationCode(code),
    expiresAt: input.expiresAt ?? null,
    usedAt: input.usedAt ?? null,
    revokedAt: input.revokedAt ?? null,
  });
  return { code, row };
}

export async function setPasswordPolicy(db: Db, policy: Partial<PasswordPolicy>): Promise<void> {
  await putSetting(db, 'password_policy', policy, new Date());
}
