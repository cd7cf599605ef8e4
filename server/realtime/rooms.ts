/**
 * Every room name of the live layer, built and parsed here only. Event-log rows carry the room
 * their audience sits in (the projector picks it); sockets join rooms after the handshake
 * (audience.ts). Customers sit in rooms named like the log's rooms; staff in scope rooms, because
 * a team's scope covers tickets that do not exist yet.
 */
export const rooms = {
  /** What a ticket's customers may see (staff in scope see it too). */
  ticket: (ticketId: string) => `ticket:${ticketId}`,
  /** Staff-only news of a ticket (internal notes, assignee and team): never reaches a customer. */
  staffTicket: (ticketId: string) => `staff-ticket:${ticketId}`,
  user: (userId: string) => `user:${userId}`,
  contract: (contractId: string) => `contract:${contractId}`,
  building: (buildingId: string) => `building:${buildingId}`,
  estate: (estateId: string) => `estate:${estateId}`,
  unit: (unitId: string) => `unit:${unitId}`,
  /** Every staff member (staff-wide log rows). */
  staff: () => 'staff',
  /** Staff whose scope is everything. */
  staffScopeAll: () => 'staff-scope:all',
  staffBuilding: (buildingId: string) => `staff-building:${buildingId}`,
  staffEstate: (estateId: string) => `staff-estate:${estateId}`,
  /**
   * Every socket of one login session, on whichever instance it is: logout closes them with
   * `io.in(room).disconnectSockets()`, which the Redis adapter carries to the other instances.
   * Never an event-log room (parseRoom does not know it).
   */
  session: (sessionId: string) => `session:${sessionId}`,
  /** Every socket of one account, staff included (password change, deactivation). Never a log room. */
  account: (userId: string) => `account:${userId}`,
  /**
   * The log's rows of access changes (`access.changed` domain events): the live layer of every
   * instance reads them in id order and moves its own sockets. No socket is ever in this room and
   * no resync reads it (parseRoom does not know it).
   */
  access: () => 'access',
} as const;

/** The type of the log's access rows (rooms.access); their data is `{ userIds }`. */
export const accessChangedType = 'access.changed';

/** The users of an access row of the log, or null for every other row. */
export function accessChangeOf(event: { room: string; type: string; data: unknown }): string[] | null {
  if (event.room !== rooms.access() || event.type !== accessChangedType) return null;
  const userIds = (event.data as { userIds?: unknown }).userIds;
  return Array.isArray(userIds) ? userIds.filter((id): id is string => typeof id === 'string') : [];
}

export type ParsedRoom =
  | { kind: 'ticket' | 'staff-ticket' | 'user' | 'contract' | 'building' | 'estate' | 'unit'; id: string }
  | { kind: 'staff-building' | 'staff-estate'; id: string }
  | { kind: 'staff' | 'staff-scope-all' };

const withId = ['ticket', 'staff-ticket', 'user', 'contract', 'building', 'estate', 'unit'] as const;
const staffPlaces = ['staff-building', 'staff-estate'] as const;

/** The kind and id of a room name; null for anything this module did not build. */
export function parseRoom(room: string): ParsedRoom | null {
  if (room === 'staff') return { kind: 'staff' };
  if (room === 'staff-scope:all') return { kind: 'staff-scope-all' };
  const colon = room.indexOf(':');
  if (colon <= 0 || colon === room.length - 1) return null;
  const prefix = room.slice(0, colon);
  const id = room.slice(colon + 1);
  const plain = withId.find((kind) => kind === prefix);
  if (plain) return { kind: plain, id };
  const place = staffPlaces.find((kind) => kind === prefix);
  return place ? { kind: place, id } : null;
}

/** The ticket a room belongs to (customer or staff room of it), else undefined. */
export function ticketIdOfRoom(room: string): string | undefined {
  const parsed = parseRoom(room);
  return parsed && (parsed.kind === 'ticket' || parsed.kind === 'staff-ticket') ? parsed.id : undefined;
}

/** Log-room prefixes staff read on resync (then filtered by scope, audience.ts). */
export const staffLogRoomPrefixes = [
  rooms.ticket(''),
  rooms.staffTicket(''),
  rooms.building(''),
  rooms.estate(''),
  rooms.staff(),
];
