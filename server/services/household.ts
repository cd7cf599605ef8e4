import { generateRandomString, type RandomReader } from '@oslojs/crypto/random';
import { insertAuditEntry } from '../../db/repositories/audit.ts';
import { insertContractParties, listUnitsOfContract } from '../../db/repositories/contracts.ts';
import {
  listHouseholdOfContract,
  listOpenHouseholdInvitations,
  updateHouseholdAccess,
} from '../../db/repositories/household.ts';
import { findPerson, insertPerson } from '../../db/repositories/persons.ts';
import { insertRegistrationCode } from '../../db/repositories/registration-codes.ts';
import { isLoginEmailTaken } from '../../db/repositories/users.ts';
import { inTransaction } from '../../db/transaction.ts';
import { hashRegistrationCode } from '../auth/registration-code.ts';
import { queueMail } from '../notify/outbox.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { conflict, forbidden, notFound } from '../lib/http-error.ts';
import type { RequestMeta } from '../lib/request-meta.ts';
import type {
  HouseholdAccess,
  HouseholdInvitationRequest,
  HouseholdMemberDto,
} from '../../shared/api/household.ts';
import { assertCanSeeContract, loadCustomerScope, type CustomerScope } from './access.ts';
import { todayIn } from '../lib/dates.ts';

export type HouseholdDeps = Pick<Deps, 'db' | 'now' | 'config' | 'mailer'>;

/** Seed 003: "every adult of the household has an own login"; the invitation is valid two weeks. */
const invitationLifetimeMs = 14 * 24 * 60 * 60 * 1000;
/** Crockford-style: no 0/O, 1/I/L, so a code read aloud or retyped from a phone survives. */
const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const cryptoRandom: RandomReader = { read: (bytes) => void crypto.getRandomValues(bytes) };

