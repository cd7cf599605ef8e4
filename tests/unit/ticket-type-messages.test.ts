import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ticketTypeI18nKeys } from '../../shared/ticket-types.ts';

/**
 * Ticket types, fields and options are data (shared/ticket-types.ts); their labels are looked up by
 * the keys it derives. The tenant app and the staff console share this one set of messages, so a key
 * missing in any language would show a raw id in one of them.
 */
const locales = ['de', 'en', 'sv'] as const;

function keys(locale: string): Set<string> {
  const url = new URL(`../../shared/i18n/messages/${locale}.json`, import.meta.url);
  return new Set(Object.keys(JSON.parse(readFileSync(url, 'utf8')) as Record<string, string>));
}

describe('ticket type messages', () => {
  const needed = ticketTypeI18nKeys();

  it('names keys for the seeded types', () => {
    expect(needed).toContain('ticket_type_damage_report');
    expect(needed.length).toBeGreaterThan(20);
  });

  it.each(locales)('%s has every key ticketTypeI18nKeys() names', (locale) => {
    const present = keys(locale);
    expect(needed.filter((key) => !present.has(key))).toEqual([]);
  });

  it.each(locales)('%s has no leftover req_-prefixed copies of them', (locale) => {
    const present = keys(locale);
    expect(needed.filter((key) => present.has(`req_${key}`))).toEqual([]);
  });
});
