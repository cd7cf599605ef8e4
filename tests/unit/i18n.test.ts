import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The three message files must stay in lockstep: a key missing in one language would silently fall
 * back to German, and a placeholder missing or renamed in one language would print "undefined".
 */
const locales = ['de', 'en', 'sv'] as const;

function load(locale: string): Record<string, string> {
  const url = new URL(`../../shared/i18n/messages/${locale}.json`, import.meta.url);
  const { $schema: _schema, ...messages } = JSON.parse(readFileSync(url, 'utf8')) as Record<string, string>;
  return messages;
}

const messages = Object.fromEntries(locales.map((locale) => [locale, load(locale)])) as Record<
  (typeof locales)[number],
  Record<string, string>
>;

const placeholders = (text: string) =>
  [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]))].sort();

describe('i18n message files', () => {
  const baseKeys = Object.keys(messages.de).sort();

  it('has messages', () => {
    expect(baseKeys.length).toBeGreaterThan(0);
  });

  it.each(['en', 'sv'] as const)('%s has exactly the keys of de', (locale) => {
    expect(Object.keys(messages[locale]).sort()).toEqual(baseKeys);
  });

  it('uses snake_case keys', () => {
    const bad = baseKeys.filter((key) => !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(key));
    expect(bad).toEqual([]);
  });

  it.each(locales)('%s has no empty messages', (locale) => {
    const empty = Object.entries(messages[locale])
      .filter(([, text]) => typeof text !== 'string' || text.trim() === '')
      .map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('uses the same {placeholders} per key in every language', () => {
    const mismatches: string[] = [];
    for (const key of baseKeys) {
      const expected = placeholders(messages.de[key] ?? '');
      for (const locale of locales) {
        const actual = placeholders(messages[locale][key] ?? '');
        if (JSON.stringify(actual) !== JSON.stringify(expected)) {
          mismatches.push(`${locale}.${key}: {${actual.join(', ')}} ≠ de {${expected.join(', ')}}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
