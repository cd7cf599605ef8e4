import type { StoredEvent } from '../../db/repositories/events.ts';
import type { Deps } from '../deps.ts';
import type { TicketSignalData } from '../../shared/api/live.ts';

/** Where a ticket lies: the live layer picks staff audiences (team scopes) from it. */
export interface TicketPlacement {
  ticketId: string;
  buildingId: string | null;
  estateId: string | null;
  contractId: string | null;
  createdByUserId: string;
}

/**
 * The in-process bus between the write side and the live layer (STYLE.md 8, immich `@OnEvent`).
 * Stored changes are published only AFTER their transaction committed (DESIGN.md "Nothing is sent
 * before it is stored"), by the unit of work; the realtime layer subscribes. Handlers run synchronously and must not throw into the publisher.
 */
export interface DomainEvents {
  /**
   * Event-log rows just committed, in id order, with where their tickets lie. Published by the unit
   * of work only (server/unit-of-work), after COMMIT; the ERP import's worker publishes its own.
   */
  'log.committed': { events: StoredEvent[]; tickets?: TicketPlacement[] };
  /** Ephemeral, never stored: typing and presence (id 0, API.md "Live"). */
  'ticket.ephemeral': {
    ticket: TicketPlacement;
    type: 'typing' | 'presence';
    data: TicketSignalData;
    /** The sending socket's session: it does not get its own typing back. */
    fromSessionId: string | null;
  };
  /** Logout: that session's sockets close. */
  'session.revoked': { sessionId: string };
  /** Password change or reset: every other session of the user ends (DESIGN.md "Passwords"). */
  'user.sessions.revoked': { userId: string; exceptSessionId?: string };
}

type Handler<K extends keyof DomainEvents> = (payload: DomainEvents[K]) => void;

export class DomainBus {
  private readonly handlers = new Map<keyof DomainEvents, Set<Handler<never>>>();

  on<K extends keyof DomainEvents>(name: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(name);
    if (!set) this.handlers.set(name, (set = new Set()));
    set.add(handler);
    return () => set.delete(handler);
  }

  publish<K extends keyof DomainEvents>(name: K, payload: DomainEvents[K]): void {
    for (const handler of this.handlers.get(name) ?? []) {
      try {
        (handler as Handler<K>)(payload);
      } catch (error) {
        // The change is committed already; a failing subscriber must not turn it into an error.
        // Clients recover what they missed through `resync` (at-least-once delivery).
        console.error('domain bus handler failed', name, error);
      }
    }
  }
}

/** The deployment's bus (one per Deps: one per server, one per test server). */
export function busOf(deps: Pick<Deps, 'bus'>): DomainBus {
  return deps.bus;
}
