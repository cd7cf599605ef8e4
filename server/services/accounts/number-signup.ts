import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { unitOfWork } from '../../unit-of-work/index.ts';
import {
  completeNumberSignup,
  countWrongSignupCode,
  deleteNumberSignupsExpiredBefore,
  endOpenNumberSignupsOf,
  findNumberSignup,
  insertNumberSignup,
  listSignupCandidates,
  setNumberSignupCode,
  type NumberSignupRow,
} from '../../../db/repositories/number-signups.ts';
import {
  findAccountByUserId,
  findPersonById,
  findUserByPersonId,
  insertUser,
  isLoginEmailTaken,
  isUniqueViolation,
  markEmailVerified,
  updateUser,
  type PersonRow,
} from '../../../db/repositories/users.ts';
import { deleteConsentsOfUser, insertConsents } from '../../../db/repositories/consents.ts';
import { hasLiveAuthToken } from '../../../db/repositories/auth-tokens.ts';
import { hashPassword } from '../../auth/password-hash.ts';
import { createSession, type CreatedSession } from '../../auth/sessions.ts';
import { issueToken, parseToken, secretMatches } from '../../auth/session-token.ts';
import { todayIn } from '../../lib/dates.ts';
import { badRequest, conflict, DomainError, tooMany } from '../../domain/errors.ts';
import type { RequestMeta } from '../../lib/request-meta.ts';
import { queueRegistrationWebhook } from '../integration/webhook-events.ts';
import type {
  NumberSignupConfirmResponse,
  NumberSignupStartRequest,
  NumberSignupStartResponse,
  NumberSignupSendResponse,
  SignupChannelDto,
  SignupChannelKind,
} from '../../../shared/api/number-signup.ts';
import {
  audit,
  currentConsentVersion,
  displayName,
  enforcePasswordPolicy,
  hourMs,
  issueMailToken,
  personalDataOf,
  userDtoOf,
  type AccountDeps,
} from './common.ts';

const minuteMs = 60 * 1000;
/** The whole sign-up (choose a channel, receive, type the code) must finish within this. */
const signupLifetimeMs = hourMs;
/** A code is read from a phone or mailbox at once; 15 minutes leave room for a slow mail. */
export const signupCodeLifetimeMs = 15 * minuteMs;
/** Wrong codes per sent code: after that only a new code helps (10^6 codes, 5 tries). */
const wrongCodesPerCode = 5;
/** Codes per sign-up (first send and resends); the person-wide hourly limit applies on top. */
const codesPerSignup = 3;
const verificationLifetimeMs = 24 * hourMs;

/**
 * One answer for "no such tenant", "tenant without e-mail or mobile on file" and "already has a
 * login": the caller learns only that this number cannot be verified online, never which case it
 * is, and every one of them counts as a wrong guess like an unknown letter code.
 */
const notVerifiable = () =>
  new DomainError(
    'not_found',
    'number_not_verifiable',
    'This number cannot be verified online. If you already have a login, sign in or reset your password; otherwise please contact us so we can record an e-mail address or mobile number for you.',
  );
const signupNotFound = () =>
  new DomainError(
    'not_found',
    'signup_not_found',
    'This sign-up does not exist or has ended. Please start again.',
  );
const emailTaken = () => conflict('email_taken', 'This e-mail address is already used for a login.');

