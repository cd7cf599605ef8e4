import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<notification-ROWID@host>`: a resent outbox row carries the same id, so MTAs and clients dedupe. */
  messageId?: string;
  /** The landlord's service address: the sender is no-reply, so answers go where someone reads them. */
  replyTo?: string;
  /**
   * The landlord's name as the From display name, used when MAIL_FROM is a bare address (as the
   * default is); a MAIL_FROM with a display name of its own is sent as configured.
   */
  senderName?: string;
  /** Further header fields: `Auto-Submitted` (RFC 3834), `List-Unsubscribe` (RFC 2369, 8058). */
  headers?: Record<string, string>;
  /**
   * File mode: a stable name part from the outbox row, so a resend overwrites the first file
   * instead of adding a second one (issue 6 "nothing sent twice").
   */
  fileKey?: string;
  /** Files carried along, e.g. a repair appointment's calendar invitation (text/calendar). */
  attachments?: { filename: string; content: string; contentType: string }[];
}

/** Delivers one finished mail. SMTP when SMTP_URL is set, else an `.eml` file in `$DATA_DIR/mail/` (API.md). */
export interface Mailer {
  deliver(mail: OutgoingMail): Promise<void>;
}

let sequence = 0;

/**
 * `2026-01-05T10-20-30.123Z-0001-anna@example.org.eml`: sorts by time, names the recipient.
 * With a file key (outbox row) the name is `<key>-anna@example.org.eml`, the same on every resend.
 */
function mailFileName(to: string, fileKey?: string): string {
  const recipient = to.toLowerCase().replace(/[^a-z0-9@._+-]/g, '_');
  if (fileKey) return `${fileKey}-${recipient}.eml`;
  const stamp = new Date().toISOString().replace(/:/g, '-');
  sequence = (sequence + 1) % 10_000;
  return `${stamp}-${String(sequence).padStart(4, '0')}-${recipient}.eml`;
}

function transportFields(mailFrom: string, { fileKey: _fileKey, senderName, ...mail }: OutgoingMail) {
  const from =
    senderName && !mailFrom.includes('<') ? { name: senderName, address: mailFrom.trim() } : mailFrom;
  return { from, ...mail };
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>): Mailer {
  if (config.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(config.smtpUrl);
    return {
      async deliver(mail) {
        await transport.sendMail({
          ...transportFields(config.mailFrom, mail),
          textEncoding: 'quoted-printable',
        });
      },
    };
  }
  const directory = join(config.dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async deliver(mail) {
      const info = await transport.sendMail({
        ...transportFields(config.mailFrom, mail),
        textEncoding: 'quoted-printable',
      });
      await mkdir(directory, { recursive: true });
      const target = join(directory, mailFileName(mail.to, mail.fileKey));
      // Written under a temporary name and renamed: a reader polling the folder never sees half a mail.
      await writeFile(`${target}.tmp`, info.message as Buffer);
      await rename(`${target}.tmp`, target);
    },
  };
}
