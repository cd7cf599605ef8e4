import { m } from '../../shared/i18n/paraglide/messages.js';
import type { Locale } from '../../shared/api/auth.ts';
import { subjectFor } from '../../shared/ticket-subject.ts';
import {
  appointmentNotificationText,
  type AppointmentNotificationContent,
} from './appointment-notifications.ts';
import { repairNotificationText, type RepairNotificationContent } from './repair-notifications.ts';

/** Ticket statuses as the tenant reads them (the same labels as the PWA's status tracking). */
const statusLabel: Record<string, (locale: Locale) => string> = {
  new: (locale) => m.ticket_status_new({}, { locale }),
  in_progress: (locale) => m.ticket_status_in_progress({}, { locale }),
  waiting_tenant: (locale) => m.ticket_status_waiting_tenant({}, { locale }),
  resolved: (locale) => m.ticket_status_resolved({}, { locale }),
  closed: (locale) => m.ticket_status_closed({}, { locale }),
};

/**
 * A ticket's number and subject in a notification. `subjects` holds every language (issue 15
 * item 3) and the recipient's is used; `subject` (default language) serves rows queued before
 * subjects were stored, and reply and status rows of that time carry none at all.
 */
interface TicketSubjectData {
  ticketId: string;
  number: string;
  subject?: string;
  subjects?: Record<string, string>;
}

const subjectIn = (data: TicketSubjectData, locale: Locale) =>
  subjectFor({ subject: data.subject ?? '', subjects: data.subjects }, locale);

/**
 * The notifications the domain sends to users (outbox `template` + `data`). Data holds ids and
 * short texts, never links: links are built from PUBLIC_URL when sending, so a changed domain
 * does not leave stale links in queued rows. `name` is the recipient's, added when queued.
 */
export type NotificationContent =
  | { template: 'ticket_received'; data: TicketSubjectData }
  | { template: 'ticket_reply'; data: TicketSubjectData & { excerpt: string } }
  | { template: 'ticket_status'; data: TicketSubjectData & { status: string } }
  | { template: 'document_published'; data: { documentId: string; title: string } }
  | { template: 'notice_published'; data: { noticeId: string; title: string; excerpt: string } }
  | {
      template: 'incident_published';
      data: { incidentId: string; title: string; excerpt: string; emergency: boolean };
    }
  | {
      template: 'emergency_alert';
      data: {
        ticketId: string;
        number: string;
        building: string;
        unit: string;
        phone: string;
        tenantName: string;
      };
    }
  | { template: 'push_test'; data: Record<string, never> }
  | { template: 'verification_code'; data: { code: string } }
  | AppointmentNotificationContent
  | RepairNotificationContent;

export type NotificationTemplate = NotificationContent['template'];

export interface NotificationText {
  subject: string;
  body: string;
  /** Verbatim text (a staff reply, a notice): its own paragraph, never interpreted as markup. */
  quote?: string;
  /** Deep link path in the tenant app (seed 004: "a link straight to the case"). */
  path: string;
  action: string;
}

