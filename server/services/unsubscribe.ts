import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { insertAuditEntry } from '../../db/repositories/audit.ts';
import { listRecipients } from '../../db/repositories/notifications.ts';
import { setNotificationPreference } from '../../db/repositories/preferences.ts';
import { ensureSetting, findSetting } from '../../db/repositories/settings.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import { unitOfWork } from '../unit-of-work/index.ts';
import { notificationCategories, type NotificationCategory } from '../../shared/api/profile.ts';
import type { Locale } from '../../shared/api/auth.ts';
import type { Deps } from '../deps.ts';
import { notFound } from '../lib/http-error.ts';
import type { RequestMeta } from '../lib/request-meta.ts';

/*
 * One-click unsubscribe (RFC 8058) for notification mails: each mail's List-Unsubscribe names
 * `/api/unsubscribe/<token>`, the token signed for one person and one category. A POST to it turns
 * that category's e-mail off for that person, without a session: the mailbox provider sends it,
 * not the tenant's browser. Account mails (password, e-mail change) carry no such link.
 */

export type UnsubscribeDeps = Pick<Deps, 'db' | 'now' | 'rateLimits' | 'config' | 'bus'>;

const signingKeySetting = 'unsubscribe_signing_key';
/** Mails are read months later; a year covers the archive, after it the settings page does it. */
const tokenLifetimeMs = 365 * 24 * 3_600_000;

/** The HMAC key, made once per deployment and kept with the data (every instance reads the same). */
async function signingKey(db: DbOrTx, now: Date): Promise<Buffer> {
  const stored =
    (await findSetting(db, signingKeySetting)) ??
    (await ensureSetting(db, signingKeySetting, randomBytes(32).toString('base64url'), now));
  if (typeof stored !== 'string' || stored.length < 32) throw new Error('unsubscribe signing key unusable');
  return Buffer.from(stored, 'base64url');
}

const signatureOf = (key: Buffer, payload: string) =>
  createHmac('sha256', key).update(`unsubscribe:${payload}`).digest();

const isCategory = (value: string): value is NotificationCategory =>
  (notificationCategories as readonly string[]).includes(value);

/** Whether mails of this outbox category can be turned off by the tenant (and carry the header). */
export function isUnsubscribableCategory(category: string): category is NotificationCategory {
  return isCategory(category);
}

/** `<payload>.<signature>`, payload = base64url of `userId|category|expires (s)`. */
export async function unsubscribeTokenFor(
  db: DbOrTx,
  userId: string,
  category: NotificationCategory,
  now: Date,
): Promise<string> {
  const expires = Math.floor((now.getTime() + tokenLifetimeMs) / 1000);
  const payload = Buffer.from(`${userId}|${category}|${expires}`).toString('base64url');
  return `${payload}.${signatureOf(await signingKey(db, now), payload).toString('base64url')}`;
}

interface TokenClaim {
  userId: string;
  category: NotificationCategory;
}

/** The claim of a genuine, unexpired token; null for anything else. */
async function readToken(db: DbOrTx, token: string, now: Date): Promise<TokenClaim | null> {
  const match = /^([A-Za-z0-9_-]{1,400})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, payload, signature] = match as unknown as [string, string, string];
  const expected = signatureOf(await signingKey(db, now), payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const [userId, category, expires, ...rest] = Buffer.from(payload, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !userId || !category || !isCategory(category)) return null;
  if (!/^\d+$/.test(expires ?? '') || Number(expires) * 1000 <= now.getTime()) return null;
  return { userId, category };
}

export interface UnsubscribeTarget {
  category: NotificationCategory;
  language: Locale;
}

/**
 * Who and what a token names. A forged, expired or malformed token, or one of a removed account,
 * answers 404 like a path that does not exist; wrong tokens count as guesses per address (the
 * same throttle as registration codes).
 */
async function resolve(deps: UnsubscribeDeps, token: string, meta: RequestMeta) {
  await deps.rateLimits.checkGuess(meta.ip);
  const claim = await readToken(deps.db, token, deps.now());
  if (!claim) {
    await deps.rateLimits.recordWrongGuess(meta.ip);
    throw notFound();
  }
  const [recipient] = await listRecipients(deps.db, [claim.userId]);
  if (!recipient) throw notFound();
  return { ...claim, language: recipient.language };
}

/** `GET`: what the link would turn off; changes nothing (link scanners follow every GET). */
export async function describeUnsubscribe(
  deps: UnsubscribeDeps,
  token: string,
  meta: RequestMeta,
): Promise<UnsubscribeTarget> {
  const { category, language } = await resolve(deps, token, meta);
  return { category, language };
}

/** `POST`: this category's e-mail off for this person. Idempotent: a second POST stores the same. */
export async function unsubscribe(
  deps: UnsubscribeDeps,
  token: string,
  meta: RequestMeta,
): Promise<UnsubscribeTarget> {
  const { userId, category, language } = await resolve(deps, token, meta);
  const now = deps.now();
  await unitOfWork(deps, async ({ tx }) => {
    await setNotificationPreference(tx, { userId, category, channel: 'email', enabled: false });
    await insertAuditEntry(tx, {
      actorUserId: userId,
      action: 'notifications.unsubscribed',
      entityType: 'user',
      entityId: userId,
      data: { category, channel: 'email' },
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
  return { category, language };
}
