import { m } from '../../shared/i18n/paraglide/messages.js';
import type { Locale } from '../../shared/api/auth.ts';
import { notificationText, type NotificationContent } from './templates.ts';

/**
 * Every mail the account flows send to an address, with JSON-serialisable data: exactly an outbox
 * row's `template` + `data` (queueMail in outbox.ts).
 */
export type AccountMailContent =
  | { template: 'verify_email'; data: { name: string | null; link: string; expiresAt: string } }
  | { template: 'reset_password'; data: { name: string | null; link: string; expiresAt: string } }
  | {
      template: 'staff_welcome';
      data: { name: string | null; portal: string; admin: string; link: string; expiresAt: string };
    }
  | {
      template: 'change_email';
      data: { name: string | null; link: string; expiresAt: string; email: string };
    }
  | { template: 'password_changed'; data: { name: string | null; changedAt: string } }
  | { template: 'email_changed'; data: { name: string | null; email: string } }
  | {
      /** To the OLD address when a change is asked for; `link` goes to the settings (cancel there). */
      template: 'email_change_requested';
      data: { name: string | null; email: string; requestedAt: string; link: string };
    }
  | {
      template: 'household_invitation';
      data: {
        name: string | null;
        inviter: string;
        address: string;
        code: string;
        link: string;
        expiresAt: string;
      };
    }
  | {
      /** The one-time code of a sign-up without a letter (seed 004), to the address the landlord holds. */
      template: 'signup_code';
      data: { name: string | null; code: string; expiresAt: string };
    }
  | {
      /** A household invitation to an address that already has a login: no code, how to go on. */
      template: 'household_invitation_existing';
      data: { name: null; inviter: string; address: string };
    }
  | {
      /** A contractor's job link (issue 20) to the company's address; they have no account. */
      template: 'job_dispatched';
      data: {
        name: null;
        company: string;
        ticketNumber: string;
        title: string;
        link: string;
        expiresAt: string;
        /** Staff's note to the contractor. */
        note: string | null;
      };
    };

/** Account mails and the domain's notifications (templates.ts), each with the recipient's name. */
export type MailContent =
  | AccountMailContent
  | (NotificationContent & { data: NotificationContent['data'] & { name?: string | null } });

export const accountMailTemplates = [
  'verify_email',
  'reset_password',
  'staff_welcome',
  'change_email',
  'password_changed',
  'email_changed',
  'email_change_requested',
  'household_invitation',
  'household_invitation_existing',
  'signup_code',
  'job_dispatched',
] as const satisfies readonly AccountMailContent['template'][];

