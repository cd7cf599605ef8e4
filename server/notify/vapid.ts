import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpush from 'web-push';
import type { Config } from '../config.ts';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

const cache = new Map<string, VapidKeys>();

function readStored(file: string): { publicKey: string; privateKey: string } | null {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { publicKey?: unknown; privateKey?: unknown };
    if (typeof stored.publicKey === 'string' && typeof stored.privateKey === 'string')
      return { publicKey: stored.publicKey, privateKey: stored.privateKey };
  } catch {
    // Missing or unreadable: generate below.
  }
  return null;
}

/**
 * The application server keys (RFC 8292). From VAPID_* when configured; else generated once and
 * kept in $DATA_DIR/vapid.json (mode 0600): regenerating would orphan every subscription, since
 * browsers bind a subscription to the key it was created with.
 */
export function vapidKeysOf(config: Pick<Config, 'vapid' | 'dataDir'>): VapidKeys {
  const { publicKey, privateKey, subject } = config.vapid;
  if (publicKey && privateKey) return { publicKey, privateKey, subject };
  const cached = cache.get(config.dataDir);
  if (cached) return cached;
  const file = join(config.dataDir, 'vapid.json');
  let keys = readStored(file);
  if (!keys) {
    keys = webpush.generateVAPIDKeys();
    mkdirSync(config.dataDir, { recursive: true });
    // `wx`: two processes starting at once must not overwrite each other's key; the loser reads.
    try {
      writeFileSync(file, `${JSON.stringify(keys)}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    } catch {
      keys = readStored(file) ?? keys;
    }
  }
  const result = { ...keys, subject };
  cache.set(config.dataDir, result);
  return result;
}
