import { untrack } from 'svelte';
import type { LiveEvent } from '../../../shared/api/live.ts';
import type {
  DialogAttachmentDto,
  DialogPageDto,
  StatusChangeDto,
  TicketDto,
  TicketMessageDto,
} from '../../../shared/api/tickets.ts';
import { api, ApiError } from '../../lib/api.ts';
import { live, LiveError } from '../../lib/live.svelte.ts';
import { offlineQueue, queueMessage, type QueuedMessage } from '../../lib/pwa/queue.ts';
import { connectivity } from '../../lib/pwa/status.svelte.ts';
import { Resource } from '../../lib/resource.svelte.ts';
import { session } from '../../lib/session.svelte.ts';
import { overview } from './home.svelte.ts';

export type TicketAttachmentDto = DialogAttachmentDto;

/**
 * `GET /api/tickets/:id` (server/services/tickets/list.ts getTicketDetail): the newest page of the
 * dialog; `olderCursor` reads the one before it.
 */
export interface TicketDetailResponse extends DialogPageDto {
  ticket: TicketDto;
  statusHistory: StatusChangeDto[];
  /** Whether this reader may reply, rate and reopen (a `read` household member may not). */
  canWrite: boolean;
  /** When the landlord's people last read the dialog: the read mark of the tenant's messages. */
  staffReadAt?: string | null;
}

/**
 * A reply on its way: shown as "sending…" until the server's message (same clientId) replaces it;
 * `queued` when written offline and kept in the device's queue (issue 6 item 6).
 */
export interface OutgoingMessage {
  clientId: string;
  body: string;
  attachmentIds: string[];
  /** The chosen files as Blobs, for the offline queue should the reply not get through now. */
  photos?: { blob: Blob; name: string }[];
  state: 'sending' | 'failed' | 'queued';
  error: unknown;
}

const isNetworkError = (error: unknown) =>
  (error instanceof ApiError || error instanceof LiveError) && error.code === 'network_error';

/** A queued reply as the dialog shows it; one the server refused shows its reason, not retried. */
const fromQueue = (entry: QueuedMessage): OutgoingMessage => ({
  clientId: entry.clientId,
  body: entry.request.body,
  attachmentIds: [],
  state: entry.failedCode ? 'failed' : 'queued',
  error: entry.failedCode ? new ApiError(400, entry.failedCode, entry.failedCode) : null,
});

const typingVisibleMs = 4_000;
const viewingVisibleMs = 60_000;
const typingThrottleMs = 2_000;
const path = (id: string) => `/tickets/${encodeURIComponent(id)}`;
const inOrder = (a: TicketMessageDto, b: TicketMessageDto) =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/**
 * One open request with its live dialog. Messages are deduplicated by id (delivery is at-least-once,
 * DESIGN.md) and an outgoing reply by its clientId, so neither a resync nor a retried send shows a
 * message twice.
 */
class TicketState {
  currentId = $state<string | null>(null);
  detail = new Resource(() => api.get<TicketDetailResponse>(path(this.currentId ?? '')));
  messages = $state<TicketMessageDto[]>([]);
  outgoing = $state<OutgoingMessage[]>([]);
  /** Replies to this request waiting in the offline queue, until the server's message arrives. */
  queued = $derived(
    offlineQueue.pending
      .filter(
        (entry): entry is QueuedMessage => entry.kind === 'message' && entry.ticketId === this.currentId,
      )
      .filter((entry) => !this.outgoing.some((item) => item.clientId === entry.clientId))
      .filter((entry) => !this.messages.some((message) => message.clientId === entry.clientId))
      .map(fromQueue),
  );
  /** The files of the loaded messages (and of the ticket itself), older pages' included. */
  attachments = $state<TicketAttachmentDto[]>([]);
  /** Whether messages before the loaded ones exist, and the cursor that reads them. */
  hasOlder = $state(false);
  loadingOlder = $state(false);
  olderFailed = $state(false);
  #olderCursor: string | null = null;
  staffTyping = $state(false);
  staffViewing = $state(false);
  /** Messages of the tenant's side up to this time were read by the landlord's people. */
  staffReadAt = $state<string | null>(null);
  actionError = $state<unknown>(null);
  acting = $state(false);
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #viewingTimer: ReturnType<typeof setTimeout> | undefined;
  #reloadTimer: ReturnType<typeof setTimeout> | undefined;
  #lastTypingSent = 0;
  #lastReadSent: string | null = null;

  /**
   * Shows request `id`; another request first forgets the previous one's dialog. Untracked: the
   * page's effect that calls it must not depend on the id it sets here, or it runs (and fetches) twice.
   */
  open(id: string): Promise<void> {
    return untrack(async () => {
      if (id !== this.currentId) {
        this.close();
        this.currentId = id;
      }
      await this.reload();
    });
  }

  async reload(): Promise<void> {
    const id = this.currentId;
    await this.detail.load();
    const data = this.detail.data;
    if (!data || id !== this.currentId) return;
    this.#adoptNewest(data);
    this.staffReadAt = data.staffReadAt ?? null;
    live.viewing(data.ticket.id);
  }

