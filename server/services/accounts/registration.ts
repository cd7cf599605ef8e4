import { inTransaction } from '../../../db/transaction.ts';
import {
  findRegistrationCodeByHash,
  markRegistrationCodeUsed,
} from '../../../db/repositories/registration-codes.ts';
import {
  findAccountByUserId,
  findPersonById,
  findUserByPersonId,
  insertUser,
  isLoginEmailTaken,
  isUniqueViolation,
  markEmailVerified,
  updateUser,
} from '../../../db/repositories/users.ts';
import { deleteConsentsOfUser, insertConsents } from '../../../db/repositories/consents.ts';
import { hashRegistrationCode } from '../../auth/registration-code.ts';
import { hashPassword } from '../../auth/password-hash.ts';
import { badRequest, conflict } from '../../lib/http-error.ts';
import type { RequestMeta } from '../../lib/request-meta.ts';
import { queueMail } from '../../notify/outbox.ts';
import type { RegisterRequest } from '../../../shared/api/auth.ts';
import {
  audit,
  consumeMailToken,
  currentConsentVersion,
  displayName,
  enforcePasswordPolicy,
  findValidMailToken,
  hourMs,
  invalidToken,
  issueMailToken,
  personalDataOf,
  type AccountDeps,
} from './common.ts';

const verificationLifetimeMs = 24 * hourMs;

const emailTaken = () => conflict('email_taken', 'This e-mail address is already used for a login.');

/**
 * First registration with the code from the letter (seeds 001, 002): creates the login
 * (unverified), records the three consents, uses up the code and mails the verification link.
 * Registering again before the link was clicked (typo in the address, mail lost) refreshes the
 * pending login instead of failing.
 */
export async function register(deps: AccountDeps, input: RegisterRequest, meta: RequestMeta): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  await deps.rateLimits.checkGuess(meta.ip);

  const code = findRegistrationCodeByHash(db, hashRegistrationCode(input.code));
  const person = code && findPersonById(db, code.personId);
  if (!code || !person || code.revokedAt || (code.expiresAt && code.expiresAt <= now)) {
    await deps.rateLimits.recordWrongGuess(meta.ip);
    throw badRequest('invalid_code', 'This registration code is not valid.');
  }
  const existing = findUserByPersonId(db, person.id);
  if (existing?.emailVerifiedAt || (code.usedAt && !existing)) {
    throw code.usedAt
      ? conflict('code_used', 'This registration code was already used.')
      : conflict('already_registered', 'There already is a login for you. Sign in or reset your password.');
  }

  const email = input.email.toLowerCase();
  // Telling "taken" apart does reveal that the address has a login, but only to someone holding
  // a valid code from a letter (a secret of its own, throttled per address when wrong), and the
  // alternative — silently mailing the other account — would leave the registrant stuck.
  if (isLoginEmailTaken(db, email, existing?.id)) throw emailTaken();
  enforcePasswordPolicy(db, input.password, personalDataOf(person, email), 'password');

  const passwordHash = await hashPassword(input.password);
  const language = input.language ?? existing?.language ?? person.language;
  const version = currentConsentVersion(db);
  try {
    inTransaction(db, (tx) => {
      let userId: string;
      if (existing) {
        userId = existing.id;
        updateUser(tx, userId, { loginEmail: email, passwordHash, language, passwordChangedAt: now });
        deleteConsentsOfUser(tx, userId);
      } else {
        userId = insertUser(tx, {
          personId: person.id,
          loginEmail: email,
          passwordHash,
          role: 'customer',
          language,
          passwordChangedAt: now,
          createdAt: now,
        }).id;
      }
      insertConsents(tx, userId, ['privacy', 'terms', 'electronic_delivery'], version, now);
      if (!code.usedAt) markRegistrationCodeUsed(tx, code.id, now);
      audit(tx, {
        actorUserId: userId,
        action: 'account.registered',
        entityId: userId,
        data: { registrationCodeId: code.id, consentVersion: version, repeated: Boolean(existing) },
        ipAddress: meta.ip,
        createdAt: now,
      });
      const link = issueMailToken(tx, userId, 'verify_email', now, verificationLifetimeMs, email);
      queueMail(tx, {
        address: email,
        userId,
        language,
        now,
        template: 'verify_email',
        data: {
          name: displayName(person),
          link: `${deps.config.publicUrl}/verify?token=${link.token}`,
          expiresAt: link.expiresAt.toISOString(),
        },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/** The link from the verification mail: confirms the address; the login works from now on. */
export async function verifyEmail(deps: AccountDeps, token: string, meta: RequestMeta): Promise<void> {
  const row = await findValidMailToken(deps, token, 'verify_email', meta);
  const account = findAccountByUserId(deps.db, row.userId);
  // The address was changed by a later registration: this link confirmed the old one.
  if (!account || account.user.loginEmail !== row.email) throw invalidToken();
  const now = deps.now();
  inTransaction(deps.db, (tx) => {
    consumeMailToken(tx, row, now);
    markEmailVerified(tx, row.userId, now);
    audit(tx, {
      actorUserId: row.userId,
      action: 'account.email_verified',
      entityId: row.userId,
      data: { email: row.email },
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
}
