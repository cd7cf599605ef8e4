import { and, asc, desc, eq, gt, inArray, isNull, lte, ne, or, sql, count, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import {
  contractParties,
  contracts,
  invoices,
  ledgerEntries,
  notices,
  noticeUnits,
  persons,
  registrationCodes,
  tickets,
  users,
} from '../schema/index.ts';

export type HouseholdAccess = 'full' | 'read';

/** Everyone on a contract with their person and whether they have a login: one query (seed 003). */
export function listHouseholdOfContract(db: DbOrTx, contractId: string) {
  return db
    .select({
      personId: contractParties.personId,
      role: contractParties.role,
      access: contractParties.access,
      until: contractParties.until,
      person: persons,
      userId: users.id,
    })
    .from(contractParties)
    .innerJoin(persons, eq(persons.id, contractParties.personId))
    .leftJoin(users, eq(users.personId, contractParties.personId))
    .where(eq(contractParties.contractId, contractId))
    .orderBy(asc(contractParties.role), asc(persons.lastName), asc(persons.firstName))
    .all();
}

/** Household invitations on a contract not yet used, revoked or expired, newest first. */
export function listOpenHouseholdInvitations(db: DbOrTx, contractId: string, now: Date) {
  return db
    .select({ personId: registrationCodes.personId, createdAt: registrationCodes.createdAt })
    .from(registrationCodes)
    .where(
      and(
        eq(registrationCodes.contractId, contractId),
        eq(registrationCodes.purpose, 'household_invitation'),
        isNull(registrationCodes.usedAt),
        isNull(registrationCodes.revokedAt),
        or(isNull(registrationCodes.expiresAt), gt(registrationCodes.expiresAt, now)),
      ),
    )
    .orderBy(desc(registrationCodes.createdAt))
    .all();
}

export function updateHouseholdAccess(
  db: DbOrTx,
  contractId: string,
  personId: string,
  access: HouseholdAccess,
): number {
  return db
    .update(contractParties)
    .set({ access })
    .where(and(eq(contractParties.contractId, contractId), eq(contractParties.personId, personId)))
    .run().changes;
}

// ---- The home page's summary (issue 3 item 10): one aggregate query per figure, whatever the list sizes.

/** Rent account balance per currency over the contracts (ledger sum, positive = owed). */
export function sumRentAccountBalances(db: DbOrTx, contractIds: string[]) {
  if (contractIds.length === 0) return [];
  return db
    .select({
      currency: contracts.currency,
      amount: sql<number>`coalesce(sum(${ledgerEntries.amount}), 0)`,
    })
    .from(contracts)
    .leftJoin(ledgerEntries, eq(ledgerEntries.contractId, contracts.id))
    .where(inArray(contracts.id, contractIds))
    .groupBy(contracts.currency)
    .orderBy(asc(contracts.currency))
    .all();
}

/** Open invoices per currency: how many and the amount still open (a part payment lowers it). */
export function summariseUnpaidInvoices(db: DbOrTx, contractIds: string[]) {
  if (contractIds.length === 0) return [];
  return db
    .select({
      currency: invoices.currency,
      count: count(),
      total: sql<number>`coalesce(sum(${invoices.amount} - coalesce(${invoices.paidAmount}, 0)), 0)`,
    })
    .from(invoices)
    .where(and(inArray(invoices.contractId, contractIds), isNull(invoices.paidAt)))
    .groupBy(invoices.currency)
    .orderBy(asc(invoices.currency))
    .all();
}

/** "My requests" still open: every status but `closed`. */
export function countOpenTicketsCreatedBy(db: DbOrTx, userId: string): number {
  return (
    db
      .select({ open: count() })
      .from(tickets)
      .where(and(eq(tickets.createdByUserId, userId), ne(tickets.status, 'closed')))
      .get()?.open ?? 0
  );
}

export interface NoticeAudience {
  buildingIds: string[];
  estateIds: string[];
  unitIds: string[];
}

/** The newest current notices for the customer's houses, estates and units; pinned first. */
export function listNewestCurrentNotices(db: DbOrTx, audience: NoticeAudience, now: Date, limit: number) {
  const branches: SQL[] = [];
  if (audience.buildingIds.length > 0)
    branches.push(and(eq(notices.scope, 'building'), inArray(notices.buildingId, audience.buildingIds))!);
  if (audience.estateIds.length > 0)
    branches.push(and(eq(notices.scope, 'estate'), inArray(notices.estateId, audience.estateIds))!);
  if (audience.unitIds.length > 0)
    branches.push(
      and(
        eq(notices.scope, 'units'),
        inArray(
          notices.id,
          db
            .select({ id: noticeUnits.noticeId })
            .from(noticeUnits)
            .where(inArray(noticeUnits.unitId, audience.unitIds)),
        ),
      )!,
    );
  if (branches.length === 0) return [];
  return db
    .select({
      id: notices.id,
      title: notices.title,
      category: notices.category,
      pinned: notices.pinned,
      important: notices.important,
      publishAt: notices.publishAt,
    })
    .from(notices)
    .where(
      and(
        or(...branches),
        isNull(notices.deletedAt),
        lte(notices.publishAt, now),
        or(isNull(notices.validFrom), lte(notices.validFrom, now)),
        or(isNull(notices.validTo), gt(notices.validTo, now)),
      ),
    )
    .orderBy(desc(notices.pinned), desc(notices.publishAt))
    .limit(limit)
    .all();
}