  close(): void {
    this.detail.reset();
    this.currentId = null;
    this.messages = [];
    this.attachments = [];
    this.hasOlder = false;
    this.loadingOlder = false;
    this.olderFailed = false;
    this.#olderCursor = null;
    this.outgoing = [];
    this.staffTyping = false;
    this.staffViewing = false;
    this.staffReadAt = null;
    this.actionError = null;
    this.#lastReadSent = null;
    clearTimeout(this.#typingTimer);
    clearTimeout(this.#viewingTimer);
    clearTimeout(this.#reloadTimer);
  }

  /**
   * The newest page joins the loaded ones. Should it not reach back to them (more than a page came
   * meanwhile), it replaces them, so the dialog never shows a gap; else the older pages stay.
   */
  #adoptNewest(page: DialogPageDto): void {
    const newestKnown = this.messages.at(-1);
    const oldestOfPage = page.messages[0];
    const gap = page.hasOlder && newestKnown && oldestOfPage && inOrder(oldestOfPage, newestKnown) > 0;
    if (gap || this.messages.length === 0) {
      this.messages = [];
      this.attachments = [];
      this.hasOlder = page.hasOlder;
      this.#olderCursor = page.olderCursor;
    }
    this.#merge(page.messages);
    this.#mergeAttachments(page.attachments);
  }

  #mergeAttachments(incoming: TicketAttachmentDto[]): void {
    const known = new Set(incoming.map((file) => file.id));
    this.attachments = [...this.attachments.filter((file) => !known.has(file.id)), ...incoming];
  }

  /** The page before the loaded messages (on scroll to the top, or the button); how many it added. */
  async loadOlder(): Promise<number> {
    const id = this.currentId;
    const cursor = this.#olderCursor;
    if (!id || !cursor || this.loadingOlder) return 0;
    this.loadingOlder = true;
    this.olderFailed = false;
    try {
      const page = await api.get<DialogPageDto>(`${path(id)}/messages?before=${encodeURIComponent(cursor)}`);
      if (id !== this.currentId || cursor !== this.#olderCursor) return 0;
      const before = this.messages.length;
      this.#merge(page.messages);
      this.#mergeAttachments(page.attachments);
      this.hasOlder = page.hasOlder;
      this.#olderCursor = page.olderCursor;
      return this.messages.length - before;
    } catch {
      if (id === this.currentId) this.olderFailed = true;
      return 0;
    } finally {
      if (id === this.currentId) this.loadingOlder = false;
    }
  }

  #merge(incoming: TicketMessageDto[]): void {
    // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local index, not state
    const byId = new Map(this.messages.map((message) => [message.id, message]));
    for (const message of incoming) {
      // A live copy carries no author name; the name read with the dialog stays.
      const known = byId.get(message.id)?.authorFirstName;
      byId.set(
        message.id,
        known && !message.authorFirstName ? { ...message, authorFirstName: known } : message,
      );
    }
    this.messages = [...byId.values()].sort(inOrder);
    const arrived = new Set(incoming.map((message) => message.clientId).filter(Boolean));
    if (arrived.size > 0) this.outgoing = this.outgoing.filter((item) => !arrived.has(item.clientId));
  }

  /**
   * Tells the server the dialog was seen up to its newest message from someone else (once per
   * message): one's own new message is no news to oneself, so it sends no read mark.
   */
  markRead(): void {
    const mine = session.user?.id;
    const last = this.messages.findLast((message) => message.authorUserId !== mine);
    if (!this.currentId || !last || last.id === this.#lastReadSent || live.status !== 'online') return;
    this.#lastReadSent = last.id;
    live.read(this.currentId, last.id);
    overview.refreshBadgeSoon();
  }

  /** At most one typing signal per 2 s while the tenant writes. */
  typing(): void {
    const now = Date.now();
    if (!this.currentId || now - this.#lastTypingSent < typingThrottleMs) return;
    this.#lastTypingSent = now;
    live.typing(this.currentId);
  }

  /** Sends a reply: over the socket when online, else (or when the socket fails) by HTTP; same clientId. */
  async send(
    body: string,
    attachmentIds: string[],
    photos: OutgoingMessage['photos'] = [],
  ): Promise<boolean> {
    const item: OutgoingMessage = {
      clientId: crypto.randomUUID(),
      body,
      attachmentIds,
      photos,
      state: 'sending',
      error: null,
    };
    this.outgoing = [...this.outgoing, item];
    if (connectivity.offline) return this.#enqueue(item.clientId);
    return this.#deliver(item.clientId);
  }

  /**
   * Hands a reply to the offline queue with the same clientId: should the lost attempt have reached
   * the server after all, the queue's repeat is answered with that message, never a second one.
   */
  async #enqueue(clientId: string): Promise<boolean> {
    const ticketId = this.currentId;
    const item = this.outgoing.find((candidate) => candidate.clientId === clientId);
    if (!ticketId || !item) return false;
    try {
      await queueMessage({ clientId, ticketId, body: item.body, photos: item.photos ?? [] });
      // Shown as waiting until the server's message (same clientId) replaces it; after a reload of
      // the page the queue's entry stands for it (`queued` below).
      item.state = 'queued';
      return true;
    } catch (error) {
      item.state = 'failed';
      item.error = error;
      return false;
    }
  }

  retry(clientId: string): Promise<boolean> {
    return this.#deliver(clientId);
  }

  async #deliver(clientId: string): Promise<boolean> {
    const ticketId = this.currentId;
    const item = this.outgoing.find((candidate) => candidate.clientId === clientId);
    if (!ticketId || !item) return false;
    item.state = 'sending';
    item.error = null;
    const request = { body: item.body, clientId, attachmentIds: $state.snapshot(item.attachmentIds) };
    try {
      let message: TicketMessageDto | null = null;
      if (live.status === 'online') {
        try {
          message = (await live.sendMessage({ ticketId, ...request })).message;
        } catch (error) {
          // A refusal is final; a timeout or lost socket falls back to HTTP with the same clientId.
          if (!(error instanceof LiveError) || !['timeout', 'network_error'].includes(error.code))
            throw error;
        }
      }
      message ??= (await api.post<{ message: TicketMessageDto }>(`${path(ticketId)}/messages`, request))
        .message;
      if (ticketId === this.currentId) this.#merge([message]);
      if (request.attachmentIds.length > 0) this.#scheduleReload();
      return true;
    } catch (error) {
      if (isNetworkError(error)) return this.#enqueue(clientId);
      item.state = 'failed';
      item.error = error;
      return false;
    }
  }

  async rate(rating: number, comment: string): Promise<boolean> {
    return this.#act(`/rating`, { rating, ...(comment.trim() && { comment: comment.trim() }) });
  }

  async reopen(): Promise<boolean> {
    return this.#act('/reopen', {});
  }

  async #act(suffix: string, body: unknown): Promise<boolean> {
    if (!this.currentId || this.acting) return false;
    this.acting = true;
    this.actionError = null;
    try {
      const { ticket } = await api.post<{ ticket: TicketDto }>(path(this.currentId) + suffix, body);
      this.#applyTicket(ticket);
      this.#scheduleReload();
      return true;
    } catch (error) {
      this.actionError = error;
      return false;
    } finally {
      this.acting = false;
    }
  }