/** "erika@oresund.se" → "e•••@o•••.se": enough to recognise one's own, too little to learn it. */
export function maskEmail(address: string): string {
  const [local = '', domain = ''] = address.split('@');
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}•••@${host.slice(0, 1)}•••${tld}`;
}

/** "+46 70 123 45 12" → "+46 •• ••• •• 12": the country code and the last two digits only. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  const international = phone.trim().startsWith('+') || phone.trim().startsWith('00');
  const national = phone.trim().startsWith('00') ? digits.slice(2) : digits;
  const prefix = international ? `+${national.slice(0, 2)}` : national.slice(0, 1);
  return `${prefix} •• ••• •• ${digits.slice(-2)}`;
}

/**
 * A number that takes SMS: the `mobile` field, or a `phone` in a mobile range (Swedish 07x /
 * +467x, German 015x–017x / +4915x–+4917x; Post- och telestyrelsen and Bundesnetzagentur plans).
 */
export function smsNumberOf(person: Pick<PersonRow, 'mobile' | 'phone'>): string | null {
  if (person.mobile?.trim()) return person.mobile.trim();
  const phone = person.phone?.trim();
  if (!phone) return null;
  const digits = phone.replace(/[^0-9+]/g, '').replace(/^00/, '+');
  return /^(\+467|07|\+491[5-7]|01[5-7])/.test(digits) ? phone : null;
}

function heldContacts(person: PersonRow): { email: string | null; sms: string | null } {
  return { email: person.email?.trim() || null, sms: smsNumberOf(person) };
}

function channelsOf(person: PersonRow): SignupChannelDto[] {
  const held = heldContacts(person);
  const channels: SignupChannelDto[] = [];
  if (held.email) channels.push({ id: 'email', kind: 'email', masked: maskEmail(held.email) });
  if (held.sms) channels.push({ id: 'sms', kind: 'sms', masked: maskPhone(held.sms) });
  return channels;
}

const normaliseNumber = (number: string) => number.toUpperCase().replace(/[\s-]+/g, '');

/** Salted with the sign-up id: a code is worth nothing on any other sign-up. */
const hashCode = (signupId: string, code: string) =>
  createHash('sha256')
    .update(`${signupId}:${code.replace(/\s+/g, '')}`)
    .digest('hex');

function codeMatches(signupId: string, code: string, storedHash: string): boolean {
  const given = Buffer.from(hashCode(signupId, code), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** A person with a verified login, or one whose letter registration awaits its mail link. */
async function hasLoginOrPending(deps: AccountDeps, personId: string, now: Date): Promise<boolean> {
  const user = await findUserByPersonId(deps.db, personId);
  if (!user) return false;
  return Boolean(user.emailVerifiedAt) || (await hasLiveAuthToken(deps.db, user.id, 'verify_email', now));
}

/**
 * Step 1 (seed 004 "ange organisationsnummer, välj användarnamn och lösenord"): finds the tenant
 * the number names and, when the landlord holds an e-mail address or a mobile number for them,
 * keeps the chosen login and password (hashed) in a pending sign-up and answers the held contacts
 * masked. Throttled exactly like the letter code: the same per-address guess counter, and every
 * number that does not lead on counts as a wrong guess.
 */
export async function startNumberSignup(
  deps: AccountDeps,
  input: NumberSignupStartRequest,
  meta: RequestMeta,
): Promise<NumberSignupStartResponse> {
  const { db } = deps;
  const now = deps.now();
  await deps.rateLimits.checkGuess(meta.ip);

  const today = todayIn(deps.config.timeZone, now);
  const candidates = await listSignupCandidates(db, input.kind, normaliseNumber(input.number), today);
  // Two tenants under one number cannot be told apart online: staff sort that out.
  const person = candidates.length === 1 ? candidates[0]! : undefined;
  const channels = person ? channelsOf(person) : [];
  if (!person || channels.length === 0 || (await hasLoginOrPending(deps, person.id, now))) {
    await deps.rateLimits.recordWrongGuess(meta.ip);
    throw notVerifiable();
  }

  const email = input.email.toLowerCase();
  // As with a letter: "taken" is only told to someone holding a number that leads to a tenant.
  if (await isLoginEmailTaken(db, email)) throw emailTaken();
  await enforcePasswordPolicy(db, input.password, personalDataOf(person, email), 'password');
  const passwordHash = await hashPassword(input.password);

  const handle = issueToken();
  const expiresAt = new Date(now.getTime() + signupLifetimeMs);
  await unitOfWork(deps, async ({ tx }) => {
    // Only the newest sign-up of a person can be completed; ended ones (and their password
    // hashes) are dropped a day later, here rather than by a timer.
    await endOpenNumberSignupsOf(tx, person.id, now);
    await deleteNumberSignupsExpiredBefore(tx, new Date(now.getTime() - 24 * hourMs));
    await insertNumberSignup(tx, {
      id: handle.id,
      secretHash: handle.secretHash,
      personId: person.id,
      loginEmail: email,
      passwordHash,
      language: input.language ?? person.language,
      electronicDelivery: input.acceptElectronicDelivery,
      expiresAt,
      createdAt: now,
    });
    await audit(tx, {
      actorUserId: null,
      action: 'account.number_signup_started',
      entityType: 'person',
      entityId: person.id,
      data: { kind: input.kind, channels: channels.map((c) => c.kind) },
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
  return { signupId: handle.token, channels, expiresAt: expiresAt.toISOString() };
}

/**
 * The sign-up a handle names, while it runs. A malformed, unknown, forged, finished or expired
 * handle is the same 404 and counts as a guess.
 */
async function openSignup(
  deps: AccountDeps,
  signupId: string,
  meta: RequestMeta,
): Promise<{ signup: NumberSignupRow; person: PersonRow }> {
  await deps.rateLimits.checkGuess(meta.ip);
  const parsed = parseToken(signupId);
  const signup = parsed ? await findNumberSignup(deps.db, parsed.id) : undefined;
  const person = signup && (await findPersonById(deps.db, signup.personId));
  if (
    !parsed ||
    !signup ||
    !person ||
    !secretMatches(parsed.secret, signup.secretHash) ||
    signup.completedAt ||
    signup.expiresAt <= deps.now()
  ) {
    await deps.rateLimits.recordWrongGuess(meta.ip);
    throw signupNotFound();
  }
  return { signup, person };
}

/** Six digits, uniformly drawn (crypto.randomInt has no modulo bias). */
function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * Step 2: the code goes to the held contact the registrant chose — never to an address they typed.
 * A new send replaces the previous code.
 */
export async function sendNumberSignupCode(
  deps: AccountDeps,
  input: { signupId: string; channel: SignupChannelKind },
  meta: RequestMeta,
): Promise<NumberSignupSendResponse> {
  const { signup, person } = await openSignup(deps, input.signupId, meta);
  const held = heldContacts(person);
  const address = input.channel === 'email' ? held.email : held.sms;
  if (!address)
    throw badRequest('channel_unavailable', 'There is no such contact on file for this sign-up.', {
      channel: 'channel_unavailable',
    });
  if (signup.codesSent >= codesPerSignup) throw tooMany(Math.ceil(signupCodeLifetimeMs / 1000));
  await deps.rateLimits.checkSignupCode(person.id);

  const now = deps.now();
  const code = newCode();
  const codeExpiresAt = new Date(now.getTime() + signupCodeLifetimeMs);
  await unitOfWork(deps, async ({ tx, record }) => {
    await setNumberSignupCode(tx, signup.id, {
      channel: input.channel,
      codeHash: hashCode(signup.id, code),
      codeExpiresAt,
    });
    record({
      type: 'account.signup_code_requested',
      channel: input.channel,
      to: { address, userId: null, language: signup.language, name: displayName(person) },
      code,
      expiresAt: codeExpiresAt,
      at: now,
    });
    await audit(tx, {
      actorUserId: null,
      action: 'account.number_signup_code_sent',
      entityType: 'person',
      entityId: person.id,
      data: { channel: input.channel },
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
  return { status: 'code_sent', channel: input.channel, codeExpiresAt: codeExpiresAt.toISOString() };
}

export interface ConfirmedSignup {
  response: NumberSignupConfirmResponse;
  /** Set when the login is usable at once: the route sets the session cookie. */
  session: CreatedSession | null;
}

/**
 * Step 3: the right code creates the login with the consents given in step 1. When the code went
 * to the very address chosen as login, that address is proven and the registrant is signed in;
 * otherwise (SMS, or a different held address) the login address is confirmed by the usual link,
 * as after a letter registration.
 */
export async function confirmNumberSignup(
  deps: AccountDeps,
  input: { signupId: string; code: string },
  meta: RequestMeta,
): Promise<ConfirmedSignup> {
  const { signup, person } = await openSignup(deps, input.signupId, meta);
  const now = deps.now();
  if (!signup.codeHash || !signup.codeExpiresAt || !signup.channel)
    throw conflict('code_not_sent', 'No code was sent for this sign-up yet.');
  if (signup.codeExpiresAt <= now || signup.wrongCodes >= wrongCodesPerCode)
    throw badRequest('code_expired', 'This code has expired. Please request a new one.');
  if (!codeMatches(signup.id, input.code, signup.codeHash)) {
    await unitOfWork(deps, async ({ tx }) => await countWrongSignupCode(tx, signup.id));
    await deps.rateLimits.recordWrongGuess(meta.ip);
    throw badRequest('invalid_code', 'This code is not right.', { code: 'invalid_code' });
  }

  const held = heldContacts(person);
  const proven = signup.channel === 'email' && held.email?.toLowerCase() === signup.loginEmail;
  const version = await currentConsentVersion(deps.db);
  try {
    const done = await unitOfWork(
      deps,
      async ({ tx, record }): Promise<{ userId: string; session: CreatedSession | null }> => {
        if (!(await completeNumberSignup(tx, signup.id, now))) throw signupNotFound();
        const existing = await findUserByPersonId(tx, person.id);
        if (existing?.emailVerifiedAt)
          throw conflict(
            'already_registered',
            'There already is a login for you. Sign in or reset your password.',
          );
        if (existing && (await hasLiveAuthToken(tx, existing.id, 'verify_email', now)))
          throw conflict(
            'registration_pending',
            'A registration is awaiting e-mail confirmation. Use the link in that mail.',
          );
        if (await isLoginEmailTaken(tx, signup.loginEmail, existing?.id)) throw emailTaken();
        let userId: string;
        if (existing) {
          // An unconfirmed login whose link expired: nobody proved it; this sign-up did.
          userId = existing.id;
          await updateUser(tx, userId, {
            loginEmail: signup.loginEmail,
            passwordHash: signup.passwordHash,
            language: signup.language,
            passwordChangedAt: now,
          });
          await deleteConsentsOfUser(tx, userId);
        } else {
          userId = (
            await insertUser(tx, {
              personId: person.id,
              loginEmail: signup.loginEmail,
              passwordHash: signup.passwordHash,
              role: 'customer',
              language: signup.language,
              passwordChangedAt: now,
              createdAt: now,
            })
          ).id;
        }
        await insertConsents(
          tx,
          userId,
          signup.electronicDelivery ? ['privacy', 'terms', 'electronic_delivery'] : ['privacy', 'terms'],
          version,
          now,
        );
        await audit(tx, {
          actorUserId: userId,
          action: 'account.registered',
          entityId: userId,
          data: {
            via: 'number',
            channel: signup.channel,
            consentVersion: version,
            documentDelivery: signup.electronicDelivery ? 'electronic' : 'paper',
            repeated: Boolean(existing),
          },
          ipAddress: meta.ip,
          createdAt: now,
        });
        const to = {
          address: signup.loginEmail,
          userId,
          language: signup.language,
          name: displayName(person),
        };
        if (proven) {
          record({ type: 'account.registered', to, verification: null, at: now });
          await markEmailVerified(tx, userId, now);
          await queueRegistrationWebhook(tx, person, now);
          return { userId, session: await createSession(tx, userId, now, meta) };
        }
        const link = await issueMailToken(
          tx,
          userId,
          'verify_email',
          now,
          verificationLifetimeMs,
          signup.loginEmail,
        );
        record({
          type: 'account.registered',
          to,
          verification: {
            url: `${deps.config.publicUrl}/verify?token=${link.token}`,
            expiresAt: link.expiresAt,
          },
          at: now,
        });
        return { userId, session: null };
      },
    );
    if (!done.session)
      return { response: { status: 'verification_sent', email: signup.loginEmail }, session: null };
    const account = (await findAccountByUserId(deps.db, done.userId))!;
    return {
      response: { status: 'registered', user: await userDtoOf(deps, account, now) },
      session: done.session,
    };
  } catch (error) {
    if (await isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}