export interface RenderOptions {
  timeZone: string;
  /** Deep links of notifications are built from it when the mail is rendered. */
  publicUrl: string;
  /** Who signs the mail: the landlord's name (server/services/landlord.ts), never the software's. */
  sender: string;
  /** The one-click unsubscribe address of a notification mail, also offered in its footer. */
  unsubscribeLink?: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const localeTags: Record<Locale, string> = { de: 'de-DE', en: 'en-GB', sv: 'sv-SE' };

function formatTime(iso: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(localeTags[locale], {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}

function formatDay(iso: string, locale: Locale, timeZone: string): string {
  return new Intl.DateTimeFormat(localeTags[locale], { dateStyle: 'long', timeZone }).format(new Date(iso));
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/**
 * Text another person typed (an inviter's or invitee's name, an address) on one line: control and
 * format characters (CR/LF, bidi overrides) become spaces, so nothing can start a line, a header or
 * reorder the text of a mail, whatever a future caller forgets to validate.
 */
const oneLine = (value: string) =>
  value
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, 200);

interface Parts {
  subject: string;
  body: string;
  quote?: string;
  action?: { label: string; link: string };
  /** Notification mails say where the channel choice is made (seed 003 "Informationskanäle"). */
  footer?: string[];
}

function isAccountMail(content: MailContent): content is AccountMailContent {
  return (accountMailTemplates as readonly string[]).includes(content.template);
}

function parts(
  content: MailContent,
  locale: Locale,
  { timeZone, publicUrl, unsubscribeLink }: RenderOptions,
): Parts {
  if (!isAccountMail(content)) {
    const text = notificationText(content, locale);
    return {
      subject: text.subject,
      body: text.body,
      quote: text.quote,
      action: { label: text.action, link: `${publicUrl}${text.path}` },
      footer: [
        m.mail_settings_footer({ link: `${publicUrl}/settings` }, { locale }),
        ...(unsubscribeLink ? [m.mail_unsubscribe_footer({ link: unsubscribeLink }, { locale })] : []),
      ],
    };
  }
  const o = { locale };
  switch (content.template) {
    case 'verify_email': {
      const expires = formatTime(content.data.expiresAt, locale, timeZone);
      return {
        subject: m.mail_verify_subject({}, o),
        body: m.mail_verify_body({ expires }, o),
        action: { label: m.mail_verify_action({}, o), link: content.data.link },
      };
    }
    case 'reset_password': {
      const expires = formatTime(content.data.expiresAt, locale, timeZone);
      return {
        subject: m.mail_reset_subject({}, o),
        body: m.mail_reset_body({ expires }, o),
        action: { label: m.mail_reset_action({}, o), link: content.data.link },
      };
    }
    case 'staff_welcome': {
      // A first login, not a forgotten password: who set the account up, where, and until when.
      const { portal, admin, link } = content.data;
      const expires = formatTime(content.data.expiresAt, locale, timeZone);
      return {
        subject: m.mail_staff_welcome_subject({ portal }, o),
        body: m.mail_staff_welcome_body({ portal, admin, expires }, o),
        action: { label: m.mail_staff_welcome_action({}, o), link },
      };
    }
    case 'change_email': {
      const expires = formatTime(content.data.expiresAt, locale, timeZone);
      return {
        subject: m.mail_change_email_subject({}, o),
        body: m.mail_change_email_body({ email: content.data.email, expires }, o),
        action: { label: m.mail_change_email_action({}, o), link: content.data.link },
      };
    }
    case 'password_changed':
      return {
        subject: m.mail_password_changed_subject({}, o),
        body: m.mail_password_changed_body({ time: formatTime(content.data.changedAt, locale, timeZone) }, o),
      };
    case 'email_changed':
      return {
        subject: m.mail_email_changed_subject({}, o),
        body: m.mail_email_changed_body({ email: content.data.email }, o),
      };
    case 'email_change_requested': {
      const time = formatTime(content.data.requestedAt, locale, timeZone);
      return {
        subject: m.mail_email_change_requested_subject({}, o),
        body: m.mail_email_change_requested_body({ email: content.data.email, time }, o),
        action: { label: m.mail_email_change_requested_action({}, o), link: content.data.link },
      };
    }
    case 'household_invitation': {
      const { code, link } = content.data;
      const [inviter, address] = [oneLine(content.data.inviter), oneLine(content.data.address)];
      const expires = formatDay(content.data.expiresAt, locale, timeZone);
      return {
        subject: m.mail_household_invitation_subject({ inviter }, o),
        body: m.mail_household_invitation_body({ inviter, address, code, expires }, o),
        action: { label: m.mail_household_invitation_action({}, o), link },
      };
    }
    case 'signup_code': {
      const expires = formatTime(content.data.expiresAt, locale, timeZone);
      return {
        subject: m.mail_signup_code_subject({}, o),
        body: m.mail_signup_code_body({ code: content.data.code, expires }, o),
      };
    }
    case 'job_dispatched': {
      const number = content.data.ticketNumber;
      const title = oneLine(content.data.title);
      const expires = formatDay(content.data.expiresAt, locale, timeZone);
      return {
        subject: m.mail_job_dispatched_subject({ number, title }, o),
        body: m.mail_job_dispatched_body({ number, title, expires }, o),
        ...(content.data.note ? { quote: content.data.note } : {}),
        action: { label: m.mail_job_dispatched_action({}, o), link: content.data.link },
      };
    }
    case 'household_invitation_existing': {
      const [inviter, address] = [oneLine(content.data.inviter), oneLine(content.data.address)];
      return {
        subject: m.mail_household_invitation_subject({ inviter }, o),
        body: m.mail_household_invitation_existing_body({ inviter, address }, o),
      };
    }
  }
}

/** Subject, plain text and a simple HTML alternative in the recipient's language. */
export function renderMail(content: MailContent, locale: Locale, options: RenderOptions): RenderedMail {
  const { subject, body, quote, action, footer } = parts(content, locale, options);
  const rawName = 'name' in content.data ? content.data.name : null;
  const name = rawName && content.template.startsWith('household_') ? oneLine(rawName) : rawName;
  const greeting = name ? m.mail_greeting({ name }, { locale }) : m.mail_greeting_plain({}, { locale });
  // Signed by the landlord; the sender's name is typed by an admin, so it stays on one line.
  const signature = m.mail_signature({ landlord: oneLine(options.sender) }, { locale });

  const text = [
    greeting,
    '',
    body,
    ...(quote ? ['', ...quote.split('\n').map((line) => `> ${line}`)] : []),
    ...(action ? ['', action.link] : []),
    '',
    signature,
    // RFC 3676 §4.3: the signature delimiter is dash, dash, space; mail clients then fold and
    // leave out what follows in replies.
    ...(footer ? ['', '-- ', ...footer] : []),
    '',
  ].join('\n');

  const actionHtml = action
    ? `<p><a href="${escapeHtml(action.link)}" style="display:inline-block;padding:10px 18px;background:#1f4e8c;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(action.label)}</a></p>
<p style="font-size:13px;color:#555555">${escapeHtml(m.mail_link_fallback({}, { locale }))}<br><a href="${escapeHtml(action.link)}">${escapeHtml(action.link)}</a></p>`
    : '';
  const html = `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#1a1a1a">
<p>${escapeHtml(greeting)}</p>
<p>${escapeHtml(body)}</p>
${quote ? `<blockquote style="margin:0 0 1em;padding-left:12px;border-left:3px solid #cccccc">${escapeHtml(quote).replace(/\n/g, '<br>')}</blockquote>\n` : ''}${actionHtml}
<p>${escapeHtml(signature).replace(/\n/g, '<br>')}</p>
${footer ? footer.map((line) => `<p style="font-size:13px;color:#555555">${escapeHtml(line)}</p>\n`).join('') : ''}
</body></html>
`;
  return { subject, text, html };
}
