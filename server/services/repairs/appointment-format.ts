import { m } from '../../../shared/i18n/paraglide/messages.js';
import type { Locale } from '../../../shared/api/auth.ts';
import { formatterIn } from '../../lib/dates.ts';

/*
 * An appointment in words, on the building's wall clock and in the reader's language:
 * "Do 4. Dez., 8–10 Uhr" · "Thu 4 Dec, 08:00–10:00" · "tors 4 dec., kl. 08:00–10:00".
 * The ticket's status lines, notifications and the calendar's description read these.
 */

const localeTags: Record<Locale, string> = { de: 'de-DE', en: 'en-GB', sv: 'sv-SE' };

const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const clockFormatters = new Map<string, Intl.DateTimeFormat>();

function dayOf(instant: Date, locale: Locale, timeZone: string): string {
  const formatter = formatterIn(
    dayFormatters,
    `${locale}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(localeTags[locale], {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        timeZone,
      }),
  );
  const parts = formatter.formatToParts(instant);
  const get = (type: string) => parts.find((part) => part.type === type)?.value ?? '';
  // German writes "Do 4. Dez." on tickets and letters: the weekday without its abbreviation dot.
  if (locale === 'de') return `${get('weekday').replace(/\.$/, '')} ${get('day')}. ${get('month')}`;
  return `${get('weekday')} ${get('day')} ${get('month')}`;
}

function clockOf(instant: Date, locale: Locale, timeZone: string): string {
  const formatter = formatterIn(
    clockFormatters,
    timeZone,
    () =>
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }),
  );
  const [hour = '00', minute = '00'] = formatter.format(instant).split(':');
  // "8–10 Uhr": whole hours without minutes and without the leading zero, as Germans write them.
  if (locale === 'de') return minute === '00' ? String(Number(hour)) : `${Number(hour)}:${minute}`;
  return `${hour}:${minute}`;
}

/** "Do 4. Dez., 8–10 Uhr" */
export function formatSlot(slot: { start: Date; end: Date }, locale: Locale, timeZone: string): string {
  const range = m.appt_time_range(
    { from: clockOf(slot.start, locale, timeZone), to: clockOf(slot.end, locale, timeZone) },
    { locale },
  );
  return `${dayOf(slot.start, locale, timeZone)}, ${range}`;
}

/** "Do 4. Dez., 8–10 Uhr, Firma Muster Sanitär" */
export function formatAppointment(
  slot: { start: Date; end: Date },
  contractorName: string | null,
  locale: Locale,
  timeZone: string,
): string {
  const when = formatSlot(slot, locale, timeZone);
  return contractorName ? `${when}, ${contractorName}` : when;
}

/** The ticket's status lines of an appointment's steps, in the tenant's language. */
export const appointmentLine = {
  proposed: (
    slots: { start: Date; end: Date }[],
    contractorName: string | null,
    locale: Locale,
    timeZone: string,
  ) => {
    const list = slots.map((slot) => formatSlot(slot, locale, timeZone)).join(' · ');
    return contractorName
      ? m.appt_line_proposed_by({ slots: list, contractor: contractorName }, { locale })
      : m.appt_line_proposed({ slots: list }, { locale });
  },
  confirmed: (
    slot: { start: Date; end: Date },
    contractorName: string | null,
    locale: Locale,
    timeZone: string,
  ) =>
    m.appt_line_confirmed(
      { appointment: formatAppointment(slot, contractorName, locale, timeZone) },
      { locale },
    ),
  moveRequested: (reason: string, locale: Locale) => m.appt_line_move_requested({ reason }, { locale }),
  cancelled: (reason: string, locale: Locale) => m.appt_line_cancelled({ reason }, { locale }),
};
