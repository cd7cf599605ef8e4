import {
  insertNotifications,
  listUsersPushedSince,
  type NotificationInsert,
  type NotificationRow,
} from '../../db/repositories/notifications.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { Locale } from '../../shared/api/auth.ts';
import type { AccountMailContent } from './mail-templates.ts';
import { channelsFor, loadRecipients, type NotificationUrgency } from './recipients.ts';
import type { NotificationContent } from './templates.ts';

export type NotificationCategory = NotificationRow['category'];
export type NotificationChannel = NotificationRow['channel'];
export type { NotificationUrgency } from './recipients.ts';

const hourMs = 3_600_000;

/*
 * The queue side of the outbox (DESIGN.md "Notifications"). Every function here runs INSIDE the
 * business transaction: the row commits or rolls back with the change it reports, so nothing is
 * announced that did not happen and nothing that happened goes unannounced.
 */

const wakeListeners = new Set<() => void>();
let wakeScheduled = false;

/**
 * Workers of this process are told after the queuing transaction committed. better-sqlite3
 * transactions are synchronous, so by the next macrotask the caller's transaction has committed
 * (or rolled back, and the worker finds nothing); no hook into every service is needed.
 */
function scheduleWake(): void {
  if (wakeScheduled || wakeListeners.size === 0) return;
  wakeScheduled = true;
  setImmediate(() => {
    wakeScheduled = false;
    for (const listener of wakeListeners) listener();
  });
}

export function onNotificationsQueued(listener: () => void): () => void {
  wakeListeners.add(listener);
  return () => wakeListeners.delete(listener);
}

function insertAndWake(tx: DbOrTx, rows: NotificationInsert[]): NotificationRow[] {
  const inserted = insertNotifications(tx, rows);
  if (inserted.length > 0) scheduleWake();
  return inserted;
}

export type QueueNotificationInput = NotificationContent & {
  userIds: readonly string[];
  category: Exclude<NotificationCategory, 'account'>;
  /** `emergency` pushes and texts regardless of choices; `normal` notices push at most hourly. */
  urgency?: NotificationUrgency;
  now: Date;
  /** Restrict to these channels (the test notification goes to devices only). */
  only?: readonly NotificationChannel[];
};

/**
 * One row per recipient × enabled channel, in each recipient's language, following their choice
 * per category (seed 003 "Informationskanäle") and the defaults of recipients.ts.
 */
export function queueNotification(tx: DbOrTx, input: QueueNotificationInput): NotificationRow[] {
  const urgency = input.urgency ?? 'normal';
  const recipients = loadRecipients(tx, [...new Set(input.userIds)]);
  // DESIGN.md: "normal notices push at most once an hour per user"; incidents and replies always.
  const throttled =
    input.category === 'notices' && urgency === 'normal'
      ? listUsersPushedSince(
          tx,
          recipients.map((r) => r.userId),
          'notices',
          new Date(input.now.getTime() - hourMs),
        )
      : new Set<string>();
  const rows: NotificationInsert[] = [];
  for (const recipient of recipients) {
    const data = { ...input.data, name: recipient.name };
    for (const channel of channelsFor(recipient, input.category, urgency)) {
      if (input.only && !input.only.includes(channel)) continue;
      if (channel === 'push' && throttled.has(recipient.userId)) continue;
      rows.push({
        userId: recipient.userId,
        channel,
        category: input.category,
        template: input.template,
        data,
        language: recipient.language,
        nextAttemptAt: input.now,
        createdAt: input.now,
      });
    }
  }
  return insertAndWake(tx, rows);
}

export type QueueMailInput = AccountMailContent & {
  address: string;
  language: Locale;
  now: Date;
  /** The account the mail concerns, when there is one (the row goes when the account goes). */
  userId?: string | null;
};

/** Account mails to an address (verification, reset, e-mail change, invitation): always sent. */
export function queueMail(tx: DbOrTx, input: QueueMailInput): NotificationRow {
  return insertAndWake(tx, [
    {
      userId: input.userId ?? null,
      address: input.address,
      channel: 'email',
      category: 'account',
      template: input.template,
      data: input.data,
      language: input.language,
      nextAttemptAt: input.now,
      createdAt: input.now,
    },
  ])[0]!;
}

/** A verification code by SMS to a number (seed 004 "verifiering via SMS"). */
export function queueSmsCode(
  tx: DbOrTx,
  input: { phone: string; code: string; language: Locale; now: Date; userId?: string | null },
): NotificationRow {
  return insertAndWake(tx, [
    {
      userId: input.userId ?? null,
      address: input.phone,
      channel: 'sms',
      category: 'account',
      template: 'verification_code',
      data: { code: input.code },
      language: input.language,
      nextAttemptAt: input.now,
      createdAt: input.now,
    },
  ])[0]!;
}
