import { isCalendarDay } from '../../../../shared/api/import.ts';
import type { ColumnType } from './layout.ts';

/**
 * Cell values as German and Swedish spreadsheets write them, turned into record values.
 * Money becomes integer minor units by string arithmetic only: a float would turn 1.234,56 into
 * 123455.99999 on the way. Anything ambiguous is refused with a code, never guessed.
 */

/** A cell the reader already refused (a formula, an error value), reported at its column like any bad value. */
export class RefusedCell {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

/** What a reader hands over: CSV cells are strings; XLSX cells may also be numbers, dates, booleans. */
export type RawCell = string | number | boolean | Date | RefusedCell | null;

export type CellResult =
  { ok: true; value: string | number | undefined } | { ok: false; code: string; message: string };

const fail = (code: string, message: string): CellResult => ({ ok: false, code, message });

/** The largest amount in minor units that still is an exact integer in a JS number. */
const MAX_DIGITS = 15;

/** Blanks a thousands separator may be: space, no-break space (Swedish Excel), narrow no-break space. */
const GROUP_BLANKS = /[ \u00a0\u202f]/g;
const HAS_GROUP_BLANK = /[ \u00a0\u202f]/;

/** No grouping, at most two decimals: never ambiguous (1.234 has three and takes the long way). */
const PLAIN_DECIMAL = /^(-?)([0-9]{1,15})(?:([.,])([0-9]{1,2}))?$/;

interface Decimal {
  negative: boolean;
  integerDigits: string;
  fractionDigits: string;
}

/**
 * Reads `610,00`, `1.234,56`, `610.00`, `1234.56`, `1,234.56`, `1 234,50`, `-12,50`.
 * With two separator kinds the last one is the decimal mark; a single `.` or `,` followed by
 * exactly three digits (`1.234`) is refused as ambiguous (1234 in Germany, 1.234 in England).
 * `decimalMark` is given for XLSX number cells, whose text is JavaScript's (`1234.5`).
 */
function parseDecimal(input: string, decimalMark?: '.' | ','): Decimal | { code: string; message: string } {
  // Most cells of a load are plain (`835,50`, `1234.5`, `610`): read without the rules below.
  const plain = PLAIN_DECIMAL.exec(input);
  if (plain && (plain[3] === undefined || decimalMark === undefined || plain[3] === decimalMark))
    return { negative: plain[1] === '-', integerDigits: plain[2]!, fractionDigits: plain[4] ?? '' };
  const invalid = { code: 'invalid_number', message: `"${input}" is not a number` };
  let text = input.trim();
  let negative = false;
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1).trimStart();
  }
  const blankGrouped = HAS_GROUP_BLANK.test(text);
  text = text.replace(GROUP_BLANKS, ' ');
  if (!/^[0-9][0-9., ]*$/.test(text) || /[., ]$/.test(text)) return invalid;

  let mark = decimalMark;
  if (!mark) {
    const lastDot = text.lastIndexOf('.');
    const lastComma = text.lastIndexOf(',');
    if (lastDot >= 0 && lastComma >= 0) mark = lastDot > lastComma ? '.' : ',';
    else if (lastDot >= 0 || lastComma >= 0) {
      const only = lastDot >= 0 ? '.' : ',';
      const count = text.split(only).length - 1;
      const before = text.slice(0, text.indexOf(only));
      const after = text.length - text.lastIndexOf(only) - 1;
      // Grouping needs one to three leading digits that are not a lone zero: 0,125 and 1234.567 are decimals.
      const couldBeGrouping = /^[1-9][0-9]{0,2}$/.test(before);
      if (count > 1)
        mark = only === '.' ? ',' : '.'; // 1.234.567: grouping only, no decimals
      else if (after === 3 && couldBeGrouping && !blankGrouped)
        return {
          code: 'ambiguous_number',
          message: `"${input}" could be a thousands separator or three decimals; write 1234 or 1.234,00`,
        };
      else mark = only;
    } else mark = ',';
  }
  const group = mark === ',' ? '.' : ',';
  const parts = text.split(mark);
  if (parts.length > 2) return invalid;
  const [integerPart = '', fractionPart = ''] = parts;
  if (/[., ]/.test(fractionPart)) return invalid;
  if (parts.length === 2 && fractionPart === '') return invalid;

  // Thousands separators only every three digits, one kind per number: 1.234,56 yes, 1,234,56 no.
  const separators = new Set(integerPart.match(/[., ]/g) ?? []);
  if (separators.has(mark)) return invalid;
  if (separators.size > 1 || (separators.size === 1 && !separators.has(group) && !separators.has(' ')))
    return { code: 'invalid_grouping', message: `"${input}" mixes thousands separators` };
  if (separators.size === 1) {
    const groups = integerPart.split(/[., ]/);
    if (!/^[0-9]{1,3}$/.test(groups[0] ?? '') || groups.slice(1).some((digits) => !/^[0-9]{3}$/.test(digits)))
      return { code: 'invalid_grouping', message: `"${input}" has a thousands separator in the wrong place` };
  }
  const integerDigits = integerPart.replace(/[., ]/g, '');
  if (!/^[0-9]+$/.test(integerDigits)) return invalid;
  return { negative, integerDigits, fractionDigits: fractionPart };
}

