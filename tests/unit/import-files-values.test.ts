import { describe, expect, it } from 'vitest';
import {
  convertCell,
  parseDay,
  parseDecimalNumber,
  parseMoney,
} from '../../server/services/import/files/values.ts';

const money = (text: string) => parseMoney(text);

describe('parseMoney (decimal amount → integer minor units, exactly)', () => {
  it.each([
    ['610,00', 61000],
    ['610.00', 61000],
    ['1.234,56', 123456],
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1234,5', 123450],
    ['12', 1200],
    ['-12,50', -1250],
    ['0,05', 5],
    ['1 234,50', 123450],
    ['1\u00a0234,50', 123450],
    ['12\u202f345\u202f678,90', 1234567890],
    ['1.234.567', 123456700],
    ['  610,00 ', 61000],
    ['9.999.999.999.999,99', 999999999999999],
  ])('%s → %i', (text, minor) => {
    expect(money(text)).toEqual({ ok: true, value: minor });
  });

  it.each([
    ['1,234,56', 'invalid_grouping'],
    ['1.2345,00', 'invalid_grouping'],
    ['12.34.567,00', 'invalid_grouping'],
    ['1.234', 'ambiguous_number'],
    ['12,345', 'ambiguous_number'],
    ['0,125', 'too_many_decimals'],
    ['610,001', 'ambiguous_number'],
    ['610,0011', 'too_many_decimals'],
    ['1.610,001', 'too_many_decimals'],
    ['abc', 'invalid_amount'],
    ['=1+1', 'invalid_amount'],
    ['12,', 'invalid_amount'],
    ['1.234,56.7', 'invalid_amount'],
    ['€ 12,00', 'invalid_amount'],
    ['99999999999999,99', 'amount_too_large'],
  ])('%s is refused with %s', (text, code) => {
    expect(money(text)).toMatchObject({ ok: false, code });
  });
});

describe('parseDay and numbers', () => {
  it('reads ISO and German dates and refuses days that do not exist', () => {
    expect(parseDay('2026-02-28')).toEqual({ ok: true, value: '2026-02-28' });
    expect(parseDay('01.04.2024')).toEqual({ ok: true, value: '2024-04-01' });
    expect(parseDay('1.4.2024')).toEqual({ ok: true, value: '2024-04-01' });
    expect(parseDay('31.02.2026')).toMatchObject({ ok: false, code: 'invalid_date' });
    expect(parseDay('2026-13-01')).toMatchObject({ ok: false, code: 'invalid_date' });
    expect(parseDay('04/01/2024')).toMatchObject({ ok: false, code: 'invalid_date' });
  });

  it('reads areas with either decimal mark', () => {
    expect(parseDecimalNumber('72,5')).toEqual({ ok: true, value: 72.5 });
    expect(parseDecimalNumber('1.072,25')).toEqual({ ok: true, value: 1072.25 });
  });

  it('converts XLSX number and date cells without floats leaking into money', () => {
    expect(convertCell(1234.56, 'money')).toEqual({ ok: true, value: 123456 });
    expect(convertCell(610, 'money')).toEqual({ ok: true, value: 61000 });
    expect(convertCell(0.1 + 0.2, 'money')).toMatchObject({ ok: false, code: 'too_many_decimals' });
    expect(convertCell(1e21, 'money')).toMatchObject({ ok: false, code: 'invalid_number' });
    expect(convertCell(new Date('2024-04-01T00:00:00Z'), 'date')).toEqual({ ok: true, value: '2024-04-01' });
    expect(convertCell(45000, 'date')).toMatchObject({ ok: false, code: 'invalid_date' });
    expect(convertCell(10969, 'text')).toEqual({ ok: true, value: '10969' });
  });

  it('keeps formula-looking text as text and never evaluates it', () => {
    expect(convertCell('=HYPERLINK("http://x")', 'text')).toEqual({
      ok: true,
      value: '=HYPERLINK("http://x")',
    });
    expect(convertCell('@SUM(1)', 'text')).toEqual({ ok: true, value: '@SUM(1)' });
    expect(convertCell('   ', 'text')).toEqual({ ok: true, value: undefined });
  });
});
