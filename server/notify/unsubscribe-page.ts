import { m } from '../../shared/i18n/paraglide/messages.js';
import type { Locale } from '../../shared/api/auth.ts';
import type { NotificationCategory } from '../../shared/api/profile.ts';

/*
 * The small pages of the one-click unsubscribe link (routes/unsubscribe.ts), for a person who
 * opens the link in a browser: plain HTML without scripts or styles, in the recipient's language.
 */

const topicOf: Record<NotificationCategory, (locale: Locale) => string> = {
  documents: (locale) => m.notification_category_documents({}, { locale }),
  ticket_replies: (locale) => m.notification_category_ticket_replies({}, { locale }),
  notices: (locale) => m.notification_category_notices({}, { locale }),
  incidents: (locale) => m.notification_category_incidents({}, { locale }),
};

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

const settingsLink = (locale: Locale, publicUrl: string) =>
  `<p><a href="${escapeHtml(`${publicUrl}/settings`)}">${escapeHtml(m.unsubscribe_settings({}, { locale }))}</a></p>`;

interface Target {
  category: NotificationCategory;
  language: Locale;
}

/** GET: what the button turns off. The form posts to the same address (RFC 8058's one-click body). */
export function unsubscribePage({ category, language: locale }: Target, publicUrl: string): string {
  const topic = topicOf[category](locale);
  return page(
    locale,
    m.unsubscribe_title({}, { locale }),
    `<p>${escapeHtml(m.unsubscribe_question({ topic }, { locale }))}</p>
<form method="post">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">${escapeHtml(m.unsubscribe_confirm({}, { locale }))}</button>
</form>
${settingsLink(locale, publicUrl)}`,
  );
}

/** After the POST from the page above. */
export function unsubscribedPage({ category, language: locale }: Target, publicUrl: string): string {
  const topic = topicOf[category](locale);
  return page(
    locale,
    m.unsubscribe_done_title({}, { locale }),
    `<p role="status">${escapeHtml(m.unsubscribe_done({ topic }, { locale }))}</p>
${settingsLink(locale, publicUrl)}`,
  );
}

/** A forged, expired or unknown token: the same page whatever the reason. */
export function unknownLinkPage(locale: Locale, publicUrl: string): string {
  return page(
    locale,
    m.unsubscribe_unknown_title({}, { locale }),
    `<p>${escapeHtml(m.unsubscribe_unknown({}, { locale }))}</p>
${settingsLink(locale, publicUrl)}`,
  );
}
