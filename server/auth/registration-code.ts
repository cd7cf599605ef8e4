import { createHash } from 'node:crypto';

/**
 * Codes are printed on letters and typed by people: case, spaces and dashes do not matter.
 * "demo-2026-reg1", "DEMO 2026 REG1" and "DEMO-2026-REG1" are the same code.
 */
export function normalizeRegistrationCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]+/g, '');
}

/** Only this hash is stored; the code itself exists only on paper (or in the invitation mail). */
export function hashRegistrationCode(code: string): string {
  return createHash('sha256').update(normalizeRegistrationCode(code)).digest('hex');
}
