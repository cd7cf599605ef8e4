import { QUEUE_SYNC_TAG } from '../../../service-worker/common/protocol.ts';
import {
  flushQueued,
  listQueued,
  putQueued,
  removeQueued,
  type QueuedMessage,
  type QueuedPhoto,
  type QueuedRequest,
  type QueuedTicket,
} from '../../../service-worker/common/queue-store.ts';

export interface TicketDraft {
  clientId: string;
  type: string;
  fields: Record<string, unknown>;
  title?: string;
  description: string;
  contractId?: string;
  photos?: { blob: Blob; name: string }[];
}

export interface MessageDraft {
  clientId: string;
  ticketId: string;
  body: string;
  photos?: { blob: Blob; name: string }[];
}

type SentListener = (entry: QueuedRequest, response: unknown) => void;

/** See queue.ts for the documented API; this is its reactive state. */
class OfflineQueue {
  /** The signed-in user's entries not yet accepted by the server, oldest first (incl. refused ones). */
  pending = $state<QueuedRequest[]>([]);
  #userId: string | null = null;
  #listeners = new Set<SentListener>();
  #started = false;

  /** Called by the app shell whenever the signed-in user changes (null: signed out). */
  setUser(userId: string | null): void {
    if (userId === this.#userId) return;
    this.#userId = userId;
    this.pending = [];
    if (userId) void this.flush();
  }

  /** Sends the queue when the connection returns (the online event; Background Sync covers closed tabs). */
  start(): void {
    if (this.#started || typeof window === 'undefined') return;
    this.#started = true;
    window.addEventListener('online', () => void this.flush());
  }

  onSent(listener: SentListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async queueTicket(draft: TicketDraft): Promise<QueuedTicket> {
    const { clientId, photos, ...request } = draft;
    return this.#add({ kind: 'ticket', clientId, request, ...this.#base(photos) });
  }

  async queueMessage(draft: MessageDraft): Promise<QueuedMessage> {
    const { clientId, ticketId, body, photos } = draft;
    return this.#add({ kind: 'message', clientId, ticketId, request: { body }, ...this.#base(photos) });
  }

  /** Drops an entry (e.g. a refused one the user read about, or one they no longer want sent). */
  async discard(clientId: string): Promise<void> {
    await removeQueued(clientId);
    await this.reload();
  }

  async reload(): Promise<void> {
    const userId = this.#userId;
    const entries = userId ? await listQueued(userId) : [];
    if (userId === this.#userId) this.pending = entries;
  }

  /** Sends what can be sent now; resolves when done or stopped by the network. Safe to call any time. */
  async flush(): Promise<void> {
    const userId = this.#userId;
    if (!userId) return;
    await flushQueued(userId, (entry, response) => {
      for (const listener of this.#listeners) listener(entry, response);
    }).catch(() => undefined); // storage unavailable: the entries stay where they are
    await this.reload();
  }

  #base(photos: { blob: Blob; name: string }[] = []) {
    if (!this.#userId) throw new Error('offline queue: nobody is signed in');
    const queued: QueuedPhoto[] = photos.map(({ blob, name }) => ({ blob, name }));
    return { userId: this.#userId, createdAt: new Date().toISOString(), photos: queued };
  }

  async #add<T extends QueuedRequest>(entry: T): Promise<T> {
    await putQueued(entry);
    await this.reload();
    await registerBackgroundSync();
    if (navigator.onLine) void this.flush();
    return entry;
  }
}

/** Chromium's Background Sync: the worker sends the queue when the connection returns, tab open or not. */
async function registerBackgroundSync(): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
  const sync = (registration as { sync?: { register(tag: string): Promise<void> } } | undefined)?.sync;
  await sync?.register(QUEUE_SYNC_TAG).catch(() => undefined);
}

export const offlineQueue = new OfflineQueue();
