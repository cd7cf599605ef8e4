import { generateRandomString, type RandomReader } from '@oslojs/crypto/random';
import { insertAuditEntry } from '../../db/repositories/audit.ts';
import { listUnitsOfContract } from '../../db/repositories/contracts.ts';
import {
  deleteHouseholdInvitations,
  endHouseholdMembership,
  findOpenHouseholdInvitation,
  insertHouseholdMember,
  listDeadHouseholdInvitations,
  listHouseholdOfContract,
  listOpenHouseholdInvitations,
  listPendingRemovalPersonIds,
  revokeHouseholdInvitationsOf,
  updateHouseholdAccess,
} from '../../db/repositories/household.ts';
import { findPerson, insertPerson } from '../../db/repositories/persons.ts';
import {
  insertRegistrationCode,
  type RegistrationCodeRow,
} from '../../db/repositories/registration-codes.ts';
import { findSetting, putSetting } from '../../db/repositories/settings.ts';
import { m } from '../../shared/i18n/paraglide/messages.js';
import { findUserByPersonId, isLoginEmailTaken } from '../../db/repositories/users.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import { hashRegistrationCode } from '../auth/registration-code.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { forbidden, notFound } from '../lib/http-error.ts';
import type { RequestMeta } from '../lib/request-meta.ts';
import type {
  HouseholdAccess,
  HouseholdInvitationDto,
  HouseholdInvitationRequest,
  HouseholdMemberDto,
  HouseholdRemovalResult,
  HouseholdResponse,
  HouseholdSettings,
} from '../../shared/api/household.ts';
import { assertCanSeeContract, loadCustomerScope, type CustomerScope } from './access.ts';
import { todayIn } from '../lib/dates.ts';
import { loadStaffScope, staffScopeCovers } from './tickets/visibility.ts';
import { createTicket } from './tickets/create.ts';
import { unitOfWork } from '../unit-of-work/index.ts';

export type HouseholdDeps = Pick<Deps, 'db' | 'now' | 'config' | 'mailer' | 'rateLimits' | 'bus'>;

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

async function scopeOf(deps: HouseholdDeps, user: SessionUser): Promise<CustomerScope> {
  return await loadCustomerScope(deps, user);
}

function assertMainTenant(scope: CustomerScope, contractId: string): void {
  assertCanSeeContract(scope, contractId);
  if (scope.contracts.get(contractId)?.role !== 'main_tenant')
    throw forbidden('not_main_tenant', 'Only the main tenant manages the household.');
}

function isMainTenant(scope: CustomerScope, contractId: string): boolean {
  return scope.contracts.get(contractId)?.role === 'main_tenant';
}

/** The current parties of the contract: a removed member (`until` before today) is history, not listed. */
async function membersOf(
  deps: HouseholdDeps,
  user: SessionUser,
  contractId: string,
): Promise<HouseholdMemberDto[]> {
  const today = todayIn(deps.config.timeZone, deps.now());
  const pendingRemoval = await listPendingRemovalPersonIds(deps.db, contractId);
  return (await listHouseholdOfContract(deps.db, contractId))
    .filter((row) => row.until === null || row.until >= today)
    .map((row) => ({
      personId: row.personId,
      name: nameOf(row.person),
      role: row.role,
      access: row.access,
      hasLogin: row.userId !== null,
      isMe: row.personId === user.personId,
      removalRequested: pendingRemoval.has(row.personId),
    }));
}

type OpenInvitationRow = Awaited<ReturnType<typeof listOpenHouseholdInvitations>>[number];

const invitationDto = (row: OpenInvitationRow): HouseholdInvitationDto => ({
  id: row.id,
  name: nameOf({ firstName: row.firstName, lastName: row.lastName, organisationName: null }),
  email: row.email ?? '',
  access: row.access ?? 'read',
  createdAt: row.createdAt.toISOString(),
  expiresAt: (row.expiresAt ?? row.createdAt).toISOString(),
});

/**
 * Anyone on the contract sees who else is on it; others get 404 like a missing contract. Pending
 * invitations (with the invitee's address) only for the main tenant, who sent them.
 */
