import { io, type Socket } from 'socket.io-client';
import type {
  ClientToServerEvents,
  LiveEvent,
  LiveEventType,
  ResyncAnswer,
  ServerToClientEvents,
} from '../../shared/api/live.ts';
import type { TicketMessageDto } from '../../shared/api/tickets.ts';

type LiveStatus = 'offline' | 'connecting' | 'online';
type Listener<T extends LiveEventType = LiveEventType> = (event: LiveEvent<T>) => void;
type ErrorAnswer = { error: { code: string; message: string } };

/** A live call that the server refused (`{ error }` ack) or that timed out (`code: 'timeout'`). */
export class LiveError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'LiveError';
    this.code = code;
  }
}

const ackTimeoutMs = 10_000;
const retryDelayMs = 2_000;
/** "Give me where the log stands": the server clamps a cursor beyond its newest event. */
const fromNow = Number.MAX_SAFE_INTEGER;

function isError(answer: unknown): answer is ErrorAnswer {
  return typeof answer === 'object' && answer !== null && 'error' in answer;
}

/**
 * The one live connection of a signed-in tab (API.md "Live"). Delivery is at-least-once and
 * ordered (DESIGN.md): the client keeps the id of the last event it handled and, after every
 * (re)connect, asks `resync { after }` for what it missed, page by page. Events arriving while a
 * resync is running are held back and delivered after it, so listeners always see ids in order,
 * each once. Ephemeral events (typing, presence: id 0) are passed straight through.
 *
 * `generation` increases when continuity is lost (first connect of a page load): pages that
 * loaded over HTTP before the socket was up re-read then, so nothing in between is missed.
 */
class Live {
  status = $state<LiveStatus>('offline');
  generation = $state(0);
  #socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  #listeners = new Map<LiveEventType, Set<Listener>>();
  #cursor: number | null = null;
  #resyncing = false;
  #heldBack: LiveEvent[] = [];

  /** Connects with the session cookie (same origin); call after sign-in, `stop()` on sign-out. */
  start(): void {
    if (this.#socket) return;
    this.status = 'connecting';
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
      path: '/socket.io',
      withCredentials: true,
      transports: ['websocket', 'polling'],
    });
    this.#socket = socket;
    socket.on('connect', () => void this.#resync());
    socket.on('disconnect', (reason) => {
      // The server closes a revoked session's sockets ("io server disconnect"): do not reconnect.
      this.status = reason === 'io server disconnect' ? 'offline' : 'connecting';
    });
    socket.on('connect_error', () => (this.status = 'connecting'));
    socket.on('event', (event) => this.#receive(event));
  }

  stop(): void {
    this.#socket?.disconnect();
    this.#socket = null;
    this.#cursor = null;
    this.#heldBack = [];
    this.status = 'offline';
  }

  /**
   * Listens to one event type, or several; the listener gets the events of exactly those types
   * (a union discriminated by `type`, shared/api/live.ts). Returns the function that stops listening.
   */
  on<T extends LiveEventType>(types: T | readonly T[], listener: Listener<T>): () => void {
    const sets = (Array.isArray(types) ? types : [types]).map((type: T) => {
      let set = this.#listeners.get(type);
      // Plain Set on purpose: listener bookkeeping is not UI state.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      if (!set) this.#listeners.set(type, (set = new Set()));
      // Only events of `type` reach this set (#deliver looks it up by the event's type).
      set.add(listener as Listener);
      return set;
    });
    return () => sets.forEach((set) => set.delete(listener as Listener));
  }

  /** Sends a message over the socket; rejects with LiveError on a refusal or timeout (then retry by HTTP). */
  async sendMessage(request: { ticketId: string; body: string; clientId: string; attachmentIds?: string[] }) {
    const answer = await this.#call('message.send', request);
    return answer as { message: TicketMessageDto };
  }

  /** Fire-and-forget signals; silently dropped while offline (they are worthless later). */
  typing(ticketId: string): void {
    if (this.status === 'online') this.#socket?.emit('typing', { ticketId });
  }
  viewing(ticketId: string): void {
    if (this.status === 'online') this.#socket?.emit('viewing', { ticketId });
  }
  read(ticketId: string, messageId: string): void {
    if (this.status === 'online') this.#socket?.emit('read', { ticketId, messageId });
  }

  async #call(event: 'message.send' | 'resync', request: unknown): Promise<unknown> {
    const socket = this.#socket;
    if (!socket?.connected) throw new LiveError('network_error', 'not connected');
    let answer: unknown;
    try {
      // emitWithAck with a timeout rejects when the server does not answer in time.
      answer = await socket
        .timeout(ackTimeoutMs)
        .emitWithAck(event as 'resync', request as { after: number });
    } catch {
      throw new LiveError('timeout', `${event} was not acknowledged`);
    }
    if (isError(answer)) throw new LiveError(answer.error.code, answer.error.message);
    return answer;
  }

  async #resync(): Promise<void> {
    if (this.#resyncing) return;
    this.#resyncing = true;
    try {
      const fresh = this.#cursor === null;
      let more = true;
      while (more) {
        const page = (await this.#call('resync', { after: this.#cursor ?? fromNow })) as ResyncAnswer;
        for (const event of page.events) this.#deliver(event);
        this.#cursor = Math.max(this.#cursor ?? 0, page.latest);
        more = page.more;
      }
      const held = this.#heldBack;
      this.#heldBack = [];
      for (const event of held) this.#deliver(event);
      this.status = 'online';
      if (fresh) this.generation++;
    } catch {
      // Timed out or refused (e.g. the server restarting): try again shortly while still connected;
      // a lost connection resyncs on its own when it comes back.
      setTimeout(() => {
        if (this.#socket?.connected) void this.#resync();
      }, retryDelayMs);
    } finally {
      this.#resyncing = false;
    }
  }

  #receive(event: LiveEvent): void {
    if (event.id !== 0 && (this.#resyncing || this.#cursor === null)) {
      this.#heldBack.push(event);
      return;
    }
    this.#deliver(event);
  }

  #deliver(event: LiveEvent): void {
    if (event.id !== 0) {
      if (this.#cursor !== null && event.id <= this.#cursor) return; // seen already (at-least-once)
      this.#cursor = event.id;
    }
    for (const listener of this.#listeners.get(event.type) ?? []) {
      try {
        listener(event);
      } catch (error) {
        console.error('live listener failed', error);
      }
    }
  }
}

export const live = new Live();
