/**
 * The tenant record of the staff console (issue 15 item 5 "Tenant 360°"): contracts and units, rent
 * account and arrears, household and access, tickets, documents with their opening, consents and
 * channels. Figures come from the same repositories and rules as the tenant's own pages (balance:
 * the ledger sum of GET /api/contracts; current contracts: the tenant's scope; documents: the
 * tenant's audience), so staff and tenant never see two different numbers.
 *
 * A person is only found when one of their current contracts lies in the staff member's scope;
 * otherwise the answer is the same 404 as for an unknown id. Inside, everything shown is limited to
 * that scope too: a tenant with a flat in Berlin and a shop in Malmö shows Malmö staff the shop only.
 */
import { listConsentsOfUser, type ConsentRow } from '../../../db/repositories/consents.ts';
import { listDocumentsVisibleTo } from '../../../db/repositories/documents.ts';
import { listOpenHouseholdInvitationsOfContracts } from '../../../db/repositories/household.ts';
import { rentAccountBalancesOf } from '../../../db/repositories/ledger.ts';
import { listPushSubscriptionsOfUser } from '../../../db/repositories/push-subscriptions.ts';
import { listPersonIdsWithOpenLetterCode } from '../../../db/repositories/registration-codes.ts';
import {
  countOpenTicketsOfPersonForStaff,
  listContractUnitsOfPerson,
  listHouseholdOfContracts,
  listTicketsOfPersonForStaff,
  summariseOverdueInvoicesOf,
} from '../../../db/repositories/tenant-record.ts';
import type { StaffScopeFilter } from '../../../db/repositories/tickets.ts';
import { findUserByPersonId, type UserRow } from '../../../db/repositories/users.ts';
import { inReadSnapshot } from '../../../db/prepared.ts';
import type { PersonRow } from '../../../db/repositories/persons.ts';
import type {
  HouseholdAccessState,
  RegistrationStatus,
  TenantContractDto,
  TenantHouseholdMemberDto,
  TenantRecordDto,
  TenantSummaryDto,
} from '../../../shared/api/staff-tenants.ts';
import { tenantPersonParams } from '../../../shared/api/staff-tenants.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { notFound } from '../../lib/http-error.ts';
import { loadRecipients } from '../../notify/recipients.ts';
import { loadCustomerScope, type CustomerScope } from '../access.ts';
import { balanceOf, displayNameOf } from '../contracts.ts';
import { documentAudienceOf } from '../documents/tenant.ts';
import { getNotificationPreferences } from '../profile.ts';
import { subjectFor } from '../../../shared/ticket-subject.ts';
import { loadStaffScope, staffScopeCovers } from '../tickets/visibility.ts';
import { findTenantInScope } from './onboarding.ts';

type RecordDeps = Pick<Deps, 'db' | 'config' | 'now' | 'bus'>;

/** Lists on the record stay readable; the full history is in the inbox search. */
const ticketLimit = 50;
const documentLimit = 100;

/**
 * The path id, checked: a malformed id is the same 404 as an unknown one, so nobody learns from
 * the answer which ids look valid.
 */
export function personIdFrom(raw: string): string {
  const parsed = tenantPersonParams.safeParse({ personId: raw });
  if (!parsed.success) throw notFound();
  return parsed.data.personId;
}

interface TenantContext {
  person: PersonRow;
  account: UserRow | undefined;
  /** The tenant's own scope (their current contracts and buildings), as their app computes it. */
  customerScope: CustomerScope;
  staffScope: StaffScopeFilter;
  contracts: TenantContractDto[];
}

/** The person, their login and their contracts within the staff member's scope; 404 when out of it. */
async function loadTenant(deps: RecordDeps, staff: SessionUser, rawPersonId: string): Promise<TenantContext> {
  const personId = personIdFrom(rawPersonId);
  const row = await findTenantInScope(deps, staff, personId);
  if (!row) throw notFound();
  const account = await findUserByPersonId(deps.db, personId);
  // The tenant's scope as their app computes it; without a login the contracts are the same.
  const customerScope = await loadCustomerScope(deps, tenantUser(row.person, account));
  const staffScope = await loadStaffScope(deps.db, staff);
  const today = customerScope.today;

  const byContract = new Map<string, TenantContractDto>();
  for (const unit of await listContractUnitsOfPerson(deps.db, personId)) {
    if (!staffScopeCovers(staffScope, { buildingId: unit.building.id, estateId: unit.building.estateId }))
      continue;
    let contract = byContract.get(unit.contractId);
    if (!contract) {
      contract = {
        id: unit.contractId,
        number: unit.number,
        kind: unit.kind,
        role: unit.role,
        access: unit.access,
        startDate: unit.startDate,
        endDate: unit.endDate,
        current: customerScope.contracts.has(unit.contractId),
        units: [],
        currency: unit.currency,
        balance: balanceOf(0, unit.currency),
        overdue: { count: 0, amount: 0 },
      };
      byContract.set(unit.contractId, contract);
    }
    const b = unit.building;
    contract.units.push({
      id: unit.unitId,
      number: unit.unitNumber,
      kind: unit.unitKind,
      buildingId: b.id,
      address: `${b.street} ${b.houseNumber}, ${b.postalCode} ${b.city}`,
    });
  }
  const ids = [...byContract.keys()];
  // The tenant's GET /api/contracts computes the same map from the same query.
  const balances = await rentAccountBalancesOf(deps.db, ids);
  const overdue = await summariseOverdueInvoicesOf(deps.db, ids, today);
  for (const contract of byContract.values()) {
    contract.balance = balanceOf(balances.get(contract.id) ?? 0, contract.currency);
    contract.overdue = overdue.get(contract.id) ?? { count: 0, amount: 0 };
  }
  // Current contracts first (as the tenant's list), then the past ones, newest first.
  const contracts = [...byContract.values()].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.startDate.localeCompare(a.startDate),
  );
  return { person: row.person, account, customerScope, staffScope, contracts };
}

