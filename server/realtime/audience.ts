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
import type { LiveEvent, LiveEventType, ResyncAnswer } from '../../shared/api/live.ts';
import { resyncPageSize } from '../../shared/api/live.ts';
import type { Deps } from '../deps.ts';
import type { TicketPlacement } from '../events/bus.ts';
import type { SessionUser } from '../lib/context.ts';
import { allBuildingIds, loadCustomerScope } from '../services/access.ts';
import { isStaffUser, loadStaffScope, staffScopeCovers } from '../services/tickets/index.ts';

/**
 * Who hears what. Customers are in Socket.IO rooms named like the event log's rooms (`user:`,
 * `contract:`, `ticket:`, `building:`, `estate:`, `unit:`); staff are in scope rooms instead
 * (`staff-scope:all`, `staff-building:<id>`, `staff-estate:<id>`), because a team's scope covers
 * tickets that do not exist yet.
 */
export function customerRooms(deps: Deps, user: SessionUser): string[] {
  const scope = loadCustomerScope(deps, user);
  const contractIds = [...scope.contracts.keys()];
  return [
    `user:${user.id}`,
    ...contractIds.map((id) => `contract:${id}`),
    ...listTicketIdsOfCustomer(deps.db, user.id, contractIds).map((id) => `ticket:${id}`),
    ...allBuildingIds(scope).map((id) => `building:${id}`),
    ...[...scope.estateIds].map((id) => `estate:${id}`),
    ...[...scope.tenantUnitIds, ...scope.ownedUnitIds].map((id) => `unit:${id}`),
  ];
}

export function staffScopeRooms(scope: StaffScopeFilter): string[] {
  if (scope.buildingIds === null || scope.estateIds === null) return ['staff', 'staff-scope:all'];
  return [
    'staff',
    ...scope.buildingIds.map((id) => `staff-building:${id}`),
    ...scope.estateIds.map((id) => `staff-estate:${id}`),
  ];
}

/** The staff rooms that cover a ticket's place. */
export function staffRoomsFor(place: Pick<TicketPlacement, 'buildingId' | 'estateId'>): string[] {
  return [
    'staff-scope:all',
    ...(place.buildingId ? [`staff-building:${place.buildingId}`] : []),
    ...(place.estateId ? [`staff-estate:${place.estateId}`] : []),
  ];
}

export const roomsOf = (deps: Deps, user: SessionUser): string[] =>
  isStaffUser(user) ? staffScopeRooms(loadStaffScope(deps.db, user)) : customerRooms(deps, user);

export const toWire = (event: StoredEvent): LiveEvent => ({
  id: event.id,
  type: event.type as LiveEventType,
  data: event.data,
});

const ticketIdOfRoom = (room: string) => /^(?:staff-)?ticket:(.+)$/.exec(room)?.[1];

/** Staff see ticket, building and estate events filtered by scope (one placement query per page). */
function staffCanSeeEvents(deps: Deps, scope: StaffScopeFilter, page: StoredEvent[]): StoredEvent[] {
  if (scope.buildingIds === null || scope.estateIds === null) return page;
  const ticketIds = [...new Set(page.flatMap((event) => ticketIdOfRoom(event.room) ?? []))];
  const places = new Map(listTicketPlacements(deps.db, ticketIds).map((place) => [place.id, place]));
  return page.filter((event) => {
    const ticketId = ticketIdOfRoom(event.room);
    if (ticketId) {
      const place = places.get(ticketId);
      return place !== undefined && staffScopeCovers(scope, place);
    }
    const [kind, id] = event.room.split(':');
    if (kind === 'building') return scope.buildingIds!.includes(id!);
    if (kind === 'estate') return scope.estateIds!.includes(id!);
    return event.room === 'staff';
  });
}

/**
 * `resync { after }` (API.md "Live"): every event after `after` the user may see NOW, in order,
 * at most one page. Visibility is recomputed per call, so a ticket seen only since the last
 * connect (a household member filed it) is included, and a revoked contract drops out.
 */
export function resyncFor(deps: Deps, user: SessionUser, after: number): ResyncAnswer {
  // A cursor beyond the log (a client's first connect asks with Number.MAX_SAFE_INTEGER, or the
  // database was restored from an older backup) gets nothing to replay and the current position.
  const newest = latestEventId(deps.db);
  if (after >= newest) return { events: [], latest: newest, more: false };
  const staff = isStaffUser(user);
  const scanned = staff
    ? listEventsAfterWithRoomPrefixes(
        deps.db,
        ['ticket:', 'staff-ticket:', 'building:', 'estate:', 'staff'],
        after,
        resyncPageSize + 1,
      )
    : listEventsAfter(deps.db, customerRooms(deps, user), after, resyncPageSize + 1);
  const more = scanned.length > resyncPageSize;
  const page = more ? scanned.slice(0, resyncPageSize) : scanned;
  const visible = staff ? staffCanSeeEvents(deps, loadStaffScope(deps.db, user), page) : page;
  const latest = more ? page.at(-1)!.id : newest;
  return { events: visible.map(toWire), latest, more };
}
