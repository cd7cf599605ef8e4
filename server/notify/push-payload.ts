import type { DeclarativePushMessage } from '../../shared/api/push.ts';
import type { Locale } from '../../shared/api/auth.ts';
import { excerptOf, notificationText, type NotificationContent } from './templates.ts';

/**
 * The push body in the Declarative Web Push format (W3C Push API "declarative push message";
 * WebKit, Safari 18.4+ shows it without running the service worker). The tag comes from the outbox
 * row, so a push delivered twice (worker crash between send and mark) replaces itself on screen.
 * `appBadge` (server/notify/badge.ts, counted at send time) becomes the top-level `app_badge` the
 * WebKit explainer defines; null (staff) leaves the badge as it is.
 */
export function pushPayload(
  row: { id: string; template: string; data: Record<string, unknown>; language: string },
  publicUrl: string,
  appBadge: number | null = null,
): DeclarativePushMessage {
  const content = { template: row.template, data: row.data } as NotificationContent;
  const text = notificationText(content, row.language as Locale);
  return {
    web_push: 8030,
    notification: {
      title: text.subject,
      body: excerptOf(text.quote ?? text.body, 200),
      navigate: `${publicUrl}${text.path}`,
      lang: row.language,
      dir: 'ltr',
      tag: `notification-${row.id}`,
      silent: false,
      mutable: true,
      data: { notificationId: row.id, template: row.template },
    },
    ...(appBadge === null ? {} : { app_badge: appBadge }),
  };
}
