import { m } from '../../shared/i18n/paraglide/messages.js';
import type { Locale } from '../../shared/api/auth.ts';
import { subjectFor } from '../../shared/ticket-subject.ts';
import { formatAppointment, formatSlot } from '../services/repairs/appointment-format.ts';
import {
  invitationIcs,
  type AppointmentCalendarData,
  type InvitationContext,
} from '../services/repairs/appointments.ts';
import type { NotificationText } from './templates.ts';

/** The notifications of a repair appointment's steps (outbox `template` + `data`). */

interface TicketData {
  ticketId: string;
  number: string;
  subject?: string;
  subjects?: Record<string, string>;
}

export type AppointmentNotificationContent =
  | {
      template: 'appointment_proposed';
      data: TicketData & {
        slots: { start: string; end: string }[];
        timeZone: string;
        contractorName: string | null;
      };
    }
  | { template: 'appointment_confirmed'; data: TicketData & { calendar: AppointmentCalendarData } }
  | { template: 'appointment_move_requested'; data: TicketData & { reason: string } }
  | {
      template: 'appointment_cancelled';
      data: TicketData & { reason: string; calendar: AppointmentCalendarData | null };
    }
  | {
      template: 'appointment_reminder';
      data: TicketData & { start: string; end: string; timeZone: string; contractorName: string | null };
    };

export const appointmentTemplates = [
  'appointment_proposed',
  'appointment_confirmed',
  'appointment_move_requested',
  'appointment_cancelled',
  'appointment_reminder',
] as const;

export function isAppointmentContent(content: {
  template: string;
}): content is AppointmentNotificationContent {
  return (appointmentTemplates as readonly string[]).includes(content.template);
}

const slotOf = (slot: { start: string; end: string }) => ({
  start: new Date(slot.start),
  end: new Date(slot.end),
});

export function appointmentNotificationText(
  content: AppointmentNotificationContent,
  locale: Locale,
): NotificationText {
  const o = { locale };
  const { number, ticketId } = content.data;
  const subject =
    subjectFor({ subject: content.data.subject ?? '', subjects: content.data.subjects }, locale) || '–';
  const path = `/requests/${encodeURIComponent(ticketId)}`;
  switch (content.template) {
    case 'appointment_proposed': {
      const { timeZone, contractorName } = content.data;
      const slots = content.data.slots.map((slot) => formatSlot(slotOf(slot), locale, timeZone)).join('\n');
      return {
        subject: m.mail_appt_proposed_subject({ number }, o),
        body: m.mail_appt_proposed_body({ number, subject, contractor: contractorName ?? '–' }, o),
        quote: slots,
        path,
        action: m.mail_appt_proposed_action({}, o),
      };
    }
    case 'appointment_confirmed': {
      const { calendar } = content.data;
      const when = formatAppointment(slotOf(calendar), calendar.contractorName, locale, calendar.timeZone);
      return {
        subject: m.mail_appt_confirmed_subject({ number }, o),
        body: m.mail_appt_confirmed_body({ number, subject, appointment: when }, o),
        path,
        action: m.mail_ticket_action({}, o),
      };
    }
    case 'appointment_move_requested':
      return {
        subject: m.mail_appt_move_subject({ number }, o),
        body: m.mail_appt_move_body({ number, subject }, o),
        quote: content.data.reason,
        path: `/staff/tickets/${encodeURIComponent(ticketId)}`,
        action: m.mail_ticket_action({}, o),
      };
    case 'appointment_cancelled':
      return {
        subject: m.mail_appt_cancelled_subject({ number }, o),
        body: m.mail_appt_cancelled_body({ number, subject }, o),
        quote: content.data.reason,
        path,
        action: m.mail_ticket_action({}, o),
      };
    case 'appointment_reminder': {
      const { timeZone, contractorName } = content.data;
      const when = formatAppointment(slotOf(content.data), contractorName, locale, timeZone);
      return {
        subject: m.mail_appt_reminder_subject({ appointment: when }, o),
        body: m.mail_appt_reminder_body({ number, subject, appointment: when }, o),
        path,
        action: m.mail_ticket_action({}, o),
      };
    }
  }
}

export interface MailAttachment {
  filename: string;
  content: string;
  contentType: string;
}

/**
 * The calendar file a confirmation (REQUEST) or the cancellation of a confirmed appointment
 * (CANCEL) carries (RFC 5545/5546), in the recipient's language; null for the other mails.
 */
export function appointmentAttachmentOf(
  content: { template: string; data: unknown },
  locale: Locale,
  context: Omit<InvitationContext, 'language'>,
): MailAttachment | null {
  if (!isAppointmentContent(content)) return null;
  let calendar: AppointmentCalendarData | null = null;
  let method: 'request' | 'cancel' = 'request';
  if (content.template === 'appointment_confirmed') calendar = content.data.calendar;
  else if (content.template === 'appointment_cancelled') {
    calendar = content.data.calendar;
    method = 'cancel';
  }
  if (!calendar) return null;
  const subject = subjectFor({ subject: calendar.subject, subjects: content.data.subjects }, locale);
  return {
    filename: m.mail_appt_ics_filename({}, { locale }),
    content: invitationIcs({ ...calendar, subject }, method, { ...context, language: locale }),
    contentType: `text/calendar; method=${method === 'cancel' ? 'CANCEL' : 'REQUEST'}; charset=utf-8`,
  };
}
