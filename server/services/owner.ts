import { inReadSnapshot } from '../../db/prepared.ts';
import {
  findCurrentHausgeldAdvances,
  listOwnerAccountWithRunningBalance,
  listOwnershipsWithUnits,
  sumOwnerAccountBalances,
  type OwnershipWithUnit,
} from '../../db/repositories/owners.ts';
import { listOwnedUnitsWithBuildings } from '../../db/repositories/persons.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { notFound } from '../lib/http-error.ts';
import type { BalanceState, OwnedUnitDto } from '../../shared/api/home.ts';
import type {
  OwnerDocumentsResponse,
  OwnershipAccountResponse,
  OwnershipDto,
  OwnershipListResponse,
} from '../../shared/api/owner.ts';
import { todayIn } from '../lib/dates.ts';
import { loadCustomerScope, type CustomerScope } from './access.ts';
import { listOwnerDocuments } from './documents/tenant.ts';

type OwnerDeps = Pick<Deps, 'db' | 'config' | 'now'>;

/** Seed 003: owners (WEG) see their units; a tenant who owns nothing gets an empty list. */
export async function listOwnedUnits(
  deps: Pick<Deps, 'db' | 'config' | 'now'>,
  user: SessionUser,
): Promise<OwnedUnitDto[]> {
  const today = todayIn(deps.config.timeZone, deps.now());
  return (await listOwnedUnitsWithBuildings(deps.db, user.personId))
    .filter((row) => row.until === null || row.until >= today)
    .map(({ unit, building, sharePerMille }) => ownedUnitDto(unit, building, sharePerMille));
}

function ownedUnitDto(
  unit: OwnershipWithUnit['unit'],
  building: OwnershipWithUnit['building'],
  sharePerMille: number | null,
): OwnedUnitDto {
  return {
    id: unit.id,
    number: unit.number,
    kind: unit.kind,
    floor: unit.floor,
    areaSqm: unit.areaSqm,
    building: {
      id: building.id,
      street: building.street,
      houseNumber: building.houseNumber,
      postalCode: building.postalCode,
      city: building.city,
    },
    sharePerMille,
  };
}

const stateOf = (amount: number): BalanceState => (amount > 0 ? 'due' : amount < 0 ? 'credit' : 'settled');

/** The customer's current ownerships as the app shows them: three queries however many there are. */
async function ownershipDtos(deps: OwnerDeps, scope: CustomerScope, ids: string[]): Promise<OwnershipDto[]> {
  const rows = await listOwnershipsWithUnits(deps.db, ids);
  const balances = await sumOwnerAccountBalances(deps.db, ids);
  const advances = await findCurrentHausgeldAdvances(deps.db, ids, scope.today);
  return rows.map(({ ownership, unit, building }) => {
    const balance = balances.get(ownership.id) ?? 0;
    const advance = advances.get(ownership.id);
    return {
      id: ownership.id,
      unit: ownedUnitDto(unit, building, ownership.sharePerMille),
      since: ownership.since,
      monthlyAdvance: advance === undefined ? null : { amount: advance, currency: building.currency },
      balance: { amount: balance, currency: building.currency, state: stateOf(balance) },
    };
  });
}

/** `GET /owner/ownerships` (seed 003 "Eigentümer"): units, Hausgeld and account balance per ownership. */
export async function listMyOwnerships(deps: OwnerDeps, user: SessionUser): Promise<OwnershipListResponse> {
  return await inReadSnapshot(deps.db, async () => {
    const scope = await loadCustomerScope(deps, user);
    return {
      ownerships: await ownershipDtos(deps, scope, [...scope.ownershipIds]),
      rents: scope.contracts.size > 0,
    };
  });
}

/**
 * `GET /owner/ownerships/:id`: the owner's account (Hausgeldkonto) with running balances. Someone
 * else's, a past or a missing ownership all answer the same 404.
 */
export async function getMyOwnershipAccount(
  deps: OwnerDeps,
  user: SessionUser,
  ownershipId: string,
): Promise<OwnershipAccountResponse> {
  return await inReadSnapshot(deps.db, async () => {
    const scope = await loadCustomerScope(deps, user);
    if (!scope.ownershipIds.has(ownershipId)) throw notFound();
    const [ownership] = await ownershipDtos(deps, scope, [ownershipId]);
    if (!ownership) throw notFound();
    return { ownership, entries: await listOwnerAccountWithRunningBalance(deps.db, ownershipId) };
  });
}

/** `GET /owner/documents`: the WEG's documents for owners and the owner's own (same document model). */
export async function listMyOwnerDocuments(
  deps: OwnerDeps,
  user: SessionUser,
): Promise<OwnerDocumentsResponse> {
  return await inReadSnapshot(deps.db, async () => {
    const scope = await loadCustomerScope(deps, user);
    return { documents: await listOwnerDocuments(deps.db, scope, deps.now()) };
  });
}