/** One text per template and language; mail, push and SMS each take what fits them. */
export function notificationText(content: NotificationContent, locale: Locale): NotificationText {
  const o = { locale };
  switch (content.template) {
    case 'ticket_received': {
      const { number, ticketId } = content.data;
      const subject = subjectIn(content.data, locale);
      return {
        subject: m.mail_ticket_received_subject({ number }, o),
        body: m.mail_ticket_received_body({ number, subject }, o),
        path: `/requests/${encodeURIComponent(ticketId)}`,
        action: m.mail_ticket_action({}, o),
      };
    }
    case 'ticket_reply': {
      const { number, excerpt, ticketId } = content.data;
      return {
        subject: m.mail_ticket_reply_subject({ number }, o),
        body: m.mail_ticket_reply_body({ number, subject: subjectIn(content.data, locale) || '–' }, o),
        quote: excerpt,
        path: `/requests/${encodeURIComponent(ticketId)}`,
        action: m.mail_ticket_action({}, o),
      };
    }
    case 'ticket_status': {
      const { number, ticketId } = content.data;
      const status = statusLabel[content.data.status]?.(locale) ?? content.data.status;
      return {
        subject: m.mail_ticket_status_subject({ number, status }, o),
        body: m.mail_ticket_status_body(
          { number, status, subject: subjectIn(content.data, locale) || '–' },
          o,
        ),
        path: `/requests/${encodeURIComponent(ticketId)}`,
        action: m.mail_ticket_action({}, o),
      };
    }
    case 'document_published': {
      const { title } = content.data;
      return {
        subject: m.mail_document_subject({ title }, o),
        body: m.mail_document_body({ title }, o),
        path: '/documents',
        action: m.mail_document_action({}, o),
      };
    }
    case 'notice_published':
      return {
        subject: m.mail_notice_subject({ title: content.data.title }, o),
        body: content.data.excerpt,
        path: '/notices',
        action: m.mail_notice_action({}, o),
      };
    case 'incident_published': {
      const { title, excerpt, emergency } = content.data;
      return {
        subject: emergency
          ? m.mail_incident_emergency_subject({ title }, o)
          : m.mail_incident_subject({ title }, o),
        body: excerpt,
        path: '/requests',
        action: m.mail_incident_action({}, o),
      };
    }
    case 'emergency_alert': {
      // Staff alert (server/services/emergencies.ts): building, unit and phone in the first line,
      // so a locked phone's notification is enough to act on; the link opens the console.
      const { number, ticketId, tenantName } = content.data;
      const building = content.data.building || '–';
      const unit = content.data.unit || '–';
      const phone = content.data.phone || m.emergency_alert_no_phone({}, o);
      return {
        subject: m.emergency_alert_subject({ number, building, unit }, o),
        body: m.emergency_alert_body({ number, building, unit, phone, tenant: tenantName || '–' }, o),
        path: `/staff/tickets/${encodeURIComponent(ticketId)}`,
        action: m.emergency_alert_action({}, o),
      };
    }
    case 'push_test':
      return {
        subject: m.push_test_title({}, o),
        body: m.push_test_body({}, o),
        path: '/settings',
        action: m.push_test_title({}, o),
      };
    case 'verification_code':
      // Only ever sent by SMS (smsText), which signs it with the landlord's name.
      return {
        subject: content.data.code,
        body: content.data.code,
        path: '/',
        action: '',
      };
    case 'appointment_proposed':
    case 'appointment_confirmed':
    case 'appointment_move_requested':
    case 'appointment_cancelled':
    case 'appointment_reminder':
      return appointmentNotificationText(content, locale);
    case 'repair_confirmation_requested':
      return repairNotificationText(content, locale);
  }
}

/**
 * SMS are short and plain (GSM-7 segments cost money): subject and the deep link, signed with the
 * landlord's name (`sender`) so the tenant knows who writes, whatever the provider shows as sender.
 */
export function smsText(
  content: NotificationContent,
  locale: Locale,
  { publicUrl, sender }: { publicUrl: string; sender: string },
): string {
  const o = { locale };
  if (content.template === 'verification_code')
    return m.sms_verification_code({ code: content.data.code, sender }, o);
  const text = notificationText(content, locale);
  const link = `${publicUrl}${text.path}`;
  if (content.template === 'emergency_alert') return `${text.body} ${link}`;
  if (content.template === 'incident_published')
    return m.sms_incident({ title: text.subject, link, sender }, o);
  return m.sms_notification({ subject: text.subject, link, sender }, o);
}

/** Excerpts for previews: whitespace folded, cut at a word boundary. */
export function excerptOf(text: string, max = 400): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded.length <= max) return folded;
  const cut = folded.slice(0, max);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), max - 40))} …`;
}
