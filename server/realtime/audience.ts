import {
  latestEventId,
  listEventsAfter,
  listEventsAfterWithRoomPrefixes,
  type StoredEvent,
} from '../../db/repositories/events.ts';
import {
  listTicketIdsOfCustomer,
  listTicketPlacements,
  type StaffScopeFilter,
} from '../../db/repositories/tickets.ts';
import type { LiveEvent, ResyncAnswer } from '../../shared/api/live.ts';
import { resyncPageSize } from '../../shared/api/live.ts';
import type { Deps } from '../deps.ts';
import type { TicketPlacement } from '../events/bus.ts';
import type { SessionUser } from '../lib/context.ts';
import { allBuildingIds, loadCustomerScope } from '../services/access.ts';
import { isStaffUser, loadStaffScope, staffScopeCovers } from '../services/tickets/index.ts';
import { parseRoom, rooms, staffLogRoomPrefixes, ticketIdOfRoom } from './rooms.ts';

/**
 * Who hears what. Customers are in Socket.IO rooms named like the event log's rooms (`user:`,
 * `contract:`, `ticket:`, `building:`, `estate:`, `unit:`); staff are in scope rooms instead
 * (`staff-scope:all`, `staff-building:<id>`, `staff-estate:<id>`), because a team's scope covers
 * tickets that do not exist yet.
 */
export async function customerRooms(deps: Deps, user: SessionUser): Promise<string[]> {
  const scope = await loadCustomerScope(deps, user);
  const contractIds = [...scope.contracts.keys()];
  return [
    rooms.user(user.id),
    ...contractIds.map(rooms.contract),
    ...(await listTicketIdsOfCustomer(deps.db, user.id, contractIds)).map(rooms.ticket),
    ...allBuildingIds(scope).map(rooms.building),
    ...[...scope.estateIds].map(rooms.estate),
    ...[...scope.tenantUnitIds, ...scope.ownedUnitIds].map(rooms.unit),
  ];
}

export function staffScopeRooms(scope: StaffScopeFilter): string[] {
  if (scope.buildingIds === null || scope.estateIds === null) return [rooms.staff(), rooms.staffScopeAll()];
  return [
    rooms.staff(),
    ...scope.buildingIds.map(rooms.staffBuilding),
    ...scope.estateIds.map(rooms.staffEstate),
  ];
}

/** The staff rooms that cover a ticket's place. */
export function staffRoomsFor(place: Pick<TicketPlacement, 'buildingId' | 'estateId'>): string[] {
  return [
    rooms.staffScopeAll(),
    ...(place.buildingId ? [rooms.staffBuilding(place.buildingId)] : []),
    ...(place.estateId ? [rooms.staffEstate(place.estateId)] : []),
  ];
}

export const roomsOf = async (deps: Deps, user: SessionUser): Promise<string[]> =>
  isStaffUser(user) ? staffScopeRooms(await loadStaffScope(deps.db, user)) : await customerRooms(deps, user);

/**
 * A stored row as the wire event. The projector wrote the row's data as exactly the shape of its
 * type (server/events/projector.ts `append`), so this is the one place a row is read as typed.
 */
export const toWire = (event: StoredEvent): LiveEvent => event as unknown as LiveEvent;

/**
 * The customer view of a ticket change: staff get the same change as its staff view (a
 * `staff-ticket:` row written with it), so they skip this one, live and on resync.
 */
export const customerViewOnly = (event: StoredEvent): boolean =>
  event.type === 'ticket.updated' && parseRoom(event.room)?.kind === 'ticket';

/** Staff see ticket, building and estate events filtered by scope (one placement query per page). */
async function staffCanSeeEvents(
  deps: Deps,
  scope: StaffScopeFilter,
  all: StoredEvent[],
): Promise<StoredEvent[]> {
  const page = all.filter((event) => !customerViewOnly(event));
  if (scope.buildingIds === null || scope.estateIds === null) return page;
  const ticketIds = [...new Set(page.flatMap((event) => ticketIdOfRoom(event.room) ?? []))];
  const places = new Map((await listTicketPlacements(deps.db, ticketIds)).map((place) => [place.id, place]));
  return page.filter((event) => {
    const room = parseRoom(event.room);
    if (room?.kind === 'ticket' || room?.kind === 'staff-ticket') {
      const place = places.get(room.id);
      return place !== undefined && staffScopeCovers(scope, place);
    }
    if (room?.kind === 'building') return scope.buildingIds!.includes(room.id);
    if (room?.kind === 'estate') return scope.estateIds!.includes(room.id);
    return room?.kind === 'staff';
  });
}

/**
 * `resync { after }` (API.md "Live"): every event after `after` the user may see NOW, in order,
 * at most one page. Visibility is recomputed per call, so a ticket seen only since the last
 * connect (a household member filed it) is included, and a revoked contract drops out.
 */
export async function resyncFor(deps: Deps, user: SessionUser, after: number): Promise<ResyncAnswer> {
  // A cursor beyond the log (a client's first connect asks with Number.MAX_SAFE_INTEGER, or the
  // database was restored from an older backup) gets nothing to replay and the current position.
  const newest = await latestEventId(deps.db);
  if (after >= newest) return { events: [], latest: newest, more: false };
  const staff = isStaffUser(user);
  const scanned = staff
    ? await listEventsAfterWithRoomPrefixes(deps.db, staffLogRoomPrefixes, after, resyncPageSize + 1)
    : await listEventsAfter(deps.db, await customerRooms(deps, user), after, resyncPageSize + 1);
  const more = scanned.length > resyncPageSize;
  const page = more ? scanned.slice(0, resyncPageSize) : scanned;
  const visible = staff ? await staffCanSeeEvents(deps, await loadStaffScope(deps.db, user), page) : page;
  const latest = more ? page.at(-1)!.id : newest;
  return { events: visible.map(toWire), latest, more };
}
