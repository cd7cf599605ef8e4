import { DrainLoop } from '../lib/drain-loop.ts';
import {
  claimDueNotifications,
  listRecipients,
  markNotificationFailed,
  markNotificationSent,
  type ClaimedNotification,
} from '../../db/repositories/notifications.ts';
import type { Deps } from '../deps.ts';
import type { Locale } from '../../shared/api/auth.ts';
import { sendEmail } from './channels/email.ts';
import { PermanentFailure } from './channels/failure.ts';
import { sendPush } from './channels/push.ts';
import { onNotificationsQueued } from './outbox.ts';
import { smsText, type NotificationContent } from './templates.ts';
import { loadLandlordProfile } from '../services/landlord.ts';

export type OutboxDeps = Pick<Deps, 'db' | 'config' | 'now' | 'mailer' | 'sms' | 'resolveHost'>;

export interface OutboxOptions {
  batchSize: number;
  /** A `sending` row whose claim is older than this is taken again (the worker died). */
  leaseMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Test seam: runs after a successful send and before the row is marked sent. */
  afterSend?: (row: ClaimedNotification) => void | Promise<void>;
}

export const defaultOutboxOptions: OutboxOptions = {
  batchSize: 50,
  leaseMs: 2 * 60_000,
  // 30 s · 2^n, capped at 6 h: eight attempts span about 1 h 4 min before `dead`.
  maxAttempts: 8,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3_600_000,
};

/** Links and codes in these mails are secrets: once delivered, the outbox keeps no copy. */
const secretTemplates = new Set([
  'verify_email',
  'reset_password',
  'staff_welcome',
  'change_email',
  'household_invitation',
  'verification_code',
  'signup_code',
]);

async function send(deps: OutboxDeps, row: ClaimedNotification, address: AddressBook): Promise<void> {
  const recipient = row.userId ? address.get(row.userId) : undefined;
  switch (row.channel) {
    case 'email':
      return await sendEmail(deps, row, recipient?.email ?? null);
    case 'push':
      return await sendPush(deps, row);
    case 'sms': {
      const to = row.address ?? recipient?.phone;
      if (!to) throw new PermanentFailure('no_phone');
      const content = { template: row.template, data: row.data } as NotificationContent;
      const sender = (await loadLandlordProfile(deps.db)).name;
      return deps.sms.send({
        to,
        text: smsText(content, row.language as Locale, { publicUrl: deps.config.publicUrl, sender }),
        idempotencyKey: row.id,
      });
    }
    case 'post':
      // Letters are the landlord's own process; a row should never exist. Nothing to retry.
      throw new PermanentFailure('post_not_sent_by_portier');
  }
}

type AddressBook = Map<string, { email: string | null; phone: string | null }>;

async function addressBookOf(deps: OutboxDeps, rows: ClaimedNotification[]): Promise<AddressBook> {
  // Addresses at send time, not queue time: a changed login e-mail or number applies to what is due.
  const ids = [...new Set(rows.flatMap((row) => (row.userId && !row.address ? [row.userId] : [])))];
  return new Map(
    (await listRecipients(deps.db, ids)).map((r) => [
      r.userId,
      { email: r.emailVerified ? r.loginEmail : null, phone: r.mobile ?? r.phone },
    ]),
  );
}

async function process(
  deps: OutboxDeps,
  options: OutboxOptions,
  row: ClaimedNotification,
  book: AddressBook,
): Promise<void> {
  try {
    await send(deps, row, book);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof PermanentFailure || row.attempts >= options.maxAttempts;
    const delay = Math.min(options.baseDelayMs * 2 ** (row.attempts - 1), options.maxDelayMs);
    await markNotificationFailed(
      deps.db,
      row,
      message.slice(0, 500),
      permanent ? null : new Date(deps.now().getTime() + delay),
    );
    if (deps.config.logLevel === 'debug') console.warn('notification failed', row.id, message);
    return;
  }
  // A crash here (before the mark) resends the row after the lease: same Message-ID, same file,
  // same push tag and SMS idempotency key, so the duplicate is absorbed downstream.
  await options.afterSend?.(row);
  await markNotificationSent(deps.db, row, deps.now(), secretTemplates.has(row.template) ? {} : undefined);
}

/** Sends everything due now, batch by batch; returns how many rows were attempted. */
export async function drainOutbox(deps: OutboxDeps, overrides: Partial<OutboxOptions> = {}): Promise<number> {
  const options = { ...defaultOutboxOptions, ...overrides };
  let attempted = 0;
  for (;;) {
    const now = deps.now();
    const rows = await claimDueNotifications(
      deps.db,
      now,
      new Date(now.getTime() + options.leaseMs),
      options.batchSize,
    );
    if (rows.length === 0) return attempted;
    attempted += rows.length;
    const book = await addressBookOf(deps, rows);
    await Promise.all(rows.map((row) => process(deps, options, row, book)));
  }
}

/** The running worker (server/main.ts): the outbox's drain on a DrainLoop. */
export class OutboxWorker extends DrainLoop {
  constructor(deps: OutboxDeps, options: Partial<OutboxOptions> = {}, intervalMs = 10_000) {
    super(
      'outbox',
      async () => await drainOutbox(deps, options),
      onNotificationsQueued,
      intervalMs,
      deps.config.logLevel === 'silent',
    );
  }
}
