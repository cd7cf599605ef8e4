import type { DbOrTx } from '../../../db/transaction.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
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
import { hasLiveAuthToken } from '../../../db/repositories/auth-tokens.ts';
import { hashRegistrationCode } from '../../auth/registration-code.ts';
import { acceptHouseholdInvitation } from '../household.ts';
import { hashPassword } from '../../auth/password-hash.ts';
import { badRequest, conflict } from '../../lib/http-error.ts';
import type { RequestMeta } from '../../lib/request-meta.ts';
import { queueRegistrationWebhook } from '../integration/webhook-events.ts';
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
 * Says only that the code has a registration in flight: not its address, not when its link expires
 * (the caller holds the letter, but may not be the person who registered with it).
 */
const registrationPending = () =>
  conflict(
    'registration_pending',
    'A registration with this code is awaiting e-mail confirmation. Use the link in that mail, or register again once it has expired.',
  );

/**
 * A registration is "in flight" while its login is unverified and the verification link mailed for
 * it still works. Issue 13 finding 7: until then nobody may register over it, because anyone else
 * who saw the letter could otherwise replace the address and password of the tenant who just
 * registered (and receive the verification link themselves). The tenant who mistyped the address
 * recovers once that link expires (verificationLifetimeMs, 24 hours): the same code then registers
 * anew and replaces the unconfirmed login, which nobody proved to be theirs. Staff cannot reprint
 * a letter for a person who has a login, verified or not, so waiting for the link to expire is the
 * only way back and needs nobody's help.
 */
async function isRegistrationInFlight(db: DbOrTx, userId: string, now: Date): Promise<boolean> {
  return await hasLiveAuthToken(db, userId, 'verify_email', now);
}

/**
 * First registration with the code from the letter (seeds 001, 002): creates the login
 * (unverified), records the consents, uses up the code and mails the verification link.
 * Electronic delivery is the tenant's choice, not a condition of the login: without its consent
 * documents stay on paper, and the audit entry names the channel chosen (`documentDelivery`).
 * While that link works a second registration with the code is refused (409 `registration_pending`,
 * nothing changed, nothing mailed); once it has expired, registering again replaces the unconfirmed
 * login (typo in the address, mail lost).
 */
export async function register(deps: AccountDeps, input: RegisterRequest, meta: RequestMeta): Promise<void> {
  const { db } = deps;
  const now = deps.now();
  await deps.rateLimits.checkGuess(meta.ip);

  const code = await findRegistrationCodeByHash(db, hashRegistrationCode(input.code));
  const person = code && (await findPersonById(db, code.personId));
  if (!code || !person || code.revokedAt || (code.expiresAt && code.expiresAt <= now)) {
    await deps.rateLimits.recordWrongGuess(meta.ip);
    throw badRequest('invalid_code', 'This registration code is not valid.');
  }
  const existing = await findUserByPersonId(db, person.id);
  if (existing?.emailVerifiedAt || (code.usedAt && !existing)) {
    throw code.usedAt
      ? conflict('code_used', 'This registration code was already used.')
      : conflict('already_registered', 'There already is a login for you. Sign in or reset your password.');
  }
  if (existing && (await isRegistrationInFlight(db, existing.id, now))) {
    await unitOfWork(
      deps,
      async ({ tx }) =>
        await audit(tx, {
          actorUserId: null,
          action: 'account.registration_pending_refused',
          entityId: existing.id,
          data: { registrationCodeId: code.id },
          ipAddress: meta.ip,
          createdAt: now,
        }),
    );
    throw registrationPending();
  }

  const email = input.email.toLowerCase();
  // Telling "taken" apart does reveal that the address has a login, but only to someone holding
  // a valid code from a letter (a secret of its own, throttled per address when wrong), and the
  // alternative — silently mailing the other account — would leave the registrant stuck.
  if (await isLoginEmailTaken(db, email, existing?.id)) throw emailTaken();
  await enforcePasswordPolicy(db, input.password, personalDataOf(person, email), 'password');

  const passwordHash = await hashPassword(input.password);
  const language = input.language ?? existing?.language ?? person.language;
  const version = await currentConsentVersion(db);
  try {
    await unitOfWork(deps, async ({ tx, record }) => {
      let userId: string;
      if (existing) {
        // Checked again inside the write: a registration that started while the password was being
        // hashed must not be overwritten either.
        if (await isRegistrationInFlight(tx, existing.id, now)) throw registrationPending();
        userId = existing.id;
        await updateUser(tx, userId, { loginEmail: email, passwordHash, language, passwordChangedAt: now });
        await deleteConsentsOfUser(tx, userId);
      } else {
        // Another first registration with this code won the race while the password was hashed.
        if (await findUserByPersonId(tx, person.id)) throw registrationPending();
        userId = (
          await insertUser(tx, {
            personId: person.id,
            loginEmail: email,
            passwordHash,
            role: 'customer',
            language,
            passwordChangedAt: now,
            createdAt: now,
          })
        ).id;
      }
      await insertConsents(
        tx,
        userId,
        input.acceptElectronicDelivery ? ['privacy', 'terms', 'electronic_delivery'] : ['privacy', 'terms'],
        version,
        now,
      );
      if (!code.usedAt) await markRegistrationCodeUsed(tx, code.id, now);
      // A household invitation puts the invitee on the contract only now (no-op for letters).
      await acceptHouseholdInvitation(tx, code, deps.config.timeZone, now);
      await audit(tx, {
        actorUserId: userId,
        action: 'account.registered',
        entityId: userId,
        data: {
          registrationCodeId: code.id,
          consentVersion: version,
          documentDelivery: input.acceptElectronicDelivery ? 'electronic' : 'paper',
          repeated: Boolean(existing),
        },
        ipAddress: meta.ip,
        createdAt: now,
      });
      const link = await issueMailToken(tx, userId, 'verify_email', now, verificationLifetimeMs, email);
      record({
        type: 'account.registered',
        to: { address: email, userId, language, name: displayName(person) },
        verification: {
          url: `${deps.config.publicUrl}/verify?token=${link.token}`,
          expiresAt: link.expiresAt,
        },
        at: now,
      });
    });
  } catch (error) {
    if (await isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/** The link from the verification mail: confirms the address; the login works from now on. */
export async function verifyEmail(deps: AccountDeps, token: string, meta: RequestMeta): Promise<void> {
  const row = await findValidMailToken(deps, token, 'verify_email', meta);
  const account = await findAccountByUserId(deps.db, row.userId);
  // The address was changed by a later registration: this link confirmed the old one.
  if (!account || account.user.loginEmail !== row.email) throw invalidToken();
  const now = deps.now();
  await unitOfWork(deps, async ({ tx }) => {
    await consumeMailToken(tx, row, now);
    await markEmailVerified(tx, row.userId, now);
    // The first confirmation completes a registration: the ERP hears that this person uses the portal.
    if (!account.user.emailVerifiedAt) await queueRegistrationWebhook(tx, account.person, now);
    await audit(tx, {
      actorUserId: row.userId,
      action: 'account.email_verified',
      entityId: row.userId,
      data: { email: row.email },
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
}
