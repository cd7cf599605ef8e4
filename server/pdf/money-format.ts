/**
 * Money, dates and account numbers as printed on Portier's documents. Money arrives as integer minor
 * units (cents, öre; API.md) and is only turned into a decimal for display or for a payment payload.
 */

export type DocumentLocale = 'de' | 'en' | 'sv';

/** English documents use British conventions (day-first dates): Portier's landlords are European. */
const intlLocales: Record<DocumentLocale, string> = { de: 'de-DE', en: 'en-GB', sv: 'sv-SE' };

export function intlLocale(locale: DocumentLocale): string {
  return intlLocales[locale];
}

/** "1.234,56 €" (de, EUR), "1 234,56 kr" (sv, SEK), "€1,234.56" (en, EUR), via Intl.NumberFormat. */
export function formatMoney(minor: number, currency: string, locale: DocumentLocale): string {
  assertMinorUnits(minor);
  return new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency }).format(minor / 100);
}

/** "1234.56": the plain decimal payment payloads carry (EPC069-12 amount, Swedish QR `due`). */
export function decimalAmount(minor: number): string {
  assertMinorUnits(minor);
  const sign = minor < 0 ? '-' : '';
  const { major, fraction } = splitMinor(Math.abs(minor));
  return `${sign}${major}.${fraction}`;
}

/** Whole units and the two-digit fraction as digit strings: 123456 → { major: "1234", fraction: "56" }. */
export function splitMinor(minor: number): { major: string; fraction: string } {
  assertMinorUnits(minor);
  if (minor < 0) throw new RangeError('splitMinor needs a non-negative amount');
  return { major: String(Math.trunc(minor / 100)), fraction: String(minor % 100).padStart(2, '0') };
}

/** An ISO `YYYY-MM-DD` calendar date in the locale's short form ("01.03.2026", "01/03/2026", "2026-03-01"). */
export function formatDate(isoDate: string, locale: DocumentLocale): string {
  const date = parseIsoDate(isoDate);
  // UTC on both sides: a calendar date must not move a day with the server's time zone.
  return new Intl.DateTimeFormat(intlLocale(locale), {
    timeZone: 'UTC',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(date);
}

/** A decimal like living area or rooms in the locale's notation ("62,5", "62.5"). */
export function formatDecimal(value: number, locale: DocumentLocale, maximumFractionDigits = 2): string {
  return new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits }).format(value);
}

/** The country's name in the document's language, for foreign addresses (ISO 3166-1 alpha-2 in). */
export function countryName(code: string, locale: DocumentLocale): string {
  try {
    return new Intl.DisplayNames([intlLocale(locale)], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Strict `YYYY-MM-DD` (as stored by db/schema isoDate columns) to a UTC midnight Date. */
export function parseIsoDate(isoDate: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (!match || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== isoDate) {
    throw new RangeError(`Not an ISO calendar date: ${isoDate}`);
  }
  return date;
}

/** IBAN without spaces, upper case (the electronic format of ISO 13616). */
export function compactIban(iban: string): string {
  return iban.replace(/\s+/g, '').toUpperCase();
}

/** IBAN in the paper format of ISO 13616: groups of four ("DE89 3704 0044 0532 0130 00"). */
export function formatIban(iban: string): string {
  return compactIban(iban).replace(/(.{4})(?=.)/g, '$1 ');
}

function assertMinorUnits(minor: number): void {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Money must be integer minor units, got ${minor}`);
}
