/**
 * Swedish OCR payment references (seed 004: "OCR-raden" on every hyresavi).
 *
 * Bankgirot's OCR reference check ("OCR-referenskontroll", bankgirot.se) knows two shapes: the base
 * followed by a check digit ("checksifferkontroll"), or the base followed by a length digit and a check
 * digit ("längdkontroll"), which some Bankgiro agreements demand. Which one is the landlord's setting
 * (`payment_accounts` → `SEK.ocrLengthDigit`, server/services/landlord.ts). The length digit is the
 * reference's whole length, length and check digit included, modulo 10; the check digit is modulus 10
 * (Luhn) over everything before it, the same algorithm as the last digit of a Swedish personnummer.
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

/** The OCR number with a length digit: base + length digit + Luhn check digit over both. */
export function ocrWithLengthDigit(base: string): string {
  if (!/^\d{1,23}$/.test(base)) throw new Error('OCR base must be 1–23 digits with a length digit');
  return ocrWithCheckDigit(base + String((base.length + 2) % 10));
}

/** The OCR number for a base reference under the landlord's agreement. */
export function ocrReference(base: string, { lengthDigit = false }: { lengthDigit?: boolean } = {}): string {
  return lengthDigit ? ocrWithLengthDigit(base) : ocrWithCheckDigit(base);
}

/** Whether the digit before the check digit states the reference's length (modulo 10). */
export function hasValidOcrLength(ocr: string): boolean {
  return isValidOcr(ocr) && ocr.length >= 3 && Number(ocr.at(-2)) === ocr.length % 10;
}

/** Whether an OCR number's last digit is its Luhn check digit. */
export function isValidOcr(ocr: string): boolean {
  if (!/^\d{2,25}$/.test(ocr)) return false;
  return luhnCheckDigit(ocr.slice(0, -1)) === Number(ocr.slice(-1));
}