/** Money as integer minor units: exactly two decimals at most, never through a float. */
export function parseMoney(input: string, decimalMark?: '.' | ','): CellResult {
  const decimal = parseDecimal(input, decimalMark);
  if ('code' in decimal)
    return fail(decimal.code === 'invalid_number' ? 'invalid_amount' : decimal.code, decimal.message);
  if (decimal.fractionDigits.length > 2)
    return fail('too_many_decimals', `"${input}" has more than two decimals`);
  const digits = (decimal.integerDigits + decimal.fractionDigits.padEnd(2, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > MAX_DIGITS) return fail('amount_too_large', `"${input}" is too large`);
  const minor = Number(digits);
  return { ok: true, value: decimal.negative && minor !== 0 ? -minor : minor };
}

/** A measure such as an area (`72,5`) or a room count (`2.5`). */
export function parseDecimalNumber(input: string, decimalMark?: '.' | ','): CellResult {
  const decimal = parseDecimal(input, decimalMark);
  if ('code' in decimal) return fail(decimal.code, decimal.message);
  if (decimal.integerDigits.length + decimal.fractionDigits.length > MAX_DIGITS)
    return fail('invalid_number', `"${input}" has too many digits`);
  const value = Number(`${decimal.integerDigits}.${decimal.fractionDigits || '0'}`);
  return { ok: true, value: decimal.negative ? -value : value };
}

export function parseInteger(input: string): CellResult {
  const text = input.trim();
  if (!/^-?[0-9]{1,9}$/.test(text)) return fail('invalid_integer', `"${input}" is not a whole number`);
  return { ok: true, value: Number(text) };
}

/** `YYYY-MM-DD` or `DD.MM.YYYY` (day and month may have one digit) to ISO; the day must exist. */
export function parseDay(input: string): CellResult {
  const text = input.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]]
    : german
      ? [german[3], german[2]?.padStart(2, '0'), german[1]?.padStart(2, '0')]
      : [];
  if (!year || !month || !day)
    return fail('invalid_date', `"${input}" is not a date (YYYY-MM-DD or DD.MM.YYYY)`);
  const value = `${year}-${month}-${day}`;
  if (!isCalendarDay(value)) return fail('invalid_date', `"${input}" is not a day of the calendar`);
  return { ok: true, value };
}

/**
 * One cell to its record value; empty cells are `undefined` (the caller decides whether that is
 * allowed). Text is kept as written: a cell starting with `=`, `+`, `-` or `@` is text, and nothing
 * here evaluates it.
 */
export function convertCell(cell: RawCell, type: ColumnType): CellResult {
  if (cell === null) return { ok: true, value: undefined };
  if (cell instanceof RefusedCell) return fail(cell.code, cell.message);
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return fail('invalid_date', 'the date cell holds no valid date');
    // Spreadsheet dates have no time zone; the reader hands them over as UTC midnight.
    const day = cell.toISOString().slice(0, 10);
    if (type === 'date') return { ok: true, value: day };
    return fail('unexpected_date', `a date (${day}) where ${type === 'text' ? 'text' : 'a number'} belongs`);
  }
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return fail('invalid_number', 'the cell holds no finite number');
    // JavaScript's shortest round-trip text of the double is what the spreadsheet shows (1234.56).
    const text = String(cell);
    if (/e/i.test(text)) return fail('invalid_number', `${text} is out of range`);
    switch (type) {
      case 'money':
        return parseMoney(text, '.');
      case 'decimal':
        return parseDecimalNumber(text, '.');
      case 'integer':
        return parseInteger(text);
      case 'date':
        return fail(
          'invalid_date',
          `${text} is a number, not a date; format the cell as a date or write DD.MM.YYYY`,
        );
      case 'text':
        return { ok: true, value: text };
    }
  }
  const text = typeof cell === 'boolean' ? (cell ? 'TRUE' : 'FALSE') : cell;
  if (text.trim() === '') return { ok: true, value: undefined };
  switch (type) {
    case 'money':
      return parseMoney(text);
    case 'decimal':
      return parseDecimalNumber(text);
    case 'integer':
      return parseInteger(text);
    case 'date':
      return parseDay(text);
    case 'text':
      return { ok: true, value: text };
  }
}
