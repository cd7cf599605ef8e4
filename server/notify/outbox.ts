import {
  insertNotifications,
  listUsersPushedSince,
  type NotificationInsert,
  type NotificationRow,
} from '../../db/repositories/notifications.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { Locale } from '../../shared/api/auth.ts';
import type { AccountMailContent } from './mail-templates.ts';
import type { BroadcastReachDto } from '../../shared/api/broadcast-reach.ts';
import { channelsFor, loadRecipients, type NotificationUrgency, type Recipient } from './recipients.ts';
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

async function insertAndWake(tx: DbOrTx, rows: NotificationInsert[]): Promise<NotificationRow[]> {
  const inserted = await insertNotifications(tx, rows);
  if (inserted.length > 0) scheduleWake();
  return inserted;
}

/** Who is asked and how urgently: everything the channel choice depends on, nothing of the text. */
export interface NotificationAudience {
  userIds: readonly string[];
  category: Exclude<NotificationCategory, 'account'>;
  /** `emergency` pushes and texts regardless of choices; `normal` notices push at most hourly. */
  urgency?: NotificationUrgency;
  now: Date;
  /** Restrict to these channels (the test notification goes to devices only). */
  only?: readonly NotificationChannel[];
}

export type QueueNotificationInput = NotificationContent & NotificationAudience;

interface Delivery {
  recipient: Recipient;
  channel: NotificationChannel;
}

/**
 * The one recipient selection: each recipient × channel the row would go out on, following their
 * choice per category (seed 003 "Informationskanäle"), the defaults of recipients.ts and the
 * hourly push throttle. Sending and the console's "how many get it" preview both read this, so the
 * preview cannot drift from what is sent.
 */
async function selectDeliveries(
  db: DbOrTx,
  audience: NotificationAudience,
): Promise<{ recipients: Recipient[]; deliveries: Delivery[] }> {
  const urgency = audience.urgency ?? 'normal';
  const recipients = await loadRecipients(db, [...new Set(audience.userIds)]);
  // DESIGN.md: "normal notices push at most once an hour per user"; incidents and replies always.
  const throttled =
    audience.category === 'notices' && urgency === 'normal'
      ? await listUsersPushedSince(
          db,
          recipients.map((r) => r.userId),
          'notices',
          new Date(audience.now.getTime() - hourMs),
        )
      : new Set<string>();
  const deliveries: Delivery[] = [];
  for (const recipient of recipients) {
    for (const channel of channelsFor(recipient, audience.category, urgency)) {
      if (audience.only && !audience.only.includes(channel)) continue;
      if (channel === 'push' && throttled.has(recipient.userId)) continue;
      deliveries.push({ recipient, channel });
    }
  }
  return { recipients, deliveries };
}

/** One row per recipient × enabled channel, in each recipient's language. */
export async function queueNotification(
  tx: DbOrTx,
  input: QueueNotificationInput,
): Promise<NotificationRow[]> {
  const rows: NotificationInsert[] = (await selectDeliveries(tx, input)).deliveries.map(
    ({ recipient, channel }) => ({
      userId: recipient.userId,
      channel,
      category: input.category,
      template: input.template,
      data: { ...input.data, name: recipient.name },
      language: recipient.language,
      nextAttemptAt: input.now,
      createdAt: input.now,
    }),
  );
  return await insertAndWake(tx, rows);
}

/**
 * What `queueNotification` would write for this audience right now, counted: the people in it and
 * the rows per channel (a person without any enabled channel counts as a person, not as a row).
 */
export async function countDeliveries(
  db: DbOrTx,
  audience: NotificationAudience,
): Promise<BroadcastReachDto> {
  const { recipients, deliveries } = await selectDeliveries(db, audience);
  const reach: BroadcastReachDto = { people: recipients.length, email: 0, push: 0, sms: 0 };
  for (const { channel } of deliveries) if (channel !== 'post') reach[channel]++;
  return reach;
}

export type QueueMailInput = AccountMailContent & {
  address: string;
  language: Locale;
  now: Date;
  /** The account the mail concerns, when there is one (the row goes when the account goes). */
  userId?: string | null;
};

/** Account mails to an address (verification, reset, e-mail change, invitation): always sent. */
export async function queueMail(tx: DbOrTx, input: QueueMailInput): Promise<NotificationRow> {
  return (
    await insertAndWake(tx, [
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
    ])
  )[0]!;
}

/** A verification code by SMS to a number (seed 004 "verifiering via SMS"). */
export async function queueSmsCode(
  tx: DbOrTx,
  input: { phone: string; code: string; language: Locale; now: Date; userId?: string | null },
): Promise<NotificationRow> {
  return (
    await insertAndWake(tx, [
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
    ])
  )[0]!;
}
