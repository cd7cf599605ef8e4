import { listContractPlacementsOfPerson, listOwnedUnitsOfPerson } from '../../db/repositories/access.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { Deps } from '../deps.ts';
import { todayIn } from '../lib/dates.ts';
import type { SessionUser } from '../lib/context.ts';
import { forbidden, notFound } from '../lib/http-error.ts';

/**
 * What a customer may see, computed once per request in two queries: the contracts they are
 * party to (with their right), the units they own, and the buildings and estates those lie in.
 * Every tenant query is scoped through this (DESIGN.md "Every query is scoped").
 */
export interface CustomerScope {
  /** The landlord's local date the scope was computed for (contract and ownership validity). */
  today: string;
  userId: string;
  personId: string;
  /** contractId → right on it. A `read` household member sees but may not change (seed 003). */
  contracts: Map<string, { role: string; access: 'full' | 'read' }>;
  /** Units the person rents (via contracts) or owns. */
  tenantUnitIds: Set<string>;
  ownedUnitIds: Set<string>;
  /** The current ownerships behind `ownedUnitIds`: an owner's account and personal documents hang off them. */
  ownershipIds: Set<string>;
  /** Buildings and estates of those units: notices, incidents and building documents hang off them. */
  tenantBuildingIds: Set<string>;
  ownerBuildingIds: Set<string>;
  estateIds: Set<string>;
}

/** A contract counts until the day after its party's `until` (ISO dates compare as strings). */
function isCurrent(until: string | null, today: string): boolean {
  return until === null || until >= today;
}

/**
 * `todayIn` builds an Intl.DateTimeFormat per call (~25 µs, the largest single cost of a scoped
 * request in the profile). The local date can only change on a whole minute — every UTC offset in
 * use is a multiple of 15 minutes (IANA tz database) — so the answer is kept for the current minute.
 */
let lastDay = { timeZone: '', minute: Number.NaN, today: '' };
function landlordToday(timeZone: string, now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastDay.minute || timeZone !== lastDay.timeZone) {
    lastDay = { timeZone, minute, today: todayIn(timeZone, now) };
  }
  return lastDay.today;
}

export async function loadCustomerScope(
  deps: Pick<Deps, 'config' | 'now'> & { db: DbOrTx },
  user: SessionUser,
): Promise<CustomerScope> {
  const { db } = deps;
  const today = landlordToday(deps.config.timeZone, deps.now());
  const scope: CustomerScope = {
    today,
    userId: user.id,
    personId: user.personId,
    contracts: new Map(),
    tenantUnitIds: new Set(),
    ownedUnitIds: new Set(),
    ownershipIds: new Set(),
    tenantBuildingIds: new Set(),
    ownerBuildingIds: new Set(),
    estateIds: new Set(),
  };
  for (const placement of await listContractPlacementsOfPerson(db, user.personId)) {
    if (!isCurrent(placement.until, today)) continue;
    scope.contracts.set(placement.contractId, { role: placement.role, access: placement.access });
    scope.tenantUnitIds.add(placement.unitId);
    scope.tenantBuildingIds.add(placement.buildingId);
    scope.estateIds.add(placement.estateId);
  }
  for (const owned of await listOwnedUnitsOfPerson(db, user.personId)) {
    if (!isCurrent(owned.until, today)) continue;
    scope.ownedUnitIds.add(owned.unitId);
    scope.ownershipIds.add(owned.ownershipId);
    scope.ownerBuildingIds.add(owned.buildingId);
    scope.estateIds.add(owned.estateId);
  }
  return scope;
}

/** 404 for a contract that does not exist or is not theirs: the same answer either way. */
export function assertCanSeeContract(scope: CustomerScope, contractId: string): void {
  if (!scope.contracts.has(contractId)) throw notFound();
}

/** Writes on a contract (requests, data changes) need `full`; a `read` member gets 403. */
export function assertCanActOnContract(scope: CustomerScope, contractId: string): void {
  const right = scope.contracts.get(contractId);
  if (!right) throw notFound();
  if (right.access !== 'full') throw forbidden('read_only', 'Your access to this contract is read-only.');
}

/** True when the person may act (file requests, change data) on at least one contract or owns a unit. */
export function hasWriteRight(scope: CustomerScope): boolean {
  if (scope.ownedUnitIds.size > 0) return true;
  for (const right of scope.contracts.values()) if (right.access === 'full') return true;
  return false;
}

export function allBuildingIds(scope: CustomerScope): string[] {
  return [...new Set([...scope.tenantBuildingIds, ...scope.ownerBuildingIds])];
}
