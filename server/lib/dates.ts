/**
 * One formatter per time zone and shape: building an Intl.DateTimeFormat costs ~25 µs (it loads
 * ICU zone data), formatting with a built one ~1 µs, and a deployment uses one or two zones.
 */
export function formatterIn(
  cache: Map<string, Intl.DateTimeFormat>,
  timeZone: string,
  build: (timeZone: string) => Intl.DateTimeFormat,
): Intl.DateTimeFormat {
  let formatter = cache.get(timeZone);
  if (!formatter) {
    // Constructed before caching, so an unknown zone throws its RangeError every time, as before.
    formatter = build(timeZone);
    cache.set(timeZone, formatter);
  }
  return formatter;
}

/** `en-CA` formats as ISO `YYYY-MM-DD`. */
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const buildDayFormatter = (timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Today as ISO `YYYY-MM-DD` in the landlord's time zone. Contract validity, rent components and due
 * dates are local calendar dates: at 00:30 in Berlin it is already the 1st, though UTC says the 31st.
 */
export function todayIn(timeZone: string, now: Date): string {
  return formatterIn(dayFormatters, timeZone, buildDayFormatter).format(now);
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>();
const buildClockFormatter = (timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
const isoWeekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/**
 * Local date, ISO weekday (1 = Monday) and `HH:MM` of an instant in the landlord's zone: the one
 * local calendar of business hours (sla.ts), the on-call rota and the report export's times.
 */
export function localClock(instant: Date, timeZone: string): { date: string; weekday: number; time: string } {
  const parts = formatterIn(clockFormatters, timeZone, buildClockFormatter).formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    weekday: isoWeekdays.indexOf(get('weekday')) + 1,
    time: `${get('hour')}:${get('minute')}`,
  };
}

/** An ISO calendar date plus `days` (negative: earlier); calendar arithmetic, free of zones. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}
