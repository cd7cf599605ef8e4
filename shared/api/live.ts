/** The live contract (API.md "Live"): Socket.IO at /socket.io, authenticated by the session cookie. */

export const liveEventTypes = [
  'ticket.created',
  'ticket.updated',
  'message.created',
  'notice.published',
  'notice.updated',
  'notice.deleted',
  'incident.published',
  'incident.updated',
  'document.published',
  'typing',
  'presence',
  'read',
] as const;
export type LiveEventType = (typeof liveEventTypes)[number];

/** Every server → client event. `id` increases strictly per server and is never reused; ephemeral
 * events (typing, presence) carry id 0 and are not replayed by resync. */
export interface LiveEvent<T = Record<string, unknown>> {
  id: number;
  type: LiveEventType;
  data: T;
}

export type Ack<T> = (answer: T | { error: { code: string; message: string } }) => void;

export interface ServerToClientEvents {
  event: (event: LiveEvent) => void;
}

export interface ClientToServerEvents {
  resync: (request: { after: number }, ack: Ack<ResyncAnswer>) => void;
  'message.send': (
    request: { ticketId: string; body: string; clientId: string; attachmentIds?: string[] },
    ack: Ack<{ message: unknown }>,
  ) => void;
  /** Acks are optional for the fire-and-forget events; given one, a refused ticketId answers `{ error }`. */
  typing: (request: { ticketId: string }, ack?: Ack<{ ok: true }>) => void;
  read: (request: { ticketId: string; messageId: string }, ack?: Ack<{ ok: true }>) => void;
  viewing: (request: { ticketId: string }, ack?: Ack<{ ok: true }>) => void;
}

/**
 * Every client → server event name at runtime (the authorization matrix and the fuzz tests walk
 * it). Written as a map over `keyof ClientToServerEvents`, so an event added to the interface
 * without a line here, or a line without an event, is a type error: the list cannot drift.
 */
const clientEvents: { [K in keyof ClientToServerEvents]: true } = {
  resync: true,
  'message.send': true,
  typing: true,
  read: true,
  viewing: true,
};
export const clientEventNames = Object.keys(clientEvents) as (keyof ClientToServerEvents)[];

/** `resync` answers at most this many events; `more: true` asks the client to resync again from `latest`. */
export const resyncPageSize = 500;

export interface ResyncAnswer {
  events: LiveEvent[];
  /** The id to resync from next (the last event scanned, or the newest id when complete). */
  latest: number;
  more: boolean;
}
