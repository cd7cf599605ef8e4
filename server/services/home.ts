import { inReadSnapshot } from '../../db/prepared.ts';
import { sumRentAccountBalances } from '../../db/repositories/ledger.ts';
import { summariseUnpaidInvoices } from '../../db/repositories/invoices.ts';
import { countOpenTicketsOfCustomer } from '../../db/repositories/tickets.ts';
import { listCurrentNoticesForPlaces } from '../../db/repositories/notices.ts';
import { noticePlacesOf } from './notices/tenant.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import type { BalanceState, HomeBalanceDto, HomeResponse } from '../../shared/api/home.ts';
import { loadCustomerScope } from './access.ts';
import { countUnreadDocuments } from './documents/tenant.ts';
import { appBadgeOf } from '../notify/badge.ts';

const noticesOnHome = 3;

const stateOf = (amount: number): BalanceState => (amount > 0 ? 'due' : amount < 0 ? 'credit' : 'settled');

/**
 * The start page (issue 3 item 10). A fixed number of queries whatever the number of contracts,
 * invoices or notices: scope (2), balances, invoices, tickets, documents (2), notices, badge.
 */
export async function getHome(
  deps: Pick<Deps, 'db' | 'config' | 'now'>,
  user: SessionUser,
): Promise<HomeResponse> {
  return await inReadSnapshot(deps.db, async () => {
    const now = deps.now();
    const scope = await loadCustomerScope(deps, user);
    const contractIds = [...scope.contracts.keys()];
    const balances: HomeBalanceDto[] = (await sumRentAccountBalances(deps.db, contractIds)).map((row) => ({
      amount: row.amount,
      currency: row.currency,
      state: stateOf(row.amount),
    }));
    return {
      balance: balances[0] ?? null,
      balances,
      unpaidInvoices: await summariseUnpaidInvoices(deps.db, contractIds),
      // The requests list's own rule (filed by them or on their contracts, not merged), not closed.
      openRequests: await countOpenTicketsOfCustomer(deps.db, user.id, contractIds),
      newDocuments: await countUnreadDocuments(deps.db, scope, user.id, now),
      // The same rule as the notice board (GET /notices), just the first few.
      notices: (await listCurrentNoticesForPlaces(deps.db, noticePlacesOf(scope), now, noticesOnHome)).map(
        (notice) => ({
          id: notice.id,
          title: notice.title,
          category: notice.category,
          pinned: notice.pinned,
          important: notice.important,
          publishAt: notice.publishAt.toISOString(),
        }),
      ),
      // The page sets the icon badge to this, so reading something lowers it (issue 6 item 3).
      appBadge: (await appBadgeOf(deps, user.id)) ?? 0,
    };
  });
}