  #applyTicket(ticket: TicketDto): void {
    const data = this.detail.data;
    if (data && data.ticket.id === ticket.id) this.detail.data = { ...data, ticket };
  }

  /** Status lines and attachments of new messages come with a re-read; a burst causes one. */
  #scheduleReload(): void {
    clearTimeout(this.#reloadTimer);
    this.#reloadTimer = setTimeout(() => void this.reload(), 300);
  }

  #onMessage = (event: LiveEvent<'message.created'>) => {
    const { message } = event.data;
    if (message.ticketId !== this.currentId) return;
    this.#merge([message]);
    if (message.authorRole === 'staff') this.staffTyping = false;
    if (message.kind !== 'message' || message.authorRole === 'staff') this.#scheduleReload();
  };

  #onTicket = (event: LiveEvent<'ticket.updated'>) => {
    const { ticket } = event.data;
    if (ticket.id === this.currentId) this.#applyTicket(ticket);
  };

  #onSignal = (event: LiveEvent<'typing' | 'presence'>) => {
    const { data } = event;
    if (data.ticketId !== this.currentId || data.role !== 'staff') return;
    if (event.type === 'typing') {
      this.staffTyping = true;
      clearTimeout(this.#typingTimer);
      this.#typingTimer = setTimeout(() => (this.staffTyping = false), typingVisibleMs);
    } else {
      this.staffViewing = true;
      clearTimeout(this.#viewingTimer);
      this.#viewingTimer = setTimeout(() => (this.staffViewing = false), viewingVisibleMs);
    }
  };

  /** Someone else read the dialog (the landlord's people, or the household): re-read the read mark. */
  #onRead = (event: LiveEvent<'read'>) => {
    const { data } = event;
    if (data.ticketId === this.currentId && data.userId !== session.user?.id) this.#scheduleReload();
  };

  /** The queue got a reply of this request through (this tab sent it): show the server's message. */
  #onQueueSent = (entry: { kind: string; ticketId?: string }, response: unknown) => {
    const message = (response as { message?: TicketMessageDto } | null)?.message;
    if (entry.kind !== 'message' || entry.ticketId !== this.currentId || !message) return;
    this.#merge([message]);
    this.#scheduleReload();
  };

  watch(): () => void {
    const stops = [
      offlineQueue.onSent(this.#onQueueSent),
      live.on('message.created', this.#onMessage),
      live.on('ticket.updated', this.#onTicket),
      live.on(['typing', 'presence'], this.#onSignal),
      live.on('read', this.#onRead),
    ];
    return () => stops.forEach((stop) => stop());
  }
}

export const ticket = new TicketState();

/** Whether a send failure is worth a retry button (not a refusal such as read_only). */
export const isRetryable = (error: unknown) =>
  !(error instanceof ApiError) || error.status === 0 || error.status >= 500 || error.status === 429;
