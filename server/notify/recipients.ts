import {
  listPreferencesOfUsers,
  listRecipients,
  listUsersWithPushSubscription,
  type NotificationRow,
} from '../../db/repositories/notifications.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { Locale } from '../../shared/api/auth.ts';

export type NotificationUrgency = 'normal' | 'high' | 'emergency';
type Category = NotificationRow['category'];
type Channel = NotificationRow['channel'];

export interface Recipient {
  userId: string;
  language: Locale;
  name: string | null;
  /** The verified login address; null while unverified (the address is not proven yet). */
  email: string | null;
  /** Mobile first: an SMS to a landline is lost. */
  phone: string | null;
  hasPushSubscription: boolean;
  /** Stored choices "category:channel" → enabled; absent = default. */
  choices: Map<string, boolean>;
}

/** Everything the channel choice needs for all recipients: three queries, whatever their number. */
export async function loadRecipients(db: DbOrTx, userIds: string[]): Promise<Recipient[]> {
  const rows = await listRecipients(db, userIds);
  const ids = rows.map((row) => row.userId);
  const withPush = await listUsersWithPushSubscription(db, ids);
  const choices = new Map<string, Map<string, boolean>>();
  for (const pref of await listPreferencesOfUsers(db, ids)) {
    let map = choices.get(pref.userId);
    if (!map) choices.set(pref.userId, (map = new Map<string, boolean>()));
    map.set(`${pref.category}:${pref.channel}`, pref.enabled);
  }
  return rows.map((row) => ({
    userId: row.userId,
    language: row.language,
    name: [row.firstName, row.lastName].filter(Boolean).join(' ') || row.organisationName || null,
    email: row.emailVerified ? row.loginEmail : null,
    phone: row.mobile ?? row.phone,
    hasPushSubscription: withPush.has(row.userId),
    choices: choices.get(row.userId) ?? new Map<string, boolean>(),
  }));
}

/** Push by default where it is timely (issue 6): replies, incidents, notices. */
const pushByDefault: ReadonlySet<Category> = new Set(['ticket_replies', 'incidents', 'notices']);

/**
 * The choice a user has made when nothing is stored — one rule for the outbox and for the settings
 * page (which shows it): e-mail for everything, push where timely, SMS and post only when chosen.
 */
export function defaultChannelChoice(category: Category, channel: Channel): boolean {
  if (channel === 'email') return true;
  if (channel === 'push') return pushByDefault.has(category);
  return false;
}

/**
 * The channels a notification goes out on for one recipient. Defaults when nothing is stored:
 * e-mail for every category; push for replies, incidents and notices where a device exists; SMS
 * only for emergencies (costly and intrusive; an explicit choice enables it elsewhere); post is
 * the landlord's letter, never sent by us. Emergencies push and text regardless of choices
 * (seed 004: the water leak by SMS; seed 002: building outage push).
 */
export function channelsFor(
  recipient: Recipient,
  category: Category,
  urgency: NotificationUrgency,
): Channel[] {
  const choice = (channel: Channel) => recipient.choices.get(`${category}:${channel}`);
  const channels: Channel[] = [];
  const chosen = (channel: Channel) => choice(channel) ?? defaultChannelChoice(category, channel);
  if (recipient.email && (category === 'account' || chosen('email'))) channels.push('email');
  const emergency = urgency === 'emergency';
  if (recipient.hasPushSubscription && (emergency || chosen('push'))) channels.push('push');
  if (recipient.phone && (emergency || chosen('sms'))) channels.push('sms');
  return channels;
}
