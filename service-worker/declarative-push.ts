/**
 * Declarative Web Push (WebKit, Safari 18.4+; proposed to the W3C Push API): a JSON payload the browser
 * can show by itself. Elsewhere this service worker parses the same JSON and shows it. The message
 * type is the one the server sends (shared/api/push.ts).
 */
import type { DeclarativePushMessage } from '../shared/api/push.ts';

/**
 * What may arrive, read leniently: other senders write the badge as a string, and some put it inside
 * `notification` where the WebKit explainer has it at the top level.
 */
type IncomingPush = Omit<DeclarativePushMessage, 'notification' | 'app_badge'> & {
  notification: DeclarativePushMessage['notification'] & { app_badge?: number | string };
  app_badge?: number | string;
};

export interface ShownNotification {
  title: string;
  options: NotificationOptions & { lang?: string; tag?: string; data: { navigate: string } };
  badge: number | null;
}

function badgeCount(value: unknown): number | null {
  const count = typeof value === 'string' ? Number(value) : value;
  return typeof count === 'number' && Number.isInteger(count) && count >= 0 ? count : null;
}

/** The notification to show for a push payload, or null when it is not Declarative Web Push JSON. */
export function parseDeclarativePush(text: string | null | undefined): ShownNotification | null {
  if (!text) return null;
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof payload !== 'object' || payload === null) return null;
  const { web_push: magic, notification, app_badge: topBadge } = payload as Partial<IncomingPush>;
  if (magic !== 8030 || typeof notification !== 'object' || notification === null) return null;
  const { title, body, navigate, lang, dir, tag, silent } = notification;
  if (typeof title !== 'string' || typeof navigate !== 'string') return null;
  return {
    title,
    options: {
      ...(typeof body === 'string' ? { body } : {}),
      ...(typeof lang === 'string' ? { lang } : {}),
      ...(dir ? { dir } : {}),
      ...(typeof tag === 'string' ? { tag } : {}),
      ...(silent === true ? { silent } : {}),
      icon: '/icons/icon-192.png',
      data: { navigate },
    },
    badge: badgeCount(topBadge ?? notification.app_badge),
  };
}
