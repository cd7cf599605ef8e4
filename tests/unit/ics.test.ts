import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { appointmentIcs, appointmentUid, type AppointmentInvitation } from '../../server/calendar/ics.ts';

/**
 * The invitation is read back with a real iCalendar parser (ical.js, Mozilla's): times are
 * converted to UTC through the VTIMEZONE the file itself carries, so a wrong zone definition
 * or a time written in the server's zone instead of the building's shows as a wrong instant.
 */

const base: AppointmentInvitation = {
  method: 'request',
  appointmentId: 'apt_1',
  sequence: 0,
  // Friday 4 December 2026, 8–10 in Berlin (CET, UTC+1).
  start: new Date('2026-12-04T07:00:00Z'),
  end: new Date('2026-12-04T09:00:00Z'),
  timeZone: 'Europe/Berlin',
  language: 'de',
  stamp: new Date('2026-12-01T12:00:00Z'),
  host: 'portal.example.org',
  ticket: { number: '2026-000123', subject: 'Wasserhahn tropft' },
  contractorName: 'Muster Sanitär GmbH',
  place: {
    street: 'Musterstraße',
    houseNumber: '1',
    postalCode: '10115',
    city: 'Berlin',
    unitNumber: '1.02',
  },
  organizer: { name: 'Muster Wohnen eG', email: 'service@muster-wohnen.example' },
  attendee: { name: 'Erika Mustermann', email: 'mieterin@demo.portier.dev' },
  link: 'https://portal.example.org/requests/t1',
};

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  for (const zone of calendar.getAllSubcomponents('vtimezone'))
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return { calendar, vevent, event };
}

const lines = (text: string) => text.split('\r\n').slice(0, -1);

