/**
 * Swedish OCR payment references (seed 004: "OCR-raden" on every hyresavi).
 *
 * Bankgirot's OCR reference check ("OCR-referenskontroll", bankgirot.se) knows two shapes: the base
 * followed by a check digit, or the base followed by a length digit and a check digit. Portier uses
 * the first ("checksifferkontroll"), which every bank accepts; a landlord whose OCR agreement demands
 * the length digit would add it before the check digit. The check digit is modulus 10 (Luhn), the
 * same algorithm as the last digit of a Swedish personnummer or organisationsnummer.
 */

/** Luhn check digit for a digit string: double every second digit from the right, starting at the last. */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new Error('Luhn check digit needs a non-empty digit string');
  let sum = 0;
  for (let position = 0; position < digits.length; position++) {
    let digit = Number(digits[digits.length - 1 - position]);
    if (position % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** The OCR number for a base reference: base + Luhn check digit (no length digit). */
export function ocrWithCheckDigit(base: string): string {
  // Bankgirot allows at most 25 digits in an OCR reference, check digit included.
  if (!/^\d{1,24}$/.test(base)) throw new Error('OCR base must be 1–24 digits');
  return base + String(luhnCheckDigit(base));
}

/** Whether an OCR number's last digit is its Luhn check digit. */
export function isValidOcr(ocr: string): boolean {
  if (!/^\d{2,25}$/.test(ocr)) return false;
  return luhnCheckDigit(ocr.slice(0, -1)) === Number(ocr.slice(-1));
}