export async function getHousehold(
  deps: HouseholdDeps,
  user: SessionUser,
  contractId: string,
): Promise<HouseholdResponse> {
  const scope = await scopeOf(deps, user);
  assertCanSeeContract(scope, contractId);
  const invitations = isMainTenant(scope, contractId)
    ? (await listOpenHouseholdInvitations(deps.db, contractId, deps.now())).map(invitationDto)
    : [];
  return {
    members: await membersOf(deps, user, contractId),
    invitations,
    removalNeedsApproval: (await getHouseholdSettings(deps)).removalNeedsApproval,
  };
}

/**
 * The main tenant invites another adult (seed 003): a person for the invitee and a single-use
 * registration code (only its hash stored), mailed in the inviter's language. Nobody joins the
 * contract yet: the code then works with the ordinary `POST /api/auth/register`, which makes the
 * invitee a household member (`acceptHouseholdInvitation`). Unused, it expires and housekeeping
 * deletes it with its person (`sweepHouseholdInvitations`).
 *
 * An address that already has a login gets exactly the same answer and the same pending
 * invitation; the answer must not tell the inviter (or anyone trying addresses) that the address
 * has a login. What differs is only the mail, which only the address's owner reads: it says who
 * invited them to which home and that a login cannot take an invitation code, so they ask the
 * main tenant to invite another address or turn to the landlord. It carries no code: a second
 * login for a person who has one would split their history. The unused invitation then expires
 * like any other.
 */
export async function inviteHouseholdMember(
  deps: HouseholdDeps,
  user: SessionUser,
  contractId: string,
  input: HouseholdInvitationRequest,
  meta: RequestMeta,
): Promise<{ invitation: HouseholdInvitationDto }> {
  assertMainTenant(await scopeOf(deps, user), contractId);
  // After the guards, so only the main tenant spends the contract's allowance.
  await deps.rateLimits.checkHouseholdInvitation(contractId);
  const email = input.email.toLowerCase();
  const hasLogin = await isLoginEmailTaken(deps.db, email);
  const inviter = await findPerson(deps.db, user.personId);
  const inviterName = (inviter && nameOf(inviter)) || user.loginEmail;
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + invitationLifetimeMs);
  const code = generateInvitationCode();
  const [placement] = await listUnitsOfContract(deps.db, contractId);
  const address = placement
    ? `${placement.building.street} ${placement.building.houseNumber}, ${placement.building.postalCode} ${placement.building.city}`
    : '';
  const id = await unitOfWork(deps, async ({ tx, record }) => {
    const person = await insertPerson(tx, {
      kind: 'natural',
      firstName: input.firstName,
      lastName: input.lastName,
      email,
      language: user.language,
      createdAt: now,
    });
    const invitation = await insertRegistrationCode(tx, {
      personId: person.id,
      contractId,
      codeHash: hashRegistrationCode(code),
      purpose: 'household_invitation',
      email,
      access: input.access,
      expiresAt,
      createdByUserId: user.id,
      createdAt: now,
    });
    await insertAuditEntry(tx, {
      actorUserId: user.id,
      action: 'household.invited',
      entityType: 'contract',
      entityId: contractId,
      data: { invitationId: invitation.id, personId: person.id, access: input.access },
      ipAddress: meta.ip,
      createdAt: now,
    });
    // In the inviter's language: the invitee has no language of their own yet. Mailed with the
    // invitation (outbox, issue 6): the worker retries until it is delivered.
    record({
      type: 'household.member_invited',
      to: {
        address: email,
        userId: null,
        language: user.language,
        name: hasLogin ? null : `${input.firstName} ${input.lastName}`,
      },
      inviter: inviterName,
      address,
      invitation: hasLogin
        ? null
        : {
            code,
            link: `${deps.config.publicUrl}/register?code=${encodeURIComponent(code)}`,
            expiresAt,
          },
      at: now,
    });
    return invitation.id;
  });

  const created = await findOpenHouseholdInvitation(deps.db, contractId, id, now);
  if (!created) throw notFound();
  return { invitation: invitationDto(created) };
}

