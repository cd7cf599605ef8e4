import { describe, expect, it } from 'vitest';
import {
  hasValidOcrLength,
  isValidOcr,
  luhnCheckDigit,
  ocrReference,
  ocrWithCheckDigit,
  ocrWithLengthDigit,
} from '../../server/pdf/ocr.ts';

describe('Luhn (modulus 10) check digit', () => {
  it('matches published examples', () => {
    // The textbook example "79927398713" and Skatteverket's personnummer 811218-9876.
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnCheckDigit('811218987')).toBe(6);
    // Organisationsnummer 556123-4567 is well formed.
    expect(luhnCheckDigit('556123456')).toBe(7);
  });

  it('rejects anything but digits', () => {
    expect(() => luhnCheckDigit('')).toThrow();
    expect(() => luhnCheckDigit('12a4')).toThrow();
  });
});

describe('OCR numbers (base + check digit, Bankgirot checksifferkontroll)', () => {
  it('appends the check digit', () => {
    expect(ocrWithCheckDigit('12345')).toBe('123455');
    expect(ocrWithCheckDigit('0')).toBe('00');
    expect(ocrWithCheckDigit('20060012605')).toMatch(/^20060012605\d$/);
  });

  it('limits the base so the OCR stays within 25 digits', () => {
    expect(ocrWithCheckDigit('1'.repeat(24))).toHaveLength(25);
    expect(() => ocrWithCheckDigit('1'.repeat(25))).toThrow();
    expect(() => ocrWithCheckDigit('12 34')).toThrow();
  });

  it('validates what it produces and catches single-digit errors and swaps', () => {
    const ocr = ocrWithCheckDigit('200600124');
    expect(isValidOcr(ocr)).toBe(true);
    for (let position = 0; position < ocr.length; position++) {
      const digit = Number(ocr[position]);
      const typo = ocr.slice(0, position) + String((digit + 1) % 10) + ocr.slice(position + 1);
      expect(isValidOcr(typo)).toBe(false);
    }
    // Luhn catches every adjacent transposition except 09 ↔ 90.
    expect(isValidOcr('123455')).toBe(true);
    expect(isValidOcr('213455')).toBe(false);
  });

  it('rejects malformed input', () => {
    expect(isValidOcr('')).toBe(false);
    expect(isValidOcr('5')).toBe(false);
    expect(isValidOcr('12345-5')).toBe(false);
    expect(isValidOcr('1'.repeat(26))).toBe(false);
  });
});

describe('OCR numbers with a length digit (Bankgirot längdkontroll, a setting)', () => {
  it('puts the whole length modulo 10 before the check digit', () => {
    // 12345 + length 7 → 123457, Luhn over that.
    expect(ocrWithLengthDigit('12345')).toBe(`123457${luhnCheckDigit('123457')}`);
    expect(ocrWithLengthDigit('1'.repeat(10))).toMatch(/^1{10}2\d$/);
    expect(hasValidOcrLength(ocrWithLengthDigit('2006001260'))).toBe(true);
    expect(isValidOcr(ocrWithLengthDigit('2006001260'))).toBe(true);
  });

  it('tells a reference without a length digit from one with it', () => {
    expect(hasValidOcrLength(ocrWithCheckDigit('12345'))).toBe(false);
    expect(hasValidOcrLength('123458')).toBe(false);
    expect(ocrReference('12345')).toBe(ocrWithCheckDigit('12345'));
    expect(ocrReference('12345', { lengthDigit: true })).toBe(ocrWithLengthDigit('12345'));
    expect(() => ocrWithLengthDigit('1'.repeat(24))).toThrow();
  });
});
