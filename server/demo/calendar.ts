/**
 * Calendar arithmetic on ISO dates (`YYYY-MM-DD`, UTC). The ledger is relative to today so the
 * demo always looks current; everything else is fixed.
 */

export interface YearMonth {
  year: number;
  /** 1–12 */
  month: number;
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

export const isoDate = (year: number, month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
export const isoDateOf = (time: Date) => time.toISOString().slice(0, 10);
export const dateAt = (iso: string, hour = 0, minute = 0) =>
  new Date(`${iso}T${pad(hour)}:${pad(minute)}:00.000Z`);

export const yearMonthOf = (time: Date): YearMonth => ({
  year: time.getUTCFullYear(),
  month: time.getUTCMonth() + 1,
});

export function addMonths({ year, month }: YearMonth, count: number): YearMonth {
  const index = year * 12 + (month - 1) + count;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

export const firstOfMonth = ({ year, month }: YearMonth) => isoDate(year, month, 1);
export function lastOfMonth({ year, month }: YearMonth): string {
  return isoDate(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate());
}

export function addDays(iso: string, days: number): string {
  return isoDateOf(new Date(dateAt(iso).getTime() + days * 86_400_000));
}

const isWorkingDay = (iso: string) => {
  const weekday = dateAt(iso).getUTCDay();
  return weekday !== 0 && weekday !== 6;
};

/**
 * Rent is due by the third working day of the month (§ 556b Abs. 1 BGB); Saturdays do not count
 * for the payment (BGH VIII ZR 129/09). Public holidays are ignored in the demo.
 */
export function nthWorkingDay(yearMonth: YearMonth, n: number): string {
  let day = firstOfMonth(yearMonth);
  let count = isWorkingDay(day) ? 1 : 0;
  while (count < n) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) count++;
  }
  return day;
}

/** Swedish rent is paid in advance, by the last working day before the month (Jordabalken 12 kap. 20 §). */
export function lastWorkingDayBefore(iso: string): string {
  let day = addDays(iso, -1);
  while (!isWorkingDay(day)) day = addDays(day, -1);
  return day;
}

/** The next given weekday (0 = Sunday) at least `minDays` after `from`. */
export function nextWeekday(from: string, weekday: number, minDays: number): string {
  let day = addDays(from, minDays);
  while (dateAt(day).getUTCDay() !== weekday) day = addDays(day, 1);
  return day;
}

/** A wall-clock time in a time zone (Europe/Berlin, Europe/Stockholm) as an instant. */
export function zonedTime(iso: string, hour: number, minute: number, timeZone: string): Date {
  const guess = dateAt(iso, hour, minute);
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(guess);
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)?.value);
  const shown = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'));
  return new Date(guess.getTime() - (shown - guess.getTime()));
}

export const daysBefore = (now: Date, days: number, hours = 0) =>
  new Date(now.getTime() - days * 86_400_000 - hours * 3_600_000);

const monthNames = {
  de: [
    'Januar',
    'Februar',
    'März',
    'April',
    'Mai',
    'Juni',
    'Juli',
    'August',
    'September',
    'Oktober',
    'November',
    'Dezember',
  ],
  sv: [
    'januari',
    'februari',
    'mars',
    'april',
    'maj',
    'juni',
    'juli',
    'augusti',
    'september',
    'oktober',
    'november',
    'december',
  ],
} as const;

export const monthLabel = ({ year, month }: YearMonth, language: 'de' | 'sv') =>
  `${monthNames[language][month - 1]} ${year}`;

/** German display date, e.g. 03.05.2026. */
export const germanDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