const currentIds = (tenant: TenantContext) =>
  tenant.contracts.filter((contract) => contract.current).map((contract) => contract.id);

/**
 * Balance per currency over the current contracts, summed from the per-contract ledger sums already
 * loaded: the same figure as the tenant's start page (GET /api/home), without a second ledger query.
 */
function totalsOf(tenant: TenantContext): TenantRecordDto['totals'] {
  const byCurrency = new Map<string, { balance: number; count: number; amount: number }>();
  for (const contract of tenant.contracts) {
    if (!contract.current) continue;
    const sum = byCurrency.get(contract.currency) ?? { balance: 0, count: 0, amount: 0 };
    sum.balance += contract.balance.amount;
    sum.count += contract.overdue.count;
    sum.amount += contract.overdue.amount;
    byCurrency.set(contract.currency, sum);
  }
  return [...byCurrency]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, sum]) => ({
      currency,
      balance: balanceOf(sum.balance, currency),
      overdue: { count: sum.count, amount: sum.amount },
    }));
}

function contactOf(person: PersonRow, account: UserRow | undefined) {
  return {
    email: person.email,
    phone: person.phone,
    mobile: person.mobile,
    loginEmail: account && account.loginEmail !== person.email ? account.loginEmail : null,
  };
}

function personOf(person: PersonRow): TenantRecordDto['person'] {
  return {
    id: person.id,
    name: displayNameOf(person),
    kind: person.kind,
    customerNumber: person.customerNumber,
    language: person.language,
  };
}

const contractNumbers = (tenant: TenantContext) =>
  new Map(tenant.contracts.map((contract) => [contract.id, contract.number]));

/** Everyone on the person's current contracts, with what their login allows. */
async function householdMembersOf(
  deps: RecordDeps,
  tenant: TenantContext,
): Promise<TenantHouseholdMemberDto[]> {
  const numberOf = contractNumbers(tenant);
  const today = tenant.customerScope.today;
  return (await listHouseholdOfContracts(deps.db, currentIds(tenant)))
    .filter((row) => row.until === null || row.until >= today)
    .map((row): TenantHouseholdMemberDto => {
      const state: HouseholdAccessState =
        row.userId && !row.disabledAt ? (row.access === 'full' ? 'full' : 'read') : 'no_login';
      return {
        personId: row.personId,
        name: displayNameOf(row),
        contractId: row.contractId,
        contractNumber: numberOf.get(row.contractId) ?? '',
        role: row.role,
        state,
        invitationExpiresAt: null,
        isSelf: row.personId === tenant.person.id,
      };
    });
}

/** Open household invitations on the current contracts: people who may soon have a login. */
async function invitationsOf(deps: RecordDeps, tenant: TenantContext): Promise<TenantHouseholdMemberDto[]> {
  const numberOf = contractNumbers(tenant);
  return (await listOpenHouseholdInvitationsOfContracts(deps.db, currentIds(tenant), deps.now())).map(
    (row): TenantHouseholdMemberDto => ({
      personId: null,
      name: displayNameOf({ firstName: row.firstName, lastName: row.lastName, organisationName: null }),
      contractId: row.contractId ?? '',
      contractNumber: numberOf.get(row.contractId ?? '') ?? '',
      role: null,
      state: 'invited',
      invitationExpiresAt: row.expiresAt?.toISOString() ?? null,
      isSelf: false,
    }),
  );
}

function ticketOwner(tenant: TenantContext) {
  return {
    userId: tenant.account?.id ?? null,
    contractIds: tenant.contracts.map((contract) => contract.id),
  };
}

/**
 * What the tenant's documents page lists for them, with their own first opening; a building or
 * estate document of a house outside the staff member's scope is left out like the contract.
 */
async function documentsOf(deps: RecordDeps, tenant: TenantContext): Promise<TenantRecordDto['documents']> {
  const shownContracts = new Set(tenant.contracts.map((contract) => contract.id));
  const audience = await documentAudienceOf(deps.db, tenant.customerScope);
  return (await listDocumentsVisibleTo(deps.db, audience, tenant.account?.id ?? '', deps.now()))
    .filter(({ document }) => {
      if (document.scope === 'person') return true;
      if (document.scope === 'contract')
        return document.contractId !== null && shownContracts.has(document.contractId);
      return staffScopeCovers(tenant.staffScope, {
        buildingId: document.buildingId,
        estateId: document.estateId,
      });
    })
    .slice(0, documentLimit)
    .map(({ document, firstOpenedAt }) => ({
      id: document.id,
      title: document.title,
      type: document.type,
      scope: document.scope,
      publishedAt: document.publishedAt.toISOString(),
      firstOpenedAt: firstOpenedAt?.toISOString() ?? null,
    }));
}

