/**
 * Today as ISO `YYYY-MM-DD` in the landlord's time zone. Contract validity, rent components and due
 * dates are local calendar dates: at 00:30 in Berlin it is already the 1st, though UTC says the 31st.
 */
export function todayIn(timeZone: string, now: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}
