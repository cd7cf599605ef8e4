import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Webhook signing secrets at rest. The portal must sign with the secret, so it cannot keep only a
 * hash as it does for API keys; it seals each secret with AES-256-GCM under one key kept beside
 * the database in `$DATA_DIR/webhook-secrets.key` (mode 0600, made once). A copied database file or
 * backup alone then holds no usable secret. Losing the key file means rotating every webhook's
 * secret (the portal cannot sign without it); docs/webhooks.md says to back it up.
 */
const keyFileName = 'webhook-secrets.key';
const version = 'v1';
const keys = new Map<string, Buffer>();

function readKey(file: string): Buffer | null {
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    return key.length === 32 ? key : null;
  } catch {
    return null;
  }
}

function keyOf(dataDir: string): Buffer {
  const cached = keys.get(dataDir);
  if (cached) return cached;
  const file = join(dataDir, keyFileName);
  let key = readKey(file);
  if (!key) {
    const fresh = randomBytes(32);
    mkdirSync(dataDir, { recursive: true });
    // `wx`: two processes starting at once must not each write a key; the loser reads the winner's.
    try {
      writeFileSync(file, `${fresh.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
      key = fresh;
    } catch {
      key = readKey(file);
      if (!key) throw new Error(`${file} exists but holds no 32-byte base64 key`);
    }
  }
  keys.set(dataDir, key);
  return key;
}

/** `whsec_` + base64 of 32 random bytes: the form the Standard Webhooks libraries accept. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The webhook's id is the associated data: a sealed secret copied onto another row does not open. */
export function sealWebhookSecret(dataDir: string, webhookId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(dataDir), iv);
  cipher.setAAD(Buffer.from(webhookId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return `${version}.${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
}

/** Throws when the key file changed or the value was tampered with (GCM authentication). */
export function openWebhookSecret(dataDir: string, webhookId: string, stored: string): string {
  const [tag, body] = stored.split('.', 2);
  if (tag !== version || !body) throw new Error('unknown webhook secret format');
  const bytes = Buffer.from(body, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', keyOf(dataDir), bytes.subarray(0, 12));
  decipher.setAAD(Buffer.from(webhookId));
  decipher.setAuthTag(bytes.subarray(12, 28));
  return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
}
