import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findContractor } from '../../../db/repositories/contractors.ts';
import {
  findJobLink,
  insertJobLink,
  revokeJobLink,
  type JobLinkRow,
} from '../../../db/repositories/job-links.ts';
import { findSetting } from '../../../db/repositories/settings.ts';
import { newId } from '../../../db/ids.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import { notFound } from '../../lib/http-error.ts';

/*
 * A contractor's job link: the whole authorization of someone without an account, to one ticket's
 * job page. The token is `<job link id>.<HMAC-SHA256 of the id>`; the signature makes ids
 * unguessable to forge, the stored row (job_links) holds the expiry and the revocation, so staff
 * can withdraw a link before it runs out. A forged, malformed, expired or revoked link, one of a
 * deactivated contractor and one that never existed all answer the same "not found".
 */

export type JobLinkDeps = Pick<Deps, 'db' | 'now'> & {
  config: Pick<Deps['config'], 'dataDir' | 'publicUrl'>;
};

/** The landlord's setting: how long a new link works, in days. */
export const jobLinkLifetimeSetting = 'job_link_lifetime_days';
export const defaultJobLinkLifetimeDays = 14;
const maxJobLinkLifetimeDays = 90;

/** The days a new link works: the setting when it is a whole number of 1–90 days, else 14. */
export async function jobLinkLifetimeDays(db: DbOrTx): Promise<number> {
  const stored = await findSetting(db, jobLinkLifetimeSetting);
  return typeof stored === 'number' &&
    Number.isInteger(stored) &&
    stored >= 1 &&
    stored <= maxJobLinkLifetimeDays
    ? stored
    : defaultJobLinkLifetimeDays;
}

/*
 * The signing key lives beside the database in `$DATA_DIR/job-links.key` (mode 0600, made once),
 * as the webhook sealing key does (services/integration/webhook-secrets.ts): a copied database or
 * backup alone cannot forge a link. Losing the file only ends the open links.
 */
const keyFileName = 'job-links.key';
const keys = new Map<string, Buffer>();

function readKey(file: string): Buffer | null {
  try {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
    return key.length === 32 ? key : null;
  } catch {
    return null;
  }
}

function signingKey(dataDir: string): Buffer {
  const cached = keys.get(dataDir);
  if (cached) return cached;
  const file = join(dataDir, keyFileName);
  let key = readKey(file);
  if (!key) {
    const fresh = randomBytes(32);
    mkdirSync(dataDir, { recursive: true });
    // `wx`: of two processes starting at once one writes the key, the other reads it.
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

const signatureOf = (key: Buffer, linkId: string) =>
  createHmac('sha256', key).update(`job-link:${linkId}`).digest();

const tokenShape = /^([a-z2-7]{1,64})\.([A-Za-z0-9_-]{43})$/;

function tokenFor(dataDir: string, linkId: string): string {
  return `${linkId}.${signatureOf(signingKey(dataDir), linkId).toString('base64url')}`;
}

/** The contractor's URL for a token (the job page, served without a session). */
export const jobLinkUrl = (publicUrl: string, token: string) => `${publicUrl}/job/${token}`;

/** The URL of an issued link, for staff to copy while it works (the token is derived, never stored). */
export const jobLinkUrlOf = (
  deps: { config: Pick<Deps['config'], 'dataDir' | 'publicUrl'> },
  linkId: string,
) => jobLinkUrl(deps.config.publicUrl, tokenFor(deps.config.dataDir, linkId));

export interface IssuedJobLink {
  link: JobLinkRow;
  token: string;
  url: string;
}

/**
 * A new link for a contractor to a ticket, written with `db` (the caller's transaction when the
 * dispatch writes more). Expires after the landlord's lifetime setting (default 14 days).
 */
export async function issueJobLink(
  deps: JobLinkDeps,
  input: { ticketId: string; contractorId: string; createdByUserId: string | null },
  db: DbOrTx = deps.db,
): Promise<IssuedJobLink> {
  const now = deps.now();
  const link = await insertJobLink(db, {
    id: newId(),
    ticketId: input.ticketId,
    contractorId: input.contractorId,
    createdByUserId: input.createdByUserId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + (await jobLinkLifetimeDays(db)) * 24 * 3_600_000),
    revokedAt: null,
  });
  const token = tokenFor(deps.config.dataDir, link.id);
  return { link, token, url: jobLinkUrl(deps.config.publicUrl, token) };
}

/** The live link a token names, or null for anything else (forged, malformed, expired, revoked, unknown). */
export async function verifyJobLink(deps: JobLinkDeps, token: string): Promise<JobLinkRow | null> {
  const match = tokenShape.exec(token);
  if (!match) return null;
  const [, linkId, signature] = match as unknown as [string, string, string];
  const expected = signatureOf(signingKey(deps.config.dataDir), linkId);
  const given = Buffer.from(signature, 'base64url');
  // Constant time: how much of a guessed signature was right must not show in the answer's timing.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const link = await findJobLink(deps.db, linkId);
  if (!link || link.revokedAt !== null || link.expiresAt.getTime() <= deps.now().getTime()) return null;
  if (!(await findContractor(deps.db, link.contractorId))?.active) return null;
  return link;
}

/** The same, for a handler: 404 `not_found` unless the link is live. */
export async function requireJobLink(deps: JobLinkDeps, token: string): Promise<JobLinkRow> {
  const link = await verifyJobLink(deps, token);
  if (!link) throw notFound();
  return link;
}

/** Withdraws a link at once; false when it was withdrawn before or does not exist. */
export async function withdrawJobLink(
  deps: JobLinkDeps,
  linkId: string,
  db: DbOrTx = deps.db,
): Promise<boolean> {
  return await revokeJobLink(db, linkId, deps.now());
}
