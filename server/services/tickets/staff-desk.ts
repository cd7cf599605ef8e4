import { listActiveTicketTypes, type TicketWithEstate } from '../../../db/repositories/tickets.ts';
import { listScopeBuildings, listTeamsByName } from '../../../db/repositories/staff-inbox.ts';
import { listStaffAccounts } from '../../../db/repositories/staff.ts';
import {
  countSavedViewsOfUser,
  deleteSavedViewOfUser,
  insertSavedView,
  listSavedViewsOfUser,
  type SavedView,
} from '../../../db/repositories/staff-views.ts';
import { findMessageByClientId } from '../../../db/repositories/ticket-messages.ts';
import {
  savedViewQuery,
  type BulkTicketsRequest,
  type BulkTicketsResponse,
  type InboxFacetsDto,
  type SavedViewCreate,
  type SavedViewDto,
  type TicketMacroRequest,
  type TicketMacroResponse,
} from '../../../shared/api/staff.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { conflict, notFound } from '../../domain/errors.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import { toMessageDto, toStaffTicketDto } from './dto.ts';
import { existingFor, writeMessage } from './messages.ts';
import { applyStaffPatch, assertAssignable } from './staff.ts';
import { loadInboxScope, personName } from './staff-inbox.ts';
import { isStaffUser, loadVisibleTicket } from './visibility.ts';

/**
 * `POST /staff/tickets/bulk` (issue 15 item 2): one change for many tickets, all or nothing.
 * Every id is checked first; one that is missing or outside the caller's scope answers 404 like
 * a single ticket's would, and nothing is changed. Scope, assignee and the rows the patch acts on
 * are read inside the unit of work: a change committed in between is neither overwritten nor
 * acted on out of scope.
 */
export async function bulkChangeTickets(
  deps: Deps,
  actor: SessionUser,
  request: BulkTicketsRequest,
): Promise<BulkTicketsResponse> {
  if (!isStaffUser(actor)) throw notFound();
  const { ids, ...patch } = request;
  const now = deps.now();
  const changed = await unitOfWork(deps, async (uow) => {
    const loaded: TicketWithEstate[] = [];
    for (const id of new Set(ids)) loaded.push((await loadVisibleTicket(deps, actor, id, uow.tx)).ticket);
    for (const ticket of loaded) await assertAssignable(deps, ticket, patch.assigneeId, uow.tx);
    const done = [];
    for (const ticket of loaded) done.push(await applyStaffPatch(uow, deps, actor, ticket, patch, now));
    return done;
  });
  return { tickets: changed.map((ticket) => toStaffTicketDto(ticket, actor.language)) };
}

/**
 * `POST /staff/tickets/:id/macro` (issue 15 item 4): status, assignment and priority, then the
 * reply, in one transaction. A retried request (same message clientId) changes nothing again.
 */
export async function runMacro(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  macro: TicketMacroRequest,
): Promise<TicketMacroResponse> {
  if (!isStaffUser(actor)) throw notFound();
  const { message, ...change } = macro;
  const now = deps.now();
  // Scope, assignee and the retry are read inside the unit: what they answer is what it acts on.
  const result = await unitOfWork(deps, async (uow) => {
    const { ticket } = await loadVisibleTicket(deps, actor, ticketId, uow.tx);
    await assertAssignable(deps, ticket, change.assigneeId, uow.tx);
    const retried = message && (await findMessageByClientId(uow.tx, actor.id, message.clientId));
    if (retried) return { ticket, message: existingFor(retried, ticketId, actor.role).message };
    const changed = await applyStaffPatch(uow, deps, actor, ticket, change, now);
    const written = message ? await writeMessage(uow, deps, actor, changed, true, message, now) : null;
    return { ticket: changed, message: written && toMessageDto(written, actor.role) };
  });
  return { ticket: toStaffTicketDto(result.ticket, actor.language), message: result.message };
}

/** The filter choices of the caller's inbox: buildings in scope, active types, teams, staff. */
export async function inboxFacets(deps: Deps, actor: SessionUser): Promise<InboxFacetsDto> {
  if (!isStaffUser(actor)) throw notFound();
  const scope = await loadInboxScope(deps.db, actor, deps.now());
  return {
    buildings: (await listScopeBuildings(deps.db, scope.buildingIds)).map((building) => ({
      id: building.id,
      label: `${building.street} ${building.houseNumber}, ${building.city}`,
    })),
    types: (await listActiveTicketTypes(deps.db)).map((type) => type.id),
    teams: await listTeamsByName(deps.db),
    staff: (await listStaffAccounts(deps.db)).map((account) => ({
      id: account.id,
      name: personName(account.firstName, account.lastName) ?? account.loginEmail,
      role: account.role === 'admin' ? 'admin' : 'staff',
    })),
  };
}

/** A saved view is a few dozen bytes: a generous cap keeps one account from filling the table. */
const savedViewLimit = 50;

function toSavedViewDto(view: SavedView): SavedViewDto {
  // Stored by this code through the same schema; parsed again so a changed schema drops, not breaks.
  const parsed = savedViewQuery.safeParse(view.query);
  return {
    id: view.id,
    name: view.name,
    query: parsed.success ? parsed.data : {},
    createdAt: view.createdAt.toISOString(),
  };
}

export async function listSavedViews(deps: Deps, actor: SessionUser): Promise<SavedViewDto[]> {
  if (!isStaffUser(actor)) throw notFound();
  return (await listSavedViewsOfUser(deps.db, actor.id)).map(toSavedViewDto);
}

export async function createSavedView(
  deps: Deps,
  actor: SessionUser,
  input: SavedViewCreate,
): Promise<SavedViewDto> {
  if (!isStaffUser(actor)) throw notFound();
  if ((await countSavedViewsOfUser(deps.db, actor.id)) >= savedViewLimit)
    throw conflict('too_many_views', `At most ${savedViewLimit} saved views per person.`);
  const query = Object.fromEntries(
    Object.entries(input.query).filter(([, value]) => value !== undefined && value !== ''),
  ) as Record<string, string>;
  return toSavedViewDto(
    await insertSavedView(deps.db, { userId: actor.id, name: input.name, query, createdAt: deps.now() }),
  );
}

/** Someone else's view answers 404, as a missing one does. */
export async function deleteSavedView(deps: Deps, actor: SessionUser, viewId: string): Promise<void> {
  if (!isStaffUser(actor) || !(await deleteSavedViewOfUser(deps.db, actor.id, viewId))) throw notFound();
}