async function channelsOf(
  deps: RecordDeps,
  tenant: TenantContext,
  consents: readonly ConsentRow[],
): Promise<TenantRecordDto['channels']> {
  const account = tenant.account;
  const electronicDelivery = consents.some(
    (consent) => consent.kind === 'electronic_delivery' && consent.withdrawnAt === null,
  );
  if (!account || account.disabledAt) {
    return {
      reachable: { email: false, push: false, sms: false, post: true },
      pushDevices: 0,
      preferences: null,
      electronicDelivery,
    };
  }
  // The outbox's own view of the person: a verified login address, a device, a (mobile) number.
  const [recipient] = await loadRecipients(deps.db, [account.id]);
  return {
    reachable: {
      email: Boolean(recipient?.email),
      push: Boolean(recipient?.hasPushSubscription),
      sms: Boolean(recipient?.phone),
      post: true,
    },
    pushDevices: (await listPushSubscriptionsOfUser(deps.db, account.id)).length,
    preferences: (await getNotificationPreferences(deps, tenantUser(tenant.person, account))).preferences,
    electronicDelivery,
  };
}

/**
 * The tenant as the tenant-side read functions take them. Only ever passed to functions that read;
 * no session is made from it. Without a login the id is empty, which matches no opening or choice.
 */
function tenantUser(person: PersonRow, account: UserRow | undefined): SessionUser {
  return {
    id: account?.id ?? '',
    personId: person.id,
    role: 'customer',
    loginEmail: account?.loginEmail ?? '',
    language: account?.language ?? person.language,
  };
}

async function registrationOf(deps: RecordDeps, tenant: TenantContext): Promise<RegistrationStatus> {
  if (tenant.account) return 'registered';
  return (await listPersonIdsWithOpenLetterCode(deps.db, [tenant.person.id], deps.now())).has(
    tenant.person.id,
  )
    ? 'invited'
    : 'none';
}

/** `GET /staff/tenants/:personId`. */
export async function getTenantRecord(
  deps: Deps,
  staff: SessionUser,
  personId: string,
): Promise<TenantRecordDto> {
  return await inReadSnapshot(deps.db, async () => {
    const tenant = await loadTenant(deps, staff, personId);
    const consents = tenant.account ? await listConsentsOfUser(deps.db, tenant.account.id) : [];
    return {
      person: personOf(tenant.person),
      contact: contactOf(tenant.person, tenant.account),
      registration: await registrationOf(deps, tenant),
      lastLoginAt: tenant.account?.lastLoginAt?.toISOString() ?? null,
      contracts: tenant.contracts,
      totals: totalsOf(tenant),
      household: [...(await householdMembersOf(deps, tenant)), ...(await invitationsOf(deps, tenant))],
      tickets: (
        await listTicketsOfPersonForStaff(deps.db, ticketOwner(tenant), tenant.staffScope, ticketLimit)
      ).map(({ subjects, ...ticket }) => ({
        ...ticket,
        // In the reader's language, by the same rule as the inbox rows (tickets/dto.ts).
        subject: subjectFor({ subject: ticket.subject, subjects }, staff.language),
        createdAt: ticket.createdAt.toISOString(),
        lastActivityAt: ticket.lastActivityAt.toISOString(),
      })),
      documents: await documentsOf(deps, tenant),
      consents: consents.map((consent) => ({
        kind: consent.kind,
        version: consent.version,
        acceptedAt: consent.acceptedAt.toISOString(),
        withdrawnAt: consent.withdrawnAt?.toISOString() ?? null,
      })),
      channels: await channelsOf(deps, tenant, consents),
    };
  });
}

/** `GET /staff/tenants/:personId/summary`: the card beside a case, in a handful of queries. */
export async function getTenantSummary(
  deps: Deps,
  staff: SessionUser,
  personId: string,
): Promise<TenantSummaryDto> {
  return await inReadSnapshot(deps.db, async () => {
    const tenant = await loadTenant(deps, staff, personId);
    const others = (await householdMembersOf(deps, tenant)).filter((member) => !member.isSelf);
    return {
      person: personOf(tenant.person),
      contact: contactOf(tenant.person, tenant.account),
      contracts: tenant.contracts
        .filter((contract) => contract.current)
        .map((contract) => ({
          id: contract.id,
          number: contract.number,
          unit: contract.units.map((unit) => unit.number).join(', '),
          address: contract.units[0]?.address ?? '',
        })),
      totals: totalsOf(tenant),
      householdCount: new Set(others.map((member) => member.personId)).size,
      openTickets: await countOpenTicketsOfPersonForStaff(deps.db, ticketOwner(tenant), tenant.staffScope),
    };
  });
}
