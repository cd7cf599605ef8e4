import type {
  CannedReplyDto,
  StaffTicketPatchRequest,
  TicketMacroRequest,
  TicketMacroResponse,
  TicketWorkspaceDto,
} from '../../../shared/api/staff.ts';
import type { LiveEvent } from '../../../shared/api/live.ts';
import type { StaffTicketDto, TicketMessageDto } from '../../../shared/api/tickets.ts';
import { api } from '../../lib/api.ts';
import { live } from '../../lib/live.svelte.ts';

/** "X is viewing" lasts a little longer than the 20 s heartbeat; "typing" a few seconds. */
const viewingTtlMs = 45_000;
const typingTtlMs = 6_000;
const heartbeatMs = 20_000;
const typingThrottleMs = 3_000;
/** Long enough for both events of a change and the HTTP answer to one's own change. */
const reloadDelayMs = 250;

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
  #generation = 0;
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
    }
    this.ticketId = ticketId;
    this.error = null;
    try {
      const data = await api.get<TicketWorkspaceDto>(`/staff/tickets/${encodeURIComponent(ticketId)}`);
      if (generation !== this.#generation) return;
      this.data = data;
      const seen: Record<string, number> = { ...this.viewing };
      for (const viewer of data.viewers) seen[viewer.userId] = Date.parse(viewer.at);
      this.viewing = seen;
      const last = data.messages.at(-1);
      if (last) live.read(ticketId, last.id);
    } catch (error) {
      if (generation === this.#generation) this.error = error;
    }
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

  async patch(patch: StaffTicketPatchRequest): Promise<void> {
    if (!this.ticketId) return;
    await api.patch(`/staff/tickets/${encodeURIComponent(this.ticketId)}`, patch);
    await this.load(this.ticketId);
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

  #onEvent(event: LiveEvent): void {
    const data = event.data as { ticketId?: string; userId?: string; role?: string };
    if (data.ticketId !== this.ticketId || !data.userId || data.role !== 'staff') return;
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
      live.on('presence', (event) => this.#onEvent(event)),
      live.on('typing', (event) => this.#onEvent(event)),
      live.on('message.created', (event) => {
        const message = (event.data as { message: TicketMessageDto }).message;
        this.#addMessage(message);
        if (message.ticketId === this.ticketId) {
          const { [message.authorUserId ?? '']: _done, ...rest } = this.typing;
          this.typing = rest;
          live.read(ticketId, message.id);
        }
      }),
      live.on('ticket.updated', (event) => {
        const ticket = (event.data as { ticket: StaffTicketDto }).ticket;
        if (ticket.id === this.ticketId) this.#reloadSoon(ticketId);
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
   * One reload per burst of changes (a status change arrives as a tenant and a staff event). An
   * event is sent after its change committed, so a load begun since shows it already: the reload
   * after this agent's own change makes the one for its events unneeded.
   */
  #reloadSoon(ticketId: string): void {
    if (this.#reloadTimer) return;
    const burstAt = Date.now();
    this.#reloadTimer = setTimeout(() => {
      this.#reloadTimer = null;
      if (this.#lastLoadAt < burstAt && this.ticketId === ticketId) void this.load(ticketId);
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
