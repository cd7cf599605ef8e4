import { tick } from 'svelte';
import type { z } from 'zod';
import type { PasswordPolicyDto } from '../../shared/api/auth.ts';
import { ApiError } from './api.ts';

/** Field name → problem code; components turn codes into text at render time (so a language switch re-translates). */
export type FieldCodes = Record<string, string>;

/** zod issues → first problem code per field, the same reduction the server applies to `error.fields`. */
export function fieldCodes(error: z.ZodError): FieldCodes {
  const fields: FieldCodes = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code;
  }
  return fields;
}

export type Validated<T> = { ok: true; data: T } | { ok: false; fields: FieldCodes };

/** Runs the shared request schema in the browser before submitting; the server stays the authority. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): Validated<z.infer<S>> {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, data: result.data } : { ok: false, fields: fieldCodes(result.error) };
}

/** Field codes from a `validation_failed` answer, renamed to the form's field names where they differ. */
export function serverFieldCodes(error: unknown, rename: Record<string, string> = {}): FieldCodes {
  if (!(error instanceof ApiError)) return {};
  const fields: FieldCodes = {};
  for (const [key, code] of Object.entries(error.fields)) fields[rename[key] ?? key] = code;
  return fields;
}

/** Moves focus to the first invalid control so keyboard and screen-reader users land on the problem. */
export async function focusFirstInvalid(form: HTMLFormElement | undefined): Promise<void> {
  await tick();
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

export type PasswordRule = 'length' | 'lowercase' | 'uppercase' | 'digits' | 'symbols';

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

/** The composition rules the landlord configured, each with whether `password` meets it yet. */
export function passwordRuleChecks(
  password: string,
  policy: PasswordPolicyDto,
): { rule: PasswordRule; min: number; met: boolean }[] {
  const checks: { rule: PasswordRule; min: number; met: boolean }[] = [
    // Length in code points: NIST 800-63B counts each Unicode character once.
    { rule: 'length', min: policy.minLength, met: [...password].length >= policy.minLength },
    { rule: 'lowercase', min: policy.minLowercase, met: count(password, /\p{Ll}/gu) >= policy.minLowercase },
    { rule: 'uppercase', min: policy.minUppercase, met: count(password, /\p{Lu}/gu) >= policy.minUppercase },
    { rule: 'digits', min: policy.minDigits, met: count(password, /\p{Nd}/gu) >= policy.minDigits },
    { rule: 'symbols', min: policy.minSymbols, met: count(password, /[^\p{L}\p{N}]/gu) >= policy.minSymbols },
  ];
  return checks.filter((check) => check.rule === 'length' || check.min > 0);
}

const ruleProblem: Record<PasswordRule, string> = {
  length: 'password_too_short',
  lowercase: 'password_needs_lowercase',
  uppercase: 'password_needs_uppercase',
  digits: 'password_needs_digits',
  symbols: 'password_needs_symbols',
};

/** The first policy rule a new password breaks, as the server's code; blocklist and personal data stay server-side. */
export function passwordProblem(password: string, policy: PasswordPolicyDto | null): string | null {
  if (!password) return 'required';
  if (!policy) return null;
  if ([...password].length > policy.maxLength) return 'password_too_long';
  const failed = passwordRuleChecks(password, policy).find((check) => !check.met);
  return failed ? ruleProblem[failed.rule] : null;
}

/** Checks a new password and its repetition (fields `password` and `passwordRepeat`). */
export function newPasswordCodes(
  password: string,
  repeat: string,
  policy: PasswordPolicyDto | null,
): FieldCodes {
  const codes: FieldCodes = {};
  const problem = passwordProblem(password, policy);
  if (problem) codes.password = problem;
  if (!repeat) codes.passwordRepeat = 'required';
  else if (repeat !== password) codes.passwordRepeat = 'passwords_differ';
  return codes;
}

/**
 * Field codes for a failed submit: the server's `error.fields`, plus conflict codes that belong to one
 * field (e.g. `email_taken` → `email`), so the problem is shown next to the input it is about.
 */
export function failureFields(
  error: unknown,
  codeToField: Record<string, string>,
  rename: Record<string, string> = {},
): FieldCodes {
  const fields = serverFieldCodes(error, rename);
  if (error instanceof ApiError) {
    const field = codeToField[error.code];
    if (field) fields[field] = error.code;
  }
  return fields;
}
