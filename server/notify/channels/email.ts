import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import { loadLandlordProfile } from '../../services/landlord.ts';
import { isUnsubscribableCategory, unsubscribeTokenFor } from '../../services/unsubscribe.ts';
import type { Mailer } from '../mailer.ts';
import { renderMail, type MailContent } from '../mail-templates.ts';
import type { Locale } from '../../../shared/api/auth.ts';
import type { ClaimedNotification } from '../../../db/repositories/notifications.ts';
import { PermanentFailure } from './failure.ts';
import { appointmentAttachmentOf } from '../appointment-notifications.ts';

/**
 * Message-ID from the outbox row (issue 6): the worker may send a row twice (it died between
 * sending and marking), and receiving MTAs and mail clients drop the second copy by this id.
 */
export function messageIdOf(rowId: string, publicUrl: string): string {
  return `<notification-${rowId}@${new URL(publicUrl).hostname}>`;
}

/** File mode: time, then the row's sequence (orders same-millisecond rows), then its id. */
export function mailFileKeyOf(row: Pick<ClaimedNotification, 'id' | 'seq' | 'createdAt'>): string {
  const stamp = row.createdAt.toISOString().replace(/:/g, '-');
  return `${stamp}-${String(row.seq).padStart(10, '0')}-${row.id}`;
}

/**
 * RFC 8058 one-click unsubscribe for a notification the tenant may turn off (documents, replies,
 * notices, incidents); account mails and the service desk's alerts have none.
 */
async function unsubscribeLinkOf(db: DbOrTx, row: ClaimedNotification, publicUrl: string) {
  if (!row.userId || !isUnsubscribableCategory(row.category)) return null;
  // Signed from the notification's own time, so a redelivery after a crash is the same mail.
  return `${publicUrl}/api/unsubscribe/${await unsubscribeTokenFor(db, row.userId, row.category, row.createdAt)}`;
}

export async function sendEmail(
  deps: { db: DbOrTx; mailer: Mailer; config: Pick<Config, 'timeZone' | 'publicUrl'>; now: () => Date },
  row: ClaimedNotification,
  address: string | null,
): Promise<void> {
  const to = row.address ?? address;
  if (!to) throw new PermanentFailure('no_address');
  const content = { template: row.template, data: row.data } as MailContent;
  // Mails come from the landlord, not from the software: its name signs them, its service address
  // takes the answers to a no-reply sender.
  const landlord = await loadLandlordProfile(deps.db);
  const unsubscribeLink = await unsubscribeLinkOf(deps.db, row, deps.config.publicUrl);
  const rendered = renderMail(content, row.language as Locale, {
    ...deps.config,
    sender: landlord.name,
    unsubscribeLink: unsubscribeLink ?? undefined,
  });
  // A confirmed or cancelled repair appointment carries its calendar file (RFC 5545/5546).
  const attachment = appointmentAttachmentOf(content, row.language as Locale, {
    publicUrl: deps.config.publicUrl,
    organizer: {
      name: landlord.name,
      email: landlord.email ?? `no-reply@${new URL(deps.config.publicUrl).hostname}`,
    },
    attendee: { name: typeof row.data.name === 'string' ? row.data.name : null, email: to },
    stamp: row.createdAt,
  });
  await deps.mailer.deliver({
    to,
    ...rendered,
    ...(attachment && { attachments: [attachment] }),
    senderName: landlord.name,
    ...(landlord.email && { replyTo: landlord.email }),
    headers: {
      // RFC 3834 §5: sent by software, so vacation responders and other automata do not answer.
      'Auto-Submitted': 'auto-generated',
      ...(unsubscribeLink && {
        'List-Unsubscribe': `<${unsubscribeLink}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      }),
    },
    messageId: messageIdOf(row.id, deps.config.publicUrl),
    fileKey: mailFileKeyOf(row),
  });
}
