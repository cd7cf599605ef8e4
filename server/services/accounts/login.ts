import { unitOfWork } from '../../unit-of-work/index.ts';
import { deleteSessionsOfUser } from '../../../db/repositories/sessions.ts';
import {
  findAccountByCustomerNumber,
  findAccountByLoginEmail,
  updateUser,
  type Account,
} from '../../../db/repositories/users.ts';
import type { Db } from '../../../db/client.ts';
import { verifyAgainstDummy, verifyPassword } from '../../auth/password-hash.ts';
import { createSession, invalidateSession, type CreatedSession } from '../../auth/sessions.ts';
import { HttpError } from '../../lib/http-error.ts';
import type { RequestMeta } from '../../lib/request-meta.ts';
import type { LoginRequest, UserDto } from '../../../shared/api/auth.ts';
import { audit, endPendingEmailChange, userDtoOf, type AccountDeps } from './common.ts';

/** The login name is a login e-mail (any case) or a customer / member number (seeds 000, 001). */
async function findAccountByLogin(db: Db, login: string): Promise<Account | undefined> {
  return login.includes('@')
    ? await findAccountByLoginEmail(db, login.toLowerCase())
    : await findAccountByCustomerNumber(db, login);
}

/** Wrong password and unknown login get this very answer: nothing tells which logins exist. */
const invalidCredentials = () => new HttpError(401, 'invalid_credentials', 'Login or password is wrong.');

export interface LoginResult {
  user: UserDto;
  session: CreatedSession;
}

export async function login(deps: AccountDeps, input: LoginRequest, meta: RequestMeta): Promise<LoginResult> {
  const { db } = deps;
  const loginName = input.login.trim();
  const account = await findAccountByLogin(db, loginName);
  // Unknown logins are throttled like known ones, or the 429 itself would reveal which exist.
  const throttleKey = account ? `user:${account.user.id}` : `login:${loginName.toLowerCase()}`;
  await deps.rateLimits.checkPasswordGuess(throttleKey, meta.ip);

  const passwordHash = account?.user.passwordHash;
  const correct = passwordHash
    ? await verifyPassword(passwordHash, input.password)
    : await verifyAgainstDummy(input.password);
  const now = deps.now();
  if (!account || !correct) {
    await deps.rateLimits.recordPasswordFailure(throttleKey, meta.ip);
    // The typed login is not stored for unknown accounts: people type passwords into that field.
    await unitOfWork(
      deps,
      async ({ tx }) =>
        await audit(tx, {
          actorUserId: null,
          action: 'auth.login_failed',
          entityId: account?.user.id ?? null,
          data: { reason: account ? 'wrong_password' : 'unknown_login' },
          ipAddress: meta.ip,
          createdAt: now,
        }),
    );
    throw invalidCredentials();
  }
  await deps.rateLimits.resetPasswordFailures(throttleKey, meta.ip);

  // Only now, with the right password, may the answer say more about the account.
  if (account.user.disabledAt) throw new HttpError(403, 'account_disabled', 'This account is disabled.');
  if (!account.user.emailVerifiedAt) {
    throw new HttpError(
      403,
      'email_not_verified',
      'Please confirm your e-mail address with the link we sent you first.',
    );
  }

  const session = await unitOfWork(deps, async ({ tx }) => {
    // "Ihr letzter Besuch war am …" (seed 000) shows the visit before this one.
    await updateUser(tx, account.user.id, { previousLoginAt: account.user.lastLoginAt, lastLoginAt: now });
    await audit(tx, {
      actorUserId: account.user.id,
      action: 'auth.login_succeeded',
      entityId: account.user.id,
      ipAddress: meta.ip,
      createdAt: now,
    });
    return await createSession(tx, account.user.id, now, meta);
  });
  const user = await userDtoOf(
    deps,
    { ...account, user: { ...account.user, previousLoginAt: account.user.lastLoginAt, lastLoginAt: now } },
    now,
  );
  return { user, session };
}

export async function logout(deps: AccountDeps, sessionId: string | null): Promise<void> {
  if (!sessionId) return;
  await invalidateSession(deps.db, sessionId);
  // Live sockets of this session close too (issue: logout disconnects that session's sockets).
  deps.bus.publish('session.revoked', { sessionId });
}

/**
 * "Sign out everywhere" (e.g. after losing a phone): every session of the user ends, the current
 * one too, and the live layer closes their sockets. A pending login e-mail change ends as well:
 * whoever asked for it from a lost device must not get the login by clicking their link later.
 * Answers how many sessions ended.
 */
export async function logoutEverywhere(
  deps: AccountDeps,
  userId: string,
  meta: RequestMeta,
): Promise<number> {
  const now = deps.now();
  const ended = await unitOfWork(deps, async ({ tx }) => {
    const count = await deleteSessionsOfUser(tx, userId);
    await endPendingEmailChange(tx, userId, 'signed_out_everywhere', meta, now);
    await audit(tx, {
      actorUserId: userId,
      action: 'account.signed_out_everywhere',
      entityId: userId,
      ipAddress: meta.ip,
      data: { sessions: count },
      createdAt: now,
    });
    return count;
  });
  deps.bus.publish('user.sessions.revoked', { userId });
  return ended;
}
