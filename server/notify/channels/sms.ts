import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config.ts';

export interface OutgoingSms {
  to: string;
  text: string;
  /** The outbox row id: a provider that dedupes by it sends a retried row once. */
  idempotencyKey: string;
}

/** The SMS provider seam (issue 6): an HTTP provider by env, or files when none is configured. */
export interface SmsSender {
  send(message: OutgoingSms): Promise<void>;
}

/** `POST SMS_URL` JSON `{ to, from, text, idempotencyKey }` with `Authorization: Bearer SMS_TOKEN`. */
export function httpSmsSender(sms: { url: string; token: string | undefined; from: string }): SmsSender {
  return {
    async send(message) {
      const res = await fetch(sms.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(sms.token && { authorization: `Bearer ${sms.token}` }),
          'idempotency-key': message.idempotencyKey,
        },
        body: JSON.stringify({ from: sms.from, ...message }),
        signal: AbortSignal.timeout(15_000),
      });
      if (!res.ok) throw new Error(`sms provider answered ${res.status}`);
    },
  };
}

/** `$DATA_DIR/sms/<row-id>.txt`: a resend overwrites the same file (API.md "SMS_* unset"). */
export function fileSmsSender(dataDir: string, from: string): SmsSender {
  const directory = join(dataDir, 'sms');
  return {
    async send(message) {
      await mkdir(directory, { recursive: true });
      const target = join(directory, `${message.idempotencyKey.replace(/[^a-z0-9_-]/gi, '_')}.txt`);
      await writeFile(`${target}.tmp`, `To: ${message.to}\nFrom: ${from}\n\n${message.text}\n`);
      await rename(`${target}.tmp`, target);
    },
  };
}

export function createSmsSender(config: Pick<Config, 'sms' | 'dataDir'>): SmsSender {
  const { url, token, from } = config.sms;
  return url ? httpSmsSender({ url, token, from }) : fileSmsSender(config.dataDir, from);
}