/** The main tenant withdraws an open invitation: its code stops working at once (404 for any other id). */
export async function withdrawHouseholdInvitation(
  deps: HouseholdDeps,
  user: SessionUser,
  contractId: string,
  invitationId: string,
  meta: RequestMeta,
): Promise<void> {
  assertMainTenant(await scopeOf(deps, user), contractId);
  const now = deps.now();
  const invitation = await findOpenHouseholdInvitation(deps.db, contractId, invitationId, now);
  if (!invitation) throw notFound();
  await unitOfWork(deps, async ({ tx }) => {
    // The code and the invitee's person (and, for invitations from before they waited for
    // registration, their party row) go now: nothing of them is needed, and a concurrent
    // registration either used the code first (then nothing is deleted: 404) or finds it gone.
    if ((await deleteHouseholdInvitations(tx, [invitation])) === 0) throw notFound();
    await insertAuditEntry(tx, {
      actorUserId: user.id,
      action: 'household.invitation_withdrawn',
      entityType: 'contract',
      entityId: contractId,
      data: { invitationId: invitation.id },
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
}

/**
 * The landlord's household rule (admin setting `household_removal`): whether the main tenant's
 * removal of a member waits for staff approval. Off unless set.
 */
const householdSettingKey = 'household_removal';

export async function getHouseholdSettings(deps: Pick<Deps, 'db'>): Promise<HouseholdSettings> {
  const stored = (await findSetting(deps.db, householdSettingKey)) as { needsApproval?: unknown } | null;
  return { removalNeedsApproval: stored?.needsApproval === true };
}

export async function changeHouseholdSettings(
  deps: Pick<Deps, 'db' | 'now' | 'config' | 'bus'>,
  admin: SessionUser,
  input: HouseholdSettings,
  meta: RequestMeta,
): Promise<HouseholdSettings> {
  const now = deps.now();
  await unitOfWork(deps, async ({ tx }) => {
    await putSetting(tx, householdSettingKey, { needsApproval: input.removalNeedsApproval }, now);
    await insertAuditEntry(tx, {
      actorUserId: admin.id,
      action: 'admin.household_settings_changed',
      entityType: 'setting',
      entityId: householdSettingKey,
      data: { ...input },
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
  return { removalNeedsApproval: input.removalNeedsApproval };
}

/** A current household member the main tenant may remove: not themselves, nor a party who signed. */
async function removableMember(deps: HouseholdDeps, user: SessionUser, contractId: string, personId: string) {
  const target = (await membersOf(deps, user, contractId)).find((m) => m.personId === personId);
  if (!target) throw notFound();
  // Co-tenants and guarantors signed the contract: they change with the landlord, not here.
  if (target.isMe || target.role !== 'household_member')
    throw forbidden('cannot_remove_member', 'Only household members can be removed here.');
  return target;
}

/**
 * Ends a member's party row (yesterday, because a party counts through its `until` day — see
 * `isCurrent` in access.ts), so the history stays and the scope computed for every request of the
 * member's sessions loses the contract at once; the live layer moves their open sockets out of the
 * contract's rooms (`access.changed`).
 */
async function endMembership(
  deps: HouseholdDeps,
  actor: SessionUser,
  contractId: string,
  target: { personId: string; role: string },
  meta: RequestMeta,
  action: 'household.member_removed' | 'household.member_removal_approved',
): Promise<void> {
  const now = deps.now();
  const today = todayIn(deps.config.timeZone, now);
  const until = dayBefore(today);
  const login = await findUserByPersonId(deps.db, target.personId);
  await unitOfWork(deps, async ({ tx, record }) => {
    if (!(await endHouseholdMembership(tx, contractId, target.personId, until, today))) throw notFound();
    // A member invited before invitations waited for registration may still hold a code.
    await revokeHouseholdInvitationsOf(tx, contractId, target.personId, now);
    await insertAuditEntry(tx, {
      actorUserId: actor.id,
      action,
      entityType: 'contract',
      entityId: contractId,
      data: { personId: target.personId, role: target.role, until },
      ipAddress: meta.ip,
      createdAt: now,
    });
    if (login) record({ type: 'access.changed', userIds: [login.id] });
  });
}

/**
 * The main tenant removes a household member (not themselves, nor a party who signed): at once,
 * or — where the landlord requires approval — as a contract-change request ("remove a person")
 * on the contract that staff approve (`approveHouseholdRemoval`). Asking again for the same
 * member answers with the same request.
 */
export async function removeHouseholdMember(
  deps: Deps,
  user: SessionUser,
  contractId: string,
  personId: string,
  meta: RequestMeta,
): Promise<HouseholdRemovalResult> {
  assertMainTenant(await scopeOf(deps, user), contractId);
  const target = await removableMember(deps, user, contractId, personId);
  if (!(await getHouseholdSettings(deps)).removalNeedsApproval) {
    await endMembership(deps, user, contractId, target, meta, 'household.member_removed');
    return { removed: true, request: null };
  }
  const { ticket } = await createTicket(deps, user, {
    type: 'contract_change',
    fields: { contract_change_kind: 'remove_person', person_name: target.name },
    // In the main tenant's words and language, as if they had filed it themselves.
    description: m.household_removal_request_text({ name: target.name }, { locale: user.language }),
    contractId,
    clientId: `household-removal:${contractId}:${personId}`,
  });
  return { removed: false, request: { id: ticket.id, number: ticket.number } };
}

/**
 * Staff approve a removal the main tenant asked for: staff whose scope covers the contract's
 * building end the member's party row, as the main tenant's removal would have. Anything else —
 * a contract outside their scope, a person who is no removable member — is 404 or 403 as for the
 * tenant.
 */
export async function approveHouseholdRemoval(
  deps: HouseholdDeps,
  staff: SessionUser,
  contractId: string,
  personId: string,
  meta: RequestMeta,
): Promise<void> {
  const [placement] = await listUnitsOfContract(deps.db, contractId);
  if (
    !placement ||
    !staffScopeCovers(await loadStaffScope(deps.db, staff), {
      buildingId: placement.building.id,
      estateId: placement.building.estateId,
    })
  )
    throw notFound();
  const today = todayIn(deps.config.timeZone, deps.now());
  const target = (await listHouseholdOfContract(deps.db, contractId)).find(
    (row) => row.personId === personId && (row.until === null || row.until >= today),
  );
  if (!target) throw notFound();
  if (target.role !== 'household_member')
    throw forbidden('cannot_remove_member', 'Only household members can be removed here.');
  await endMembership(deps, staff, contractId, target, meta, 'household.member_removal_approved');
}

const dayBefore = (isoDate: string) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

/**
 * Registration with a household invitation's code (server/services/accounts/registration.ts):
 * the invitee joins the contract with the right the main tenant chose. Letter codes and repeats
 * (the party row exists already, possibly end-dated by a removal) change nothing.
 */
export async function acceptHouseholdInvitation(
  tx: DbOrTx,
  code: RegistrationCodeRow,
  timeZone: string,
  now: Date,
): Promise<void> {
  if (code.purpose !== 'household_invitation' || !code.contractId) return;
  await insertHouseholdMember(tx, {
    contractId: code.contractId,
    personId: code.personId,
    access: code.access ?? 'read',
    since: todayIn(timeZone, now),
  });
}

/** Housekeeping: withdrawn and expired invitations go, with the person each one created. */
export async function sweepHouseholdInvitations(tx: DbOrTx, now: Date): Promise<number> {
  return await deleteHouseholdInvitations(tx, await listDeadHouseholdInvitations(tx, now));
}

/** The main tenant sets `full` or `read` for the others on the contract, never for themselves. */
export async function changeHouseholdAccess(
  deps: HouseholdDeps,
  user: SessionUser,
  contractId: string,
  personId: string,
  access: HouseholdAccess,
  meta: RequestMeta,
): Promise<HouseholdMemberDto> {
  assertMainTenant(await scopeOf(deps, user), contractId);
  const target = (await membersOf(deps, user, contractId)).find((m) => m.personId === personId);
  if (!target) throw notFound();
  if (target.isMe || target.role === 'main_tenant')
    throw forbidden('cannot_change_own_access', "The main tenant's access cannot be changed here.");
  const now = deps.now();
  await unitOfWork(deps, async ({ tx }) => {
    await updateHouseholdAccess(tx, contractId, personId, access);
    await insertAuditEntry(tx, {
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
