import { listTeamScopesOfUser } from '../../../db/repositories/staff.ts';
import {
  findTicketWithEstate,
  type StaffScopeFilter,
  type Ticket,
  type TicketWithEstate,
} from '../../../db/repositories/tickets.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { forbidden, notFound } from '../../lib/http-error.ts';
import { loadCustomerScope, type CustomerScope } from '../access.ts';

export const isStaffUser = (user: Pick<SessionUser, 'role'>) =>
  user.role === 'staff' || user.role === 'admin';

/**
 * What staff may see (DESIGN.md "staff only their scope"): the union of their teams' scopes.
 * Admins see everything; staff without a team see nothing.
 */
export async function loadStaffScope(db: DbOrTx, user: SessionUser): Promise<StaffScopeFilter> {
  if (user.role === 'admin') return { buildingIds: null, estateIds: null };
  const scopes = await listTeamScopesOfUser(db, user.id);
  if (scopes.some((scope) => scope.kind === 'all')) return { buildingIds: null, estateIds: null };
  return {
    buildingIds: scopes.flatMap((scope) =>
      scope.kind === 'building' && scope.buildingId ? [scope.buildingId] : [],
    ),
    estateIds: scopes.flatMap((scope) => (scope.kind === 'estate' && scope.estateId ? [scope.estateId] : [])),
  };
}

export function staffScopeCovers(
  scope: StaffScopeFilter,
  place: { buildingId: string | null; estateId: string | null },
): boolean {
  if (scope.buildingIds === null || scope.estateIds === null) return true;
  return (
    (place.buildingId !== null && scope.buildingIds.includes(place.buildingId)) ||
    (place.estateId !== null && scope.estateIds.includes(place.estateId))
  );
}

/** A customer sees the tickets they filed and every ticket on their current contracts (household). */
export function customerCanSee(scope: CustomerScope, ticket: Ticket): boolean {
  return (
    ticket.createdByUserId === scope.userId ||
    (ticket.contractId !== null && scope.contracts.has(ticket.contractId))
  );
}

/** Whether `assertCustomerCanWrite` lets this customer reply, rate or reopen: the page offers only that. */
export function customerCanWrite(scope: CustomerScope, ticket: Ticket): boolean {
  const right = ticket.contractId ? scope.contracts.get(ticket.contractId) : undefined;
  return right ? right.access === 'full' : ticket.createdByUserId === scope.userId;
}

/** `read` household members see but may not write (seed 003): 403 `read_only`. */
export function assertCustomerCanWrite(scope: CustomerScope, ticket: Ticket): void {
  const right = ticket.contractId ? scope.contracts.get(ticket.contractId) : undefined;
  if (right && right.access !== 'full')
    throw forbidden('read_only', 'Your access to this contract is read-only.');
  if (!right && ticket.createdByUserId !== scope.userId) throw notFound();
}

export interface TicketAccess {
  ticket: TicketWithEstate;
  staff: boolean;
  /** Null for staff. */
  customerScope: CustomerScope | null;
}

/**
 * The ticket if `user` may see it, else the same 404 as for a missing id (API.md "404 not found
 * or not yours"). One place for HTTP routes and socket events alike. `db` is the unit of work's
 * transaction when the answer decides a change: what is checked is what the change acts on.
 */
export async function loadVisibleTicket(
  deps: Deps,
  user: SessionUser,
  ticketId: string,
  db: DbOrTx = deps.db,
): Promise<TicketAccess> {
  const ticket = await findTicketWithEstate(db, ticketId);
  if (!ticket) throw notFound();
  if (isStaffUser(user)) {
    if (!staffScopeCovers(await loadStaffScope(db, user), ticket)) throw notFound();
    return { ticket, staff: true, customerScope: null };
  }
  const customerScope = await loadCustomerScope({ ...deps, db }, user);
  if (!customerCanSee(customerScope, ticket)) throw notFound();
  return { ticket, staff: false, customerScope };
}

/** Like loadVisibleTicket, plus the write right for customers. */
export async function loadWritableTicket(
  deps: Deps,
  user: SessionUser,
  ticketId: string,
  db: DbOrTx = deps.db,
): Promise<TicketAccess> {
  const access = await loadVisibleTicket(deps, user, ticketId, db);
  if (access.customerScope) assertCustomerCanWrite(access.customerScope, access.ticket);
  return access;
}
