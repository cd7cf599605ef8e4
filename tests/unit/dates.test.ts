import { describe, expect, it } from 'vitest';
import { todayIn } from '../../server/lib/dates.ts';

// todayIn keeps one formatter per time zone (server/lib/dates.ts): the cache must never hand one
// zone's day to another.
describe('todayIn', () => {
  it('answers the local calendar day of each zone, alternating zones on the same instant', () => {
    const instant = new Date('2026-01-31T23:30:00Z');
    for (let round = 0; round < 3; round++) {
      expect(todayIn('Europe/Berlin', instant)).toBe('2026-02-01');
      expect(todayIn('America/New_York', instant)).toBe('2026-01-31');
      expect(todayIn('UTC', instant)).toBe('2026-01-31');
      expect(todayIn('Pacific/Kiritimati', new Date('2026-01-31T10:30:00Z'))).toBe('2026-02-01');
    }
  });

  it('follows daylight saving time with a cached formatter', () => {
    expect(todayIn('Europe/Stockholm', new Date('2026-03-28T23:30:00Z'))).toBe('2026-03-29');
    expect(todayIn('Europe/Stockholm', new Date('2026-10-24T22:30:00Z'))).toBe('2026-10-25');
    expect(todayIn('Europe/Stockholm', new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(todayIn('Europe/Stockholm', new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });

  it('still rejects an unknown zone every time', () => {
    expect(() => todayIn('Mars/Olympus', new Date())).toThrow(RangeError);
    expect(() => todayIn('Mars/Olympus', new Date())).toThrow(RangeError);
  });
});
