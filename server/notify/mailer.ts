import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import type { Locale } from '../../shared/api/auth.ts';
import { renderMail, type MailContent } from './mail-templates.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Delivers one finished mail. SMTP when SMTP_URL is set, else an `.eml` file in `$DATA_DIR/mail/` (API.md). */
export interface Mailer {
  deliver(mail: OutgoingMail): Promise<void>;
}

let sequence = 0;

/** `2026-01-05T10-20-30.123Z-0001-anna@example.org.eml`: sorts by time, names the recipient. */
function mailFileName(to: string): string {
  const stamp = new Date().toISOString().replace(/:/g, '-');
  sequence = (sequence + 1) % 10_000;
  const recipient = to.toLowerCase().replace(/[^a-z0-9@._+-]/g, '_');
  return `${stamp}-${String(sequence).padStart(4, '0')}-${recipient}.eml`;
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'dataDir'>): Mailer {
  if (config.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(config.smtpUrl);
    return {
      async deliver(mail) {
        await transport.sendMail({ from: config.mailFrom, ...mail, textEncoding: 'quoted-printable' });
      },
    };
  }
  const directory = join(config.dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async deliver(mail) {
      const info = await transport.sendMail({
        from: config.mailFrom,
        ...mail,
        textEncoding: 'quoted-printable',
      });
      await mkdir(directory, { recursive: true });
      const target = join(directory, mailFileName(mail.to));
      // Written under a temporary name and renamed: a reader polling the folder never sees half a mail.
      await writeFile(`${target}.tmp`, info.message as Buffer);
      await rename(`${target}.tmp`, target);
    },
  };
}

export interface MailRequest {
  to: string;
  language: Locale;
  content: MailContent;
}

export interface MailDeps {
  mailer: Mailer;
  config: Pick<Config, 'timeZone' | 'logLevel'>;
}

/**
 * The one seam every service sends mail through, called right after its transaction commits.
 * When the outbox worker arrives this writes a notifications row inside the transaction instead
 * (template, data and language are already the row's columns). A failed delivery is logged, not
 * thrown: the change it reports is committed and must not turn into an error answer.
 */
export async function sendMail(deps: MailDeps, request: MailRequest): Promise<boolean> {
  try {
    const rendered = renderMail(request.content, request.language, deps.config.timeZone);
    await deps.mailer.deliver({ to: request.to, ...rendered });
    return true;
  } catch (error) {
    if (deps.config.logLevel !== 'silent')
      console.error('mail delivery failed', request.content.template, error);
    return false;
  }
}