/** 3 groups of 4 from 31 symbols ≈ 59 bits; guessing is throttled by the registration route. */
export function generateInvitationCode(): string {
  const raw = generateRandomString(cryptoRandom, codeAlphabet, 12);
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

const nameOf = (person: {
  firstName: string | null;
  lastName: string | null;
  organisationName: string | null;
}) => [person.firstName, person.lastName].filter(Boolean).join(' ') || person.organisationName || '';

function scopeOf(deps: HouseholdDeps, user: SessionUser): CustomerScope {
  return loadCustomerScope(deps, user);
}

function assertMainTenant(scope: CustomerScope, contractId: string): void {
  assertCanSeeContract(scope, contractId);
  if (scope.contracts.get(contractId)?.role !== 'main_tenant')
    throw forbidden('not_main_tenant', 'Only the main tenant manages the household.');
}

function membersOf(deps: HouseholdDeps, user: SessionUser, contractId: string): HouseholdMemberDto[] {
  const today = todayIn(deps.config.timeZone, deps.now());
  const invitedAt = new Map<string, Date>();
  for (const invitation of listOpenHouseholdInvitations(deps.db, contractId, deps.now()))
    if (!invitedAt.has(invitation.personId)) invitedAt.set(invitation.personId, invitation.createdAt);
  return listHouseholdOfContract(deps.db, contractId)
    .filter((row) => row.until === null || row.until >= today)
    .map((row) => {
      const invited = row.userId === null ? invitedAt.get(row.personId) : undefined;
      return {
        personId: row.personId,
        name: nameOf(row.person),
        role: row.role,
        access: row.access,
        hasLogin: row.userId !== null,
        ...(invited && { invitedAt: invited.toISOString() }),
        isMe: row.personId === user.personId,
      };
    });
}

/** Anyone on the contract sees who else is on it; others get 404 like a missing contract. */
export function getHousehold(
  deps: HouseholdDeps,
  user: SessionUser,
  contractId: string,
): HouseholdMemberDto[] {
  assertCanSeeContract(scopeOf(deps, user), contractId);
  return membersOf(deps, user, contractId);
}

/**
 * The main tenant invites another adult (seed 003): a person on the contract as household member,
 * and a single-use registration code (only its hash stored) mailed in the inviter's language. The
 * code then works with the ordinary `POST /api/auth/register`.
 */
export function inviteHouseholdMember(
  deps: HouseholdDeps,
  user: SessionUser,
  contractId: string,
  input: HouseholdInvitationRequest,
  meta: RequestMeta,
): Promise<{ member: HouseholdMemberDto; expiresAt: string }> {
  assertMainTenant(scopeOf(deps, user), contractId);
  const email = input.email.toLowerCase();
  // Registration would refuse the address later anyway; saying so now saves a useless letter.
  if (isLoginEmailTaken(deps.db, email))
    throw conflict('email_taken', 'This e-mail address is already used for a login.');
  const inviter = findPerson(deps.db, user.personId);
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + invitationLifetimeMs);
  const code = generateInvitationCode();
  const [placement] = listUnitsOfContract(deps.db, contractId);
  const address = placement
    ? `${placement.building.street} ${placement.building.houseNumber}, ${placement.building.postalCode} ${placement.building.city}`
    : '';
  const personId = inTransaction(deps.db, (tx) => {
    const person = insertPerson(tx, {
      kind: 'natural',
      firstName: input.firstName,
      lastName: input.lastName,
      email,
      language: user.language,
      createdAt: now,
    });
    insertContractParties(tx, [
      {
        contractId,
        personId: person.id,
        role: 'household_member',
        access: input.access,
        since: todayIn(deps.config.timeZone, now),
      },
    ]);
    insertRegistrationCode(tx, {
      personId: person.id,
      contractId,
      codeHash: hashRegistrationCode(code),
      purpose: 'household_invitation',
      email,
      expiresAt,
      createdByUserId: user.id,
      createdAt: now,
    });
    insertAuditEntry(tx, {
      actorUserId: user.id,
      action: 'household.invited',
      entityType: 'contract',
      entityId: contractId,
      data: { personId: person.id, access: input.access },
      ipAddress: meta.ip,
      createdAt: now,
    });
    // In the inviter's language: the invitee has no language of their own yet. Queued with the
    // invitation (outbox, issue 6): the worker retries until it is delivered.
    queueMail(tx, {
      address: email,
      language: user.language,
      now,
      template: 'household_invitation',
      data: {
        name: `${input.firstName} ${input.lastName}`,
        inviter: inviter ? nameOf(inviter) : user.loginEmail,
        address,
        code,
        link: `${deps.config.publicUrl}/register?code=${encodeURIComponent(code)}`,
        expiresAt: expiresAt.toISOString(),
      },
    });
    return person.id;
  });

  const member = membersOf(deps, user, contractId).find((m) => m.personId === personId);
  if (!member) throw notFound();
  // Still a promise for its callers; the mail is an outbox row now, so nothing here awaits.
  return Promise.resolve({ member, expiresAt: expiresAt.toISOString() });
}

/** The main tenant sets `full` or `read` for the others on the contract, never for themselves. */
export function changeHouseholdAccess(
  deps: HouseholdDeps,
  user: SessionUser,
  contractId: string,
  personId: string,
  access: HouseholdAccess,
  meta: RequestMeta,
): HouseholdMemberDto {
  assertMainTenant(scopeOf(deps, user), contractId);
  const target = membersOf(deps, user, contractId).find((m) => m.personId === personId);
  if (!target) throw notFound();
  if (target.isMe || target.role === 'main_tenant')
    throw forbidden('cannot_change_own_access', "The main tenant's access cannot be changed here.");
  const now = deps.now();
  inTransaction(deps.db, (tx) => {
    updateHouseholdAccess(tx, contractId, personId, access);
    insertAuditEntry(tx, {
      actorUserId: user.id,
      action: 'household.access_changed',
      entityType: 'contract',
      entityId: contractId,
      data: { personId, from: target.access, to: access },
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
  return { ...target, access };
}
