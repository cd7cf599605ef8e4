import type { Config } from '../../config.ts';
import type { Mailer } from '../mailer.ts';
import { renderMail, type MailContent } from '../mail-templates.ts';
import type { Locale } from '../../../shared/api/auth.ts';
import type { ClaimedNotification } from '../../../db/repositories/notifications.ts';
import { PermanentFailure } from './failure.ts';

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

export async function sendEmail(
  deps: { mailer: Mailer; config: Pick<Config, 'timeZone' | 'publicUrl'> },
  row: ClaimedNotification,
  address: string | null,
): Promise<void> {
  const to = row.address ?? address;
  if (!to) throw new PermanentFailure('no_address');
  const content = { template: row.template, data: row.data } as MailContent;
  const rendered = renderMail(content, row.language as Locale, deps.config);
  await deps.mailer.deliver({
    to,
    ...rendered,
    messageId: messageIdOf(row.id, deps.config.publicUrl),
    fileKey: mailFileKeyOf(row),
  });
}
