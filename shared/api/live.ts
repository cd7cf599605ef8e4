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
  resync: (request: { after: number }, ack: Ack<{ events: LiveEvent[]; latest: number }>) => void;
  'message.send': (
    request: { ticketId: string; body: string; clientId: string; attachmentIds?: string[] },
    ack: Ack<{ message: unknown }>,
  ) => void;
  typing: (request: { ticketId: string }) => void;
  read: (request: { ticketId: string; messageId: string }) => void;
  viewing: (request: { ticketId: string }) => void;
}
