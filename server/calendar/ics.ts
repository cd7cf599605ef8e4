import ical, { ICalAttendeeRole, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { TZDate } from '@date-fns/tz';
import { m } from '../../shared/i18n/paraglide/messages.js';
import type { Locale } from '../../shared/api/auth.ts';

/**
 * The calendar invitation for a repair appointment (RFC 5545 iCalendar, scheduled per RFC 5546
 * iTIP): `METHOD:REQUEST` for a new or moved appointment, `METHOD:CANCEL` when it is called off.
 * The UID stays the same for the appointment's whole life and SEQUENCE grows with every change, so
 * a calendar replaces the entry instead of adding a second one. Times are written in the building's
 * zone with its VTIMEZONE (RFC 5545 3.6.5), so the appointment stays at 8 o'clock on the tenant's
 * wall clock across a change of daylight saving time. Folding at 75 octets, CRLF and the escaping
 * of `, ; \` and line breaks are ical-generator's (RFC 5545 3.1, 3.3.11).
 */

/** The zones of the landlord's buildings; each has a VTIMEZONE from @touch4it/ical-timezones. */
export const appointmentTimeZones = ['Europe/Berlin', 'Europe/Stockholm'] as const;
export type AppointmentTimeZone = (typeof appointmentTimeZones)[number];

export interface AppointmentInvitation {
  method: 'request' | 'cancel';
  appointmentId: string;
  /** 0 for the first invitation; one more for every change and for the cancellation (RFC 5546 2.1.4). */
  sequence: number;
  start: Date;
  end: Date;
  timeZone: AppointmentTimeZone;
  /** The tenant's language: summary, location and description are written in it. */
  language: Locale;
  /** When this version of the appointment was made (DTSTAMP, UTC). */
  stamp: Date;
  /** The portal's host (from PUBLIC_URL): the right-hand side of the UID (RFC 5545 3.8.4.7). */
  host: string;
  ticket: { number: string; subject: string };
  contractorName: string | null;
  place: { street: string; houseNumber: string; postalCode: string; city: string; unitNumber: string | null };
  /** The landlord (RFC 5546: an invitation names its organizer). */
  organizer: { name: string; email: string };
  /** The tenant; absent when the invitation is only downloaded. */
  attendee?: { name: string | null; email: string };
  /** The ticket in the portal, where the tenant confirms, moves or cancels. */
  link?: string;
}

/** The UID of an appointment: the same in every REQUEST and in the CANCEL. */
export const appointmentUid = (appointmentId: string, host: string) => `appointment-${appointmentId}@${host}`;

const localeTags: Record<Locale, string> = { de: 'de-DE', en: 'en-GB', sv: 'sv-SE' };

function when(invitation: AppointmentInvitation): string {
  const { language, timeZone } = invitation;
  const day = new Intl.DateTimeFormat(localeTags[language], {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone,
  }).format(invitation.start);
  const time = new Intl.DateTimeFormat(localeTags[language], {
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  });
  return `${day}, ${time.format(invitation.start)}–${time.format(invitation.end)}`;
}

/** The invitation as an `.ics` text (`text/calendar; method=REQUEST|CANCEL; charset=utf-8`). */
export function appointmentIcs(invitation: AppointmentInvitation): string {
  const { language: locale, timeZone, place } = invitation;
  if (!(appointmentTimeZones as readonly string[]).includes(timeZone))
    throw new Error(`no VTIMEZONE for ${timeZone}`);
  if (!(invitation.end.getTime() > invitation.start.getTime()))
    throw new Error('an appointment ends after it starts');
  const cancelled = invitation.method === 'cancel';
  const subject = invitation.ticket.subject;
  const summary = invitation.contractorName
    ? m.ics_appointment_summary_with_contractor(
        { subject, contractor: invitation.contractorName },
        { locale },
      )
    : m.ics_appointment_summary({ subject }, { locale });
  const address = `${place.street} ${place.houseNumber}, ${place.postalCode} ${place.city}`;
  const location = place.unitNumber
    ? m.ics_appointment_location_unit({ address, unit: place.unitNumber }, { locale })
    : address;
  const description = [
    ...(cancelled ? [m.ics_appointment_cancelled({}, { locale })] : []),
    m.ics_appointment_ticket({ number: invitation.ticket.number, subject }, { locale }),
    m.ics_appointment_when({ when: when(invitation) }, { locale }),
    ...(invitation.contractorName
      ? [m.ics_appointment_contractor({ contractor: invitation.contractorName }, { locale })]
      : []),
    ...(invitation.link ? [m.ics_appointment_link({ link: invitation.link }, { locale })] : []),
  ].join('\n');

  const calendar = ical({
    prodId: { company: 'Portier', product: 'Appointments', language: locale.toUpperCase() },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // No calendar-wide zone: with one, ical-generator writes DTSTAMP without its `Z`, which RFC
    // 5545 3.8.7.2 requires. The event's zone alone brings the VTIMEZONE.
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  calendar.createEvent({
    id: appointmentUid(invitation.appointmentId, invitation.host),
    sequence: invitation.sequence,
    stamp: invitation.stamp,
    // TZDate carries the zone: ical-generator reads its wall-clock fields, not the server's zone.
    start: new TZDate(invitation.start.getTime(), timeZone),
    end: new TZDate(invitation.end.getTime(), timeZone),
    timezone: timeZone,
    summary,
    location,
    description,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: invitation.organizer.name, email: invitation.organizer.email },
    attendees: invitation.attendee
      ? [
          {
            email: invitation.attendee.email,
            ...(invitation.attendee.name && { name: invitation.attendee.name }),
            role: ICalAttendeeRole.REQ,
          },
        ]
      : [],
  });
  // ical-generator ends the last line without CRLF; RFC 5545 3.1 ends every content line with one.
  const text = calendar.toString();
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}
