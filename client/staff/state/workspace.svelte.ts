import type {
  CannedReplyDto,
  StaffTicketPatchRequest,
  TicketMacroRequest,
  TicketMacroResponse,
  TicketWorkspaceDto,
} from '../../../shared/api/staff.ts';
import type { LiveEvent } from '../../../shared/api/live.ts';
import type { DialogPageDto, StaffTicketDto, TicketMessageDto } from '../../../shared/api/tickets.ts';
import { api } from '../../lib/api.ts';
import { live } from '../../lib/live.svelte.ts';
import { session } from '../../lib/session.svelte.ts';

/** "X is viewing" lasts a little longer than the 20 s heartbeat; "typing" a few seconds. */
const viewingTtlMs = 45_000;
const typingTtlMs = 6_000;
const heartbeatMs = 20_000;
const typingThrottleMs = 3_000;
/** Long enough for all events of one change and the HTTP answer to one's own change. */
const reloadDelayMs = 250;

const inOrder = (a: TicketMessageDto, b: TicketMessageDto) =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/** What a `ticket.updated` can change that the workspace shows. */
const shownFields = [
  'status',
  'priority',
  'assigneeId',
  'teamId',
  'incidentId',
  'lastActivityAt',
  'resolvedAt',
  'firstRespondedAt',
  'firstResponseDueAt',
  'resolutionDueAt',
  'rating',
  'reopenCount',
] as const satisfies readonly (keyof StaffTicketDto)[];

/** Whether an event's ticket is what the workspace shows already (the fields the event carries). */
const alreadyShown = (event: Partial<StaffTicketDto>, shown: StaffTicketDto) =>
  event.id === shown.id && shownFields.every((field) => !(field in event) || event[field] === shown[field]);

/** What a macro changes besides its reply. */
export type MacroChange = Omit<TicketMacroRequest, 'message'>;

const newClientId = () => `staff-${crypto.randomUUID()}`;

/** A new message as a reply and a macro send it. */
const messageBody = (body: string, internal: boolean, attachmentIds: string[]) => ({
  body,
  internal,
  clientId: newClientId(),
  ...(attachmentIds.length > 0 && { attachmentIds }),
});

/**
 * One open ticket (issue 5 item 2): the workspace data, live messages and changes, and who else
 * is viewing or typing — so two agents do not answer the same tenant at once.
 */
class WorkspaceState {
  ticketId = $state<string | null>(null);
  data = $state<TicketWorkspaceDto | null>(null);
  error = $state<unknown>(null);
  replies = $state<CannedReplyDto[]>([]);
  /** userId → last time seen (ms), from live presence and typing events. */
  viewing = $state<Record<string, number>>({});
  typing = $state<Record<string, number>>({});
  now = $state(Date.now());
  loadingOlder = $state(false);
  olderFailed = $state(false);
  #generation = 0;
  /** Own changes in flight: their answer schedules the one reload, events meanwhile wait for it. */
  #mutating = 0;
  #reloadPending = false;
  /** The newest ticket state announced by live events since the last reload was scheduled. */
  #announced: Partial<StaffTicketDto> | null = null;
  /** When the answer to this agent's own change came: one reload follows it. */
  #ownChangeAt: number | null = null;
  #lastReadSent: string | null = null;
  #lastTyping = 0;
  #lastLoadAt = 0;
  #reloadTimer: ReturnType<typeof setTimeout> | null = null;

