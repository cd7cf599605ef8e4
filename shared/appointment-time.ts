/**
 * Wall-clock times of a repair appointment in the building's zone, for the browser: what staff
 * type (date, from, to) becomes a UTC instant, and a slot reads "Do 4. Dez., 8–10 Uhr" again.
 */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function offsetMs(instant: number, timeZone: string): number {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(instant).map((part) => [part.type, part.value]));
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** `2026-12-03` + `08:00` on the wall clock of `timeZone` → the ISO instant (UTC). */
export function zonedToIso(date: string, time: string, timeZone: string): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Twice: the offset at the guessed instant may differ from the one at the answer (DST change).
  let instant = wall - offsetMs(wall, timeZone);
  instant = wall - offsetMs(instant, timeZone);
  return new Date(instant).toISOString();
}

/** The wall-clock date (`YYYY-MM-DD`) and time (`HH:MM`) of an instant in `timeZone`. */
export function wallClockOf(iso: string, timeZone: string): { date: string; time: string } {
  const instant = Date.parse(iso);
  const shifted = new Date(instant + offsetMs(instant, timeZone));
  return { date: shifted.toISOString().slice(0, 10), time: shifted.toISOString().slice(11, 16) };
}

const localeTags: Record<string, string> = { de: 'de-DE', en: 'en-GB', sv: 'sv-SE' };

/** "Do 4. Dez." / "Thu 4 Dec" / "tors 4 dec." of an instant in `timeZone`. */
export function slotDay(iso: string, locale: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat(localeTags[locale] ?? locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone,
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  if (locale === 'de') return `${get('weekday').replace(/\.$/, '')} ${get('day')}. ${get('month')}`;
  return `${get('weekday')} ${get('day')} ${get('month')}`;
}

/** "8" / "8:30" in German, "08:00" elsewhere. */
export function slotClock(iso: string, locale: string, timeZone: string): string {
  const { time } = wallClockOf(iso, timeZone);
  if (locale !== 'de') return time;
  const [hour = '0', minute = '00'] = time.split(':');
  return minute === '00' ? String(Number(hour)) : `${Number(hour)}:${minute}`;
}
