import { z } from 'zod';
import { dictionary } from '@zxcvbn-ts/language-common';
import type { PasswordPolicyDto, PasswordViolation } from '../../shared/api/auth.ts';

/**
 * The password policy. Default per NIST SP 800-63B rev. 4 (3.1.1.2) and OWASP ASVS 5.0 (V6.2):
 * at least 12 characters, at most 128, no composition rules, refused when it is a commonly
 * used password or contains the person's name or e-mail. A landlord can mirror its existing
 * policy with composition rules stored in `settings.password_policy` (the seeds show three:
 * see tests/unit/password-policy.test.ts).
 */
export const personalFields = [
  'firstName',
  'lastName',
  'organisationName',
  'emailLocalPart',
  'email',
] as const;
export type PersonalField = (typeof personalFields)[number];

const count = z.int().min(0).max(64);

export const passwordPolicySchema = z
  .strictObject({
    /** Unicode code points after NFC (NIST counts each code point as one character). */
    minLength: z.int().min(1).max(128),
    /** NIST: allow at least 64. 128 is also the hard cap of the request schemas. */
    maxLength: z.int().min(64).max(128),
    minLowercase: count,
    minUppercase: count,
    minDigits: count,
    /** Anything that is neither a letter nor a digit (seed 004: "icke alfanumeriskt tecken"). */
    minSymbols: count,
    /**
     * null: refuse a password that contains a whole part (≥ 3 characters) of the personal data,
     * e.g. "Mustermann" or "erika" (NIST "context-specific words").
     * n: refuse any run of n + 1 consecutive characters taken from the personal data; 2 is
     * seed 002's "nicht drei gleiche Zeichen aus Ihrem Nachnamen bzw. Ihrer E-Mail-Adresse".
     */
    maxPersonalRun: z.int().min(1).max(32).nullable(),
    /** Which personal data the rule above looks at. */
    personalFields: z.array(z.enum(personalFields)),
    /** Refuse the common passwords shipped with @zxcvbn-ts/language-common. */
    blockCommon: z.boolean(),
  })
  .refine((p) => p.minLength <= p.maxLength, { path: ['minLength'], message: 'min_above_max' })
  .refine((p) => p.minLowercase + p.minUppercase + p.minDigits + p.minSymbols <= p.maxLength, {
    path: ['maxLength'],
    message: 'unsatisfiable',
  });

export type PasswordPolicy = z.infer<typeof passwordPolicySchema>;

export const defaultPasswordPolicy: PasswordPolicy = {
  minLength: 12,
  maxLength: 128,
  minLowercase: 0,
  minUppercase: 0,
  minDigits: 0,
  minSymbols: 0,
  maxPersonalRun: null,
  personalFields: ['firstName', 'lastName', 'organisationName', 'emailLocalPart'],
  blockCommon: true,
};

/** The stored setting is a partial override of the default; anything invalid falls back to the default. */
export function resolvePasswordPolicy(stored: unknown): PasswordPolicy {
  if (stored === undefined || stored === null) return defaultPasswordPolicy;
  if (typeof stored !== 'object' || Array.isArray(stored)) return defaultPasswordPolicy;
  const result = passwordPolicySchema.safeParse({ ...defaultPasswordPolicy, ...stored });
  return result.success ? result.data : defaultPasswordPolicy;
}

export function passwordPolicyDto(policy: PasswordPolicy): PasswordPolicyDto {
  return {
    minLength: policy.minLength,
    maxLength: policy.maxLength,
    minLowercase: policy.minLowercase,
    minUppercase: policy.minUppercase,
    minDigits: policy.minDigits,
    minSymbols: policy.minSymbols,
    maxPersonalRun: policy.maxPersonalRun,
    blocksCommonPasswords: policy.blockCommon,
  };
}

export interface PersonalData {
  firstName?: string | null;
  lastName?: string | null;
  organisationName?: string | null;
  email?: string | null;
}

let commonPasswords: Set<string> | undefined;
/** ~49 000 leaked and common passwords, lower-case (zxcvbn's "passwords-common"). Loaded on first use. */
function isCommon(lowerCased: string): boolean {
  commonPasswords ??= new Set(dictionary['passwords-common']);
  if (commonPasswords.has(lowerCased)) return true;
  // "Password123!" and "!!sommer2026" are the list word with predictable decoration (NIST "expected").
  const core = lowerCased.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return core.length >= 3 && core !== lowerCased && commonPasswords.has(core);
}

/** Case- and accent-insensitive form for comparing with names: "Rosén" ~ "rosen", "MÜLLER" ~ "muller". */
function fold(value: string): string {
  return value.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Name particles that are words of their own and would refuse half the German dictionary ("Wanderweg"). */
const nameParticles = new Set([
  'von',
  'van',
  'der',
  'den',
  'del',
  'des',
  'dos',
  'das',
  'zum',
  'zur',
  'ten',
  'ter',
]);

function personalValues(personal: PersonalData, fields: readonly PersonalField[]): string[] {
  const email = personal.email?.trim() ?? '';
  const values: Record<PersonalField, string> = {
    firstName: personal.firstName ?? '',
    lastName: personal.lastName ?? '',
    organisationName: personal.organisationName ?? '',
    emailLocalPart: email.includes('@') ? email.slice(0, email.lastIndexOf('@')) : email,
    email,
  };
  return fields.map((field) => fold(values[field])).filter((value) => value.length > 0);
}

/**
 * Whole-part mode: the letter runs and digit runs of each value ("max.mustermann84" → max,
 * mustermann, 84), kept when at least 3 characters long and not a name particle.
 * Run mode: every substring of length maxRun + 1 of each value.
 */
function containsPersonalData(password: string, policy: PasswordPolicy, personal: PersonalData): boolean {
  const haystack = fold(password);
  const values = personalValues(personal, policy.personalFields);
  if (policy.maxPersonalRun === null) {
    return values
      .flatMap((value) => value.match(/\p{L}+|\p{N}+/gu) ?? [])
      .some((part) => [...part].length >= 3 && !nameParticles.has(part) && haystack.includes(part));
  }
  const window = policy.maxPersonalRun + 1;
  return values.some((value) => {
    const chars = [...value];
    for (let i = 0; i + window <= chars.length; i++) {
      if (haystack.includes(chars.slice(i, i + window).join(''))) return true;
    }
    return false;
  });
}

const countMatches = (chars: string[], pattern: RegExp) => chars.filter((ch) => pattern.test(ch)).length;

/** Every rule the password breaks, most fundamental first; empty when it is acceptable. */
export function checkPassword(
  password: string,
  policy: PasswordPolicy,
  personal: PersonalData = {},
): PasswordViolation[] {
  const normalized = password.normalize('NFC');
  const chars = [...normalized];
  const violations: PasswordViolation[] = [];
  if (chars.length < policy.minLength) violations.push('password_too_short');
  if (chars.length > policy.maxLength) violations.push('password_too_long');
  if (policy.blockCommon && isCommon(normalized.toLowerCase())) violations.push('password_common');
  if (containsPersonalData(normalized, policy, personal)) violations.push('password_personal');
  if (countMatches(chars, /\p{Ll}/u) < policy.minLowercase) violations.push('password_needs_lowercase');
  if (countMatches(chars, /\p{Lu}/u) < policy.minUppercase) violations.push('password_needs_uppercase');
  if (countMatches(chars, /\p{Nd}/u) < policy.minDigits) violations.push('password_needs_digits');
  if (countMatches(chars, /[^\p{L}\p{N}]/u) < policy.minSymbols) violations.push('password_needs_symbols');
  return violations;
}