describe('appointment invitation (RFC 5545)', () => {
  it('is a REQUEST with a stable UID, sequence, organizer, attendee and the times in the building’s zone', () => {
    const text = appointmentIcs(base);
    const { calendar, vevent, event } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(event.uid).toBe(appointmentUid('apt_1', 'portal.example.org'));
    expect(event.sequence).toBe(0);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-12-04T07:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-12-04T09:00:00.000Z');
    expect(event.startDate.zone?.tzid).toBe('Europe/Berlin');
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20261204T080000\r\n');
    expect(text).toMatch(/\r\nDTSTAMP:20261201T120000Z\r\n/);
    expect(String(vevent.getFirstPropertyValue('organizer'))).toBe('mailto:service@muster-wohnen.example');
    expect(vevent.getFirstProperty('organizer')!.getParameter('cn')).toBe('Muster Wohnen eG');
    expect(String(vevent.getFirstPropertyValue('attendee')).toLowerCase()).toBe(
      'mailto:mieterin@demo.portier.dev',
    );
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(calendar.getFirstSubcomponent('vtimezone')!.getFirstPropertyValue('tzid')).toBe('Europe/Berlin');
  });

  it('writes summary, location and description in the tenant’s language', () => {
    const german = parse(appointmentIcs(base)).event;
    expect(german.summary).toBe('Handwerkertermin: Wasserhahn tropft (Muster Sanitär GmbH)');
    expect(german.location).toBe('Musterstraße 1, 10115 Berlin, Wohnung 1.02');
    expect(german.description).toContain('Anliegen 2026-000123: Wasserhahn tropft');
    expect(german.description).toContain('Fr., 4. Dez. 2026, 08:00–10:00');
    expect(german.description).toContain('https://portal.example.org/requests/t1');

    const swedish = parse(
      appointmentIcs({
        ...base,
        language: 'sv',
        timeZone: 'Europe/Stockholm',
        ticket: { number: '2026-000124', subject: 'Läckande kran' },
        place: { ...base.place, street: 'Storgatan', city: 'Malmö', postalCode: '211 34' },
      }),
    ).event;
    expect(swedish.summary).toBe('Hantverkarbesök: Läckande kran (Muster Sanitär GmbH)');
    expect(swedish.location).toBe('Storgatan 1, 211 34 Malmö, lägenhet 1.02');
    expect(swedish.startDate.zone?.tzid).toBe('Europe/Stockholm');

    const english = parse(appointmentIcs({ ...base, language: 'en', contractorName: null })).event;
    expect(english.summary).toBe('Repair appointment: Wasserhahn tropft');
    expect(english.description).not.toContain('Contractor');
  });

  it('escapes , ; \\ and line breaks and reads them back as written', () => {
    const subject = 'Bad; Dusche, Armatur \\ kaputt\nzweite Zeile';
    const text = appointmentIcs({ ...base, ticket: { number: '1', subject }, contractorName: null });
    expect(text).toContain('Bad\\; Dusche\\, Armatur \\\\ kaputt\\nzweite Zeile');
    expect(parse(text).event.summary).toBe(`Handwerkertermin: ${subject}`);
  });

  it('ends every line with CRLF and folds lines longer than 75 octets without splitting a character', () => {
    const longName =
      'Ölfeuerungs- und Sanitärtechnik Müller & Söhne Gesellschaft mit beschränkter Haftung ÄÖÜ'.repeat(2);
    const text = appointmentIcs({ ...base, contractorName: longName });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of lines(text)) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines(text).some((line) => line.startsWith(' '))).toBe(true);
    expect(text).not.toContain('\uFFFD');
    expect(parse(text).event.summary).toBe(`Handwerkertermin: Wasserhahn tropft (${longName})`);
  });

  it('keeps the wall-clock time across a change of daylight saving time', () => {
    // Berlin leaves summer time on Sunday 25 October 2026: 8 o'clock is 06:00Z before, 07:00Z after.
    const before = parse(
      appointmentIcs({
        ...base,
        start: new Date('2026-10-24T06:00:00Z'),
        end: new Date('2026-10-24T08:00:00Z'),
      }),
    );
    const after = parse(
      appointmentIcs({
        ...base,
        start: new Date('2026-10-26T07:00:00Z'),
        end: new Date('2026-10-26T09:00:00Z'),
      }),
    );
    expect(before.vevent.getFirstProperty('dtstart')!.toICALString()).toBe(
      'DTSTART;TZID=Europe/Berlin:20261024T080000',
    );
    expect(after.vevent.getFirstProperty('dtstart')!.toICALString()).toBe(
      'DTSTART;TZID=Europe/Berlin:20261026T080000',
    );
    expect(before.event.startDate.toJSDate().toISOString()).toBe('2026-10-24T06:00:00.000Z');
    expect(after.event.startDate.toJSDate().toISOString()).toBe('2026-10-26T07:00:00.000Z');

    // Stockholm enters summer time on Sunday 29 March 2026.
    const spring = (iso: string) =>
      parse(
        appointmentIcs({
          ...base,
          timeZone: 'Europe/Stockholm',
          language: 'sv',
          start: new Date(iso),
          end: new Date(new Date(iso).getTime() + 2 * 3_600_000),
        }),
      );
    const saturday = spring('2026-03-28T07:00:00Z');
    const monday = spring('2026-03-30T06:00:00Z');
    expect(saturday.vevent.getFirstProperty('dtstart')!.toICALString()).toContain('20260328T080000');
    expect(monday.vevent.getFirstProperty('dtstart')!.toICALString()).toContain('20260330T080000');
    expect(saturday.event.startDate.toJSDate().toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(monday.event.startDate.toJSDate().toISOString()).toBe('2026-03-30T06:00:00.000Z');

    // An appointment across the night of the change keeps its true length (3 h, not 2 h on the wall).
    const overnight = parse(
      appointmentIcs({
        ...base,
        start: new Date('2026-10-24T23:00:00Z'), // 01:00 CEST
        end: new Date('2026-10-25T02:00:00Z'), // 03:00 CET
      }),
    );
    const { startDate, endDate } = overnight.event;
    expect(endDate.toJSDate().getTime() - startDate.toJSDate().getTime()).toBe(3 * 3_600_000);
  });

  it('cancels with METHOD:CANCEL, the same UID, a higher sequence and STATUS:CANCELLED', () => {
    const request = parse(appointmentIcs({ ...base, sequence: 1 })).event;
    const cancel = parse(appointmentIcs({ ...base, method: 'cancel', sequence: 2 }));
    expect(cancel.calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(cancel.event.uid).toBe(request.uid);
    expect(cancel.event.sequence).toBeGreaterThan(request.sequence);
    expect(cancel.vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancel.event.description).toContain('Dieser Termin wurde abgesagt.');
  });

  it('refuses a zone it has no VTIMEZONE for and an appointment that ends before it starts', () => {
    expect(() => appointmentIcs({ ...base, timeZone: 'America/New_York' as never })).toThrow(/VTIMEZONE/);
    expect(() => appointmentIcs({ ...base, end: base.start })).toThrow();
  });
});
