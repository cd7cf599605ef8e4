import { m } from '../../shared/i18n/paraglide/messages.js';
import type { Locale } from '../../shared/api/auth.ts';
import { subjectFor } from '../../shared/ticket-subject.ts';
import type { NotificationText } from './templates.ts';

/** The tenant's question when the contractor reported a repair done (outbox `template` + `data`). */
export interface RepairNotificationContent {
  template: 'repair_confirmation_requested';
  data: {
    ticketId: string;
    number: string;
    subject?: string;
    subjects?: Record<string, string>;
    contractorName: string;
  };
}

export function repairNotificationText(content: RepairNotificationContent, locale: Locale): NotificationText {
  const o = { locale };
  const { number, ticketId, contractorName } = content.data;
  const subject =
    subjectFor({ subject: content.data.subject ?? '', subjects: content.data.subjects }, locale) || '–';
  return {
    subject: m.mail_repair_confirm_subject({ number }, o),
    body: m.mail_repair_confirm_body({ number, subject, company: contractorName }, o),
    path: `/requests/${encodeURIComponent(ticketId)}`,
    action: m.mail_repair_confirm_action({}, o),
  };
}
