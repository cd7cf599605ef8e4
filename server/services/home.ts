import {
  countOpenTicketsCreatedBy,
  listNewestCurrentNotices,
  sumRentAccountBalances,
  summariseUnpaidInvoices,
} from '../../db/repositories/household.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import type { BalanceState, HomeBalanceDto, HomeResponse } from '../../shared/api/home.ts';
import { allBuildingIds, loadCustomerScope } from './access.ts';
import { countUnreadDocuments } from './documents.ts';

const noticesOnHome = 3;

const stateOf = (amount: number): BalanceState => (amount > 0 ? 'due' : amount < 0 ? 'credit' : 'settled');

/**
 * The start page (issue 3 item 10). A fixed number of queries whatever the number of contracts,
 * invoices or notices: scope (2), balances, invoices, tickets, documents (2), notices.
 */
export function getHome(deps: Pick<Deps, 'db' | 'config' | 'now'>, user: SessionUser): HomeResponse {
  const now = deps.now();
  const scope = loadCustomerScope(deps, user);
  const contractIds = [...scope.contracts.keys()];
  const balances: HomeBalanceDto[] = sumRentAccountBalances(deps.db, contractIds).map((row) => ({
    amount: row.amount,
    currency: row.currency,
    state: stateOf(row.amount),
  }));
  return {
    balance: balances[0] ?? null,
    balances,
    unpaidInvoices: summariseUnpaidInvoices(deps.db, contractIds),
    openRequests: countOpenTicketsCreatedBy(deps.db, user.id),
    newDocuments: countUnreadDocuments(deps.db, scope, user.id, now),
    notices: listNewestCurrentNotices(
      deps.db,
      {
        buildingIds: allBuildingIds(scope),
        estateIds: [...scope.estateIds],
        unitIds: [...scope.tenantUnitIds, ...scope.ownedUnitIds],
      },
      now,
      noticesOnHome,
    ).map((notice) => ({ ...notice, publishAt: notice.publishAt.toISOString() })),
  };
}