  async load(ticketId: string): Promise<void> {
    const generation = ++this.#generation;
    this.#lastLoadAt = Date.now();
    if (this.ticketId !== ticketId) {
      this.data = null;
      this.viewing = {};
      this.typing = {};
      this.loadingOlder = false;
      this.olderFailed = false;
      this.#lastReadSent = null;
    }
    this.ticketId = ticketId;
    this.error = null;
    try {
      const data = await api.get<TicketWorkspaceDto>(`/staff/tickets/${encodeURIComponent(ticketId)}`);
      if (generation !== this.#generation) return;
      this.data = this.#keepOlderPages(data);
      const seen: Record<string, number> = { ...this.viewing };
      for (const viewer of data.viewers) seen[viewer.userId] = Date.parse(viewer.at);
      this.viewing = seen;
      this.#markRead(ticketId);
    } catch (error) {
      if (generation === this.#generation) this.error = error;
    }
  }

  /**
   * A reload carries the newest page; the older pages the agent already scrolled through stay, unless
   * the new page does not reach back to them (then it replaces them: the dialog shows no gap).
   */
  #keepOlderPages(next: TicketWorkspaceDto): TicketWorkspaceDto {
    const shown = this.data;
    if (!shown || shown.ticket.id !== next.ticket.id) return next;
    const newestShown = shown.messages.at(-1);
    const oldestOfPage = next.messages[0];
    if (next.hasOlder && newestShown && oldestOfPage && inOrder(oldestOfPage, newestShown) > 0) return next;
    const fresh = new Set(next.messages.map((message) => message.id));
    const freshFiles = new Set(next.attachments.map((file) => file.id));
    return {
      ...next,
      messages: [...shown.messages.filter((message) => !fresh.has(message.id)), ...next.messages].sort(
        inOrder,
      ),
      attachments: [...shown.attachments.filter((file) => !freshFiles.has(file.id)), ...next.attachments],
      hasOlder: shown.hasOlder,
      olderCursor: shown.olderCursor,
    };
  }

  /** The page before the shown messages (scrolled to the top, or the button); how many it added. */
  async loadOlder(): Promise<number> {
    const shown = this.data;
    const cursor = shown?.olderCursor;
    if (!shown || !cursor || this.loadingOlder) return 0;
    const ticketId = shown.ticket.id;
    this.loadingOlder = true;
    this.olderFailed = false;
    try {
      const page = await api.get<DialogPageDto>(
        `/staff/tickets/${encodeURIComponent(ticketId)}/messages?before=${encodeURIComponent(cursor)}`,
      );
      const current = this.data;
      if (!current || current.ticket.id !== ticketId || current.olderCursor !== cursor) return 0;
      const known = new Set(current.messages.map((message) => message.id));
      const added = page.messages.filter((message) => !known.has(message.id));
      const knownFiles = new Set(current.attachments.map((file) => file.id));
      this.data = {
        ...current,
        messages: [...added, ...current.messages].sort(inOrder),
        attachments: [...page.attachments.filter((file) => !knownFiles.has(file.id)), ...current.attachments],
        hasOlder: page.hasOlder,
        olderCursor: page.olderCursor,
      };
      return added.length;
    } catch {
      if (this.data?.ticket.id === ticketId) this.olderFailed = true;
      return 0;
    } finally {
      if (this.data?.ticket.id === ticketId) this.loadingOlder = false;
    }
  }

  /** Read up to the newest message of someone else, once per message: one's own needs no mark. */
  #markRead(ticketId: string): void {
    const self = session.user?.id;
    const last = this.data?.messages.findLast((message) => message.authorUserId !== self);
    if (!last || last.id === this.#lastReadSent || this.data?.ticket.id !== ticketId) return;
    this.#lastReadSent = last.id;
    live.read(ticketId, last.id);
  }

  async loadReplies(): Promise<void> {
    this.replies = (await api.get<{ replies: CannedReplyDto[] }>('/staff/canned-replies')).replies;
  }

  async renderReply(replyId: string): Promise<string> {
    const id = encodeURIComponent(this.ticketId ?? '');
    return (
      await api.get<{ body: string }>(
        `/staff/tickets/${id}/canned-replies/${encodeURIComponent(replyId)}/render`,
      )
    ).body;
  }

  async send(body: string, internal: boolean, attachmentIds: string[]): Promise<void> {
    if (!this.ticketId) return;
    const { message } = await api.post<{ message: TicketMessageDto }>(
      `/staff/tickets/${encodeURIComponent(this.ticketId)}/messages`,
      messageBody(body, internal, attachmentIds),
    );
    this.#addMessage(message);
    // Attachments and SLA clocks come with the full view.
    void this.load(this.ticketId);
  }

  /**
   * A reply with a status and an assignment in one request (POST …/macro): the server writes all
   * of it in one transaction.
   */
  async macro(
    change: MacroChange,
    reply: { body: string; internal: boolean; attachmentIds: string[] } | null,
  ) {
    if (!this.ticketId) return;
    const { message } = await api.post<TicketMacroResponse>(
      `/staff/tickets/${encodeURIComponent(this.ticketId)}/macro`,
      { ...change, ...(reply && { message: messageBody(reply.body, reply.internal, reply.attachmentIds) }) },
    );
    if (message) this.#addMessage(message);
    await this.load(this.ticketId);
  }

  async merge(intoTicketId: string): Promise<void> {
    if (!this.ticketId) return;
    await api.post(`/staff/tickets/${encodeURIComponent(this.ticketId)}/merge`, { intoTicketId });
    await this.load(this.ticketId);
  }

  async linkIncident(incidentId: string | null): Promise<void> {
    if (!this.ticketId) return;
    await api.post(`/staff/tickets/${encodeURIComponent(this.ticketId)}/incident`, { incidentId });
    await this.load(this.ticketId);
  }

  /**
   * The answer holds the changed ticket: shown at once. Its history, audit and clocks come with one
   * reload, which also covers the live events of this change (they hold nothing newer).
   */
  async patch(patch: StaffTicketPatchRequest): Promise<void> {
    const ticketId = this.ticketId;
    if (!ticketId) return;
    this.#mutating += 1;
    let answered = false;
    try {
      const { ticket } = await api.patch<{ ticket: StaffTicketDto }>(
        `/staff/tickets/${encodeURIComponent(ticketId)}`,
        patch,
      );
      answered = true;
      if (this.data && this.data.ticket.id === ticket.id)
        this.data = { ...this.data, ticket: { ...this.data.ticket, ...ticket } };
    } finally {
      this.#mutating -= 1;
      if (answered || this.#reloadPending) this.#reloadSoon(ticketId, answered);
    }
  }

  /** Throttled: a keystroke every few seconds is plenty for "… is typing". */
  typed(): void {
    const now = Date.now();
    if (!this.ticketId || now - this.#lastTyping < typingThrottleMs) return;
    this.#lastTyping = now;
    live.typing(this.ticketId);
  }

  #addMessage(message: TicketMessageDto): void {
    if (!this.data || message.ticketId !== this.ticketId) return;
    if (this.data.messages.some((known) => known.id === message.id)) return;
    this.data.messages = [...this.data.messages, message];
  }

  #onEvent(event: LiveEvent<'typing' | 'presence'>): void {
    const { data } = event;
    if (data.ticketId !== this.ticketId || data.role !== 'staff') return;
    const at = Date.now();
    if (event.type === 'typing') this.typing = { ...this.typing, [data.userId]: at };
    this.viewing = { ...this.viewing, [data.userId]: at };
  }

  /** Follows live events and sends `viewing` every 20 s while the page is visible. */
  follow(ticketId: string): () => void {
    const beat = () => {
      if (document.visibilityState === 'visible') live.viewing(ticketId);
      this.now = Date.now();
    };
    beat();
    const timer = setInterval(beat, heartbeatMs);
    const tick = setInterval(() => (this.now = Date.now()), 1_000);
    const stops = [
      live.on(['presence', 'typing'], (event) => this.#onEvent(event)),
      live.on('message.created', (event) => {
        const { message } = event.data;
        this.#addMessage(message);
        if (message.ticketId === this.ticketId) {
          const { [message.authorUserId ?? '']: _done, ...rest } = this.typing;
          this.typing = rest;
          this.#markRead(ticketId);
        }
      }),
      live.on('ticket.updated', (event) => {
        const { ticket } = event.data;
        if (ticket.id !== this.ticketId) return;
        // The echo of a change already shown (one's own PATCH answer, or a reload since) is no news.
        if (this.data && alreadyShown(ticket, this.data.ticket)) return;
        this.#announced = ticket;
        this.#reloadSoon(ticketId);
      }),
    ];
    document.addEventListener('visibilitychange', beat);
    return () => {
      clearInterval(timer);
      clearInterval(tick);
      document.removeEventListener('visibilitychange', beat);
      for (const stop of stops) stop();
      if (this.#reloadTimer) clearTimeout(this.#reloadTimer);
      this.#reloadTimer = null;
    };
  }

  /**
   * One reload per burst of changes (a change may arrive as several events). An event is sent after
   * its change committed, so a load begun since shows it already. While this agent's own change is
   * in flight, events wait for its answer, which schedules the one reload for all of them.
   */
  #reloadSoon(ticketId: string, ownChange = false): void {
    if (ownChange) this.#ownChangeAt = Date.now();
    if (this.#mutating > 0) {
      this.#reloadPending = true;
      return;
    }
    this.#reloadPending = false;
    if (this.#reloadTimer) return;
    const burstAt = Date.now();
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      if (this.#mutating > 0) {
        this.#reloadPending = true;
        return;
      }
      const { ownChangeAt, announced } = { ownChangeAt: this.#ownChangeAt, announced: this.#announced };
      this.#ownChangeAt = null;
      this.#announced = null;
      if (this.ticketId !== ticketId) return;
      // One's own change: its history and clocks, unless a load begun after its answer has them.
      if (ownChangeAt !== null) {
        if (this.#lastLoadAt < ownChangeAt) void this.load(ticketId);
        return;
      }
      // Others' events: none when a load begun since, or one's own answer, shows their state.
      if (this.#lastLoadAt >= burstAt) return;
      if (announced && this.data && alreadyShown(announced, this.data.ticket)) return;
      void this.load(ticketId);
    }, reloadDelayMs);
  }

  /** Names of other staff seen within the windows, for the presence line. */
  othersWithin(marks: Record<string, number>, ttl: number, selfId: string | undefined): string[] {
    const names = new Map((this.data?.staff ?? []).map((member) => [member.id, member.name]));
    return Object.entries(marks)
      .filter(([userId, at]) => userId !== selfId && this.now - at < ttl)
      .map(([userId]) => names.get(userId) ?? '')
      .filter(Boolean);
  }

  viewers(selfId: string | undefined): string[] {
    return this.othersWithin(this.viewing, viewingTtlMs, selfId);
  }

  typers(selfId: string | undefined): string[] {
    return this.othersWithin(this.typing, typingTtlMs, selfId);
  }
}

export const workspace = new WorkspaceState();
