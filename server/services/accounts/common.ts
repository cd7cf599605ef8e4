import type { Deps } from '../../deps.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { Account, PersonRow } from '../../../db/repositories/users.ts';
import {
  consumeAuthToken,
  deleteUnusedAuthTokens,
  findAuthToken,
  findPendingEmailChange,
  insertAuthToken,
  type AuthTokenPurpose,
  type AuthTokenRow,
} from '../../../db/repositories/auth-tokens.ts';
import { insertAuditEntry, type AuditEntryInput } from '../../../db/repositories/audit.ts';
import { findSetting } from '../../../db/repositories/settings.ts';
import { hasWriteRight, loadCustomerScope } from '../access.ts';
import { issueToken, parseToken, secretMatches } from '../../auth/session-token.ts';
import {
  checkPassword,
  passwordPolicyDto,
  resolvePasswordPolicy,
  type PasswordPolicy,
  type PersonalData,
} from '../../auth/password-policy.ts';
import { badRequest, validationFailed } from '../../lib/http-error.ts';
import type { RequestMeta } from '../../lib/request-meta.ts';
import type { PasswordPolicyDto, UserDto } from '../../../shared/api/auth.ts';

/** What the account services use of the app's dependencies. */
export type AccountDeps = Pick<Deps, 'db' | 'config' | 'now' | 'mailer' | 'rateLimits' | 'bus'>;

export const hourMs = 60 * 60 * 1000;

export function displayName(person: PersonRow): string | null {
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  return name || person.organisationName || null;
}

export function toUserDto(account: Account, pendingEmail: string | null, readOnly = false): UserDto {
  const { user, person } = account;
  return {
    id: user.id,
    role: user.role,
    loginEmail: user.loginEmail,
    customerNumber: person.customerNumber,
    displayName: displayName(person) ?? user.loginEmail,
    language: user.language,
    lastVisitAt: user.previousLoginAt?.toISOString() ?? null,
    pendingEmail,
    readOnly,
  };
}

/** A customer on contracts who may act on none of them (read-only household member, no ownership). */
async function isReadOnlyCustomer(
  deps: Pick<Deps, 'db' | 'config'>,
  account: Account,
  now: Date,
): Promise<boolean> {
  if (account.user.role !== 'customer') return false;
  const scope = await loadCustomerScope(
    { db: deps.db, config: deps.config, now: () => now },
    {
      id: account.user.id,
      personId: account.person.id,
      role: account.user.role,
      loginEmail: account.user.loginEmail,
      language: account.user.language,
    },
  );
  return scope.contracts.size > 0 && !hasWriteRight(scope);
}

export async function userDtoOf(
  deps: Pick<Deps, 'db' | 'config'>,
  account: Account,
  now: Date,
): Promise<UserDto> {
  return toUserDto(
    account,
    await findPendingEmailChange(deps.db, account.user.id, now),
    await isReadOnlyCustomer(deps, account, now),
  );
}

export async function loadPasswordPolicy(db: DbOrTx): Promise<PasswordPolicy> {
  return resolvePasswordPolicy(await findSetting(db, 'password_policy'));
}

export async function getPasswordPolicy(deps: AccountDeps): Promise<PasswordPolicyDto> {
  return passwordPolicyDto(await loadPasswordPolicy(deps.db));
}

/** The version of privacy notice, terms and electronic-delivery consent a registration accepts. */
export async function currentConsentVersion(db: DbOrTx): Promise<string> {
  const stored = await findSetting(db, 'consent_version');
  return typeof stored === 'string' && stored ? stored : '2026-01';
}

export function personalDataOf(person: PersonRow, email: string): PersonalData {
  return {
    firstName: person.firstName,
    lastName: person.lastName,
    organisationName: person.organisationName,
    email,
  };
}

/** 400 `validation_failed` with the first broken rule under `field` (e.g. `password_too_short`). */
export async function enforcePasswordPolicy(
  db: DbOrTx,
  password: string,
  personal: PersonalData,
  field: string,
): Promise<void> {
  const [violation] = checkPassword(password, await loadPasswordPolicy(db), personal);
  if (violation) throw validationFailed({ [field]: violation });
}

export const invalidToken = () =>
  badRequest('invalid_token', 'This link is invalid, expired or was already used. Please request a new one.');

export interface MailToken {
  token: string;
  expiresAt: Date;
}

/** Issues a single-use mail token; older unused ones of the same purpose stop working (only the newest is valid). */
export async function issueMailToken(
  tx: DbOrTx,
  userId: string,
  purpose: AuthTokenPurpose,
  now: Date,
  lifetimeMs: number,
  email: string | null,
): Promise<MailToken> {
  await deleteUnusedAuthTokens(tx, userId, purpose);
  const { id, token, secretHash } = issueToken();
  const expiresAt = new Date(now.getTime() + lifetimeMs);
  await insertAuthToken(tx, { id, userId, purpose, secretHash, email, expiresAt, createdAt: now });
  return { token, expiresAt };
}

/**
 * Finds an unused, unexpired token whose secret matches (constant-time). Every failure is the
 * same 400 `invalid_token` and counts as a guess for the client address.
 */
export async function findValidMailToken(
  deps: AccountDeps,
  token: string,
  purpose: AuthTokenPurpose,
  meta: RequestMeta,
): Promise<AuthTokenRow> {
  await deps.rateLimits.checkGuess(meta.ip);
  const parsed = parseToken(token);
  const row = parsed ? await findAuthToken(deps.db, parsed.id, purpose) : undefined;
  const now = deps.now();
  if (
    !parsed ||
    !row ||
    !secretMatches(parsed.secret, row.secretHash) ||
    row.usedAt ||
    row.expiresAt <= now
  ) {
    await deps.rateLimits.recordWrongGuess(meta.ip);
    throw invalidToken();
  }
  return row;
}

/** Inside the transaction that acts on the token: a concurrent second use loses here. */
export async function consumeMailToken(tx: DbOrTx, row: AuthTokenRow, now: Date): Promise<void> {
  if (!(await consumeAuthToken(tx, row.id, now))) throw invalidToken();
}

export async function audit(
  tx: DbOrTx,
  entry: Omit<AuditEntryInput, 'entityType'> & { entityType?: string },
): Promise<void> {
  await insertAuditEntry(tx, { entityType: 'user', ...entry });
}

/** Why a pending login e-mail change ended without being confirmed (recorded in the audit log). */
export type EmailChangeEndReason =
  'cancelled' | 'password_changed' | 'password_reset' | 'signed_out_everywhere';

/**
 * Ends every pending login e-mail change of the user: the confirmation links mailed to the new
 * address stop working. Securing the account (new password, reset, sign-out everywhere) calls
 * this, because a change asked for by someone who knew the old password would otherwise still
 * hand them the login once they click their link (issue 13 finding 3). True when one was pending.
 */
export async function endPendingEmailChange(
  tx: DbOrTx,
  userId: string,
  reason: EmailChangeEndReason,
  meta: RequestMeta,
  now: Date,
): Promise<boolean> {
  if ((await deleteUnusedAuthTokens(tx, userId, 'change_email')) === 0) return false;
  await audit(tx, {
    actorUserId: userId,
    action: 'account.email_change_cancelled',
    entityId: userId,
    data: { reason },
    ipAddress: meta.ip,
    createdAt: now,
  });
  return true;
}
