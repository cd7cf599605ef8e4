import { unitOfWork, type UnitOfWork } from '../../unit-of-work/index.ts';
import { deleteUnusedAuthTokens } from '../../../db/repositories/auth-tokens.ts';
import { deleteSessionsOfUser } from '../../../db/repositories/sessions.ts';
import {
  findAccountByLoginEmail,
  findAccountByUserId,
  markEmailVerified,
  updateUser,
  type Account,
} from '../../../db/repositories/users.ts';
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../../auth/password-hash.ts';
import { badRequest, unauthorized } from '../../lib/http-error.ts';
import type { SessionInfo, SessionUser } from '../../lib/context.ts';
import type { RequestMeta } from '../../lib/request-meta.ts';
import {
  audit,
  consumeMailToken,
  displayName,
  endPendingEmailChange,
  enforcePasswordPolicy,
  findValidMailToken,
  hourMs,
  invalidToken,
  issueMailToken,
  personalDataOf,
  type AccountDeps,
} from './common.ts';

const resetLifetimeMs = hourMs;

/**
 * "Passwort vergessen" (seed 002): always the same 202 whether or not the address has a login.
 * The mail is sent without waiting for it, so SMTP latency does not tell the two cases apart either.
 */
export async function forgotPassword(deps: AccountDeps, rawEmail: string, meta: RequestMeta): Promise<void> {
  await deps.rateLimits.checkResetRequest(meta.ip);
  const email = rawEmail.toLowerCase();
  // Counted for every address, known or not, so the two paths do the same work.
  const mayMail = await deps.rateLimits.allowResetMail(email);
  const account = await findAccountByLoginEmail(deps.db, email);
  if (!mayMail || !account || account.user.disabledAt) return;

  const now = deps.now();
  await unitOfWork(deps, async ({ tx, record }) => {
    await audit(tx, {
      actorUserId: null,
      action: 'account.password_reset_requested',
      entityId: account.user.id,
      ipAddress: meta.ip,
      createdAt: now,
    });
    const link = await issueMailToken(tx, account.user.id, 'reset_password', now, resetLifetimeMs, email);
    // Mailed through the outbox (issue 6): sent by the worker, so the answer never waits for SMTP.
    record({
      type: 'account.password_reset_requested',
      to: {
        address: email,
        userId: account.user.id,
        language: account.user.language,
        name: displayName(account.person),
      },
      reset: {
        url: `${deps.config.publicUrl}/reset-password?token=${link.token}`,
        expiresAt: link.expiresAt,
      },
      at: now,
    });
  });
}

/** "Your password was changed", mailed with the change (account-projection.ts). */
function recordPasswordChanged(uow: UnitOfWork, account: Account, at: Date): void {
  uow.record({
    type: 'account.password_changed',
    to: {
      address: account.user.loginEmail,
      userId: account.user.id,
      language: account.user.language,
      name: displayName(account.person),
    },
    at,
  });
}

/** The link from the reset mail: sets the new password and ends every session of the account. */
export async function resetPassword(
  deps: AccountDeps,
  input: { token: string; password: string },
  meta: RequestMeta,
): Promise<void> {
  const row = await findValidMailToken(deps, input.token, 'reset_password', meta);
  const account = await findAccountByUserId(deps.db, row.userId);
  if (!account || account.user.disabledAt || account.user.loginEmail !== row.email) throw invalidToken();
  await enforcePasswordPolicy(
    deps.db,
    input.password,
    personalDataOf(account.person, account.user.loginEmail),
    'password',
  );
  const passwordHash = await hashPassword(input.password);
  const now = deps.now();
  await unitOfWork(deps, async (uow) => {
    const { tx } = uow;
    await consumeMailToken(tx, row, now);
    await updateUser(tx, row.userId, { passwordHash, passwordChangedAt: now });
    // The link reached the mailbox: that proves the address as well as the verification mail would.
    await markEmailVerified(tx, row.userId, now);
    await deleteSessionsOfUser(tx, row.userId);
    await endPendingEmailChange(tx, row.userId, 'password_reset', meta, now);
    await audit(tx, {
      actorUserId: row.userId,
      action: 'account.password_reset',
      entityId: row.userId,
      ipAddress: meta.ip,
      createdAt: now,
    });
    recordPasswordChanged(uow, account, now);
  });
  deps.bus.publish('user.sessions.revoked', { userId: row.userId });
  // A locked-out owner who proved the mailbox may try again from here at once.
  await deps.rateLimits.resetPasswordFailures(`user:${row.userId}`, meta.ip);
}

/**
 * Checks the current password like a login attempt (same throttle, same key), so a stolen
 * session cannot be used to guess the password. 400 `current_password_wrong` when it is wrong.
 */
export async function confirmCurrentPassword(
  deps: AccountDeps,
  account: Account,
  password: string,
  meta: RequestMeta,
): Promise<void> {
  const throttleKey = `user:${account.user.id}`;
  await deps.rateLimits.checkPasswordGuess(throttleKey, meta.ip);
  const hash = account.user.passwordHash;
  const correct = hash ? await verifyPassword(hash, password) : await verifyAgainstDummy(password);
  if (!correct) {
    await deps.rateLimits.recordPasswordFailure(throttleKey, meta.ip);
    await audit(deps.db, {
      actorUserId: account.user.id,
      action: 'account.password_check_failed',
      entityId: account.user.id,
      ipAddress: meta.ip,
      createdAt: deps.now(),
    });
    throw badRequest('current_password_wrong', 'The current password is wrong.', {
      current: 'current_password_wrong',
    });
  }
  await deps.rateLimits.resetPasswordFailures(throttleKey, meta.ip);
}

/** "Kennwort ändern" (seeds 000, 002): every other session ends, the current one stays. */
export async function changePassword(
  deps: AccountDeps,
  signedIn: { user: SessionUser; session: SessionInfo },
  input: { current: string; next: string },
  meta: RequestMeta,
): Promise<void> {
  const account = await findAccountByUserId(deps.db, signedIn.user.id);
  if (!account) throw unauthorized();
  await confirmCurrentPassword(deps, account, input.current, meta);
  await enforcePasswordPolicy(
    deps.db,
    input.next,
    personalDataOf(account.person, account.user.loginEmail),
    'next',
  );
  const passwordHash = await hashPassword(input.next);
  const now = deps.now();
  await unitOfWork(deps, async (uow) => {
    const { tx } = uow;
    await updateUser(tx, account.user.id, { passwordHash, passwordChangedAt: now });
    await deleteSessionsOfUser(tx, account.user.id, signedIn.session.id);
    // A reset link still in some mailbox must not undo this change.
    await deleteUnusedAuthTokens(tx, account.user.id, 'reset_password');
    await endPendingEmailChange(tx, account.user.id, 'password_changed', meta, now);
    await audit(tx, {
      actorUserId: account.user.id,
      action: 'account.password_changed',
      entityId: account.user.id,
      ipAddress: meta.ip,
      createdAt: now,
    });
    recordPasswordChanged(uow, account, now);
  });
  deps.bus.publish('user.sessions.revoked', {
    userId: account.user.id,
    exceptSessionId: signedIn.session.id,
  });
}
