import { execFileSync } from 'node:child_process';

/**
 * The text of a PDF as poppler's pdftotext reads it (Debian poppler-utils): through each embedded
 * font's ToUnicode map, as a screen reader or a search would, in reading order.
 */
export function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf, maxBuffer: 64 << 20 }).toString(
    'utf8',
  );
}

/** A registration code as printed on a letter (Crockford-style alphabet, 3 groups of 4). */
export const registrationCodePattern = /[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/g;
