import {
  isUsableSearch,
  type InboxCountsResponse,
  type InboxPage,
  type InboxTicketDto,
  type InboxView,
} from '../../../shared/api/staff.ts';
import { api } from '../../lib/api.ts';
import { live } from '../../lib/live.svelte.ts';

export interface InboxFilters {
  status: string;
  priority: string;
  building: string;
  type: string;
  q: string;
}

const emptyFilters = (): InboxFilters => ({ status: '', priority: '', building: '', type: '', q: '' });

/** Live changes arrive in bursts (a status change is two events): one refresh per burst … */
const refreshDelayMs = 250;
/**
 * … and at most one every 2 s while changes keep coming. A delay restarted by every event never
 * fired on a busy inbox (a message every few milliseconds somewhere in scope), so the list stood
 * still; a refresh per event would have every open console refetch list and counts many times a
 * second.
 */
const refreshIntervalMs = 2000;

/**
 * The inbox (issue 5 item 1): one view with filters, paged by keyset cursor, and the counts of
 * every view. Live ticket and message events refresh list and counts without reload — the
 * overviews that "do not refresh" are what issue 5 sets out to fix.
 */
class InboxState {
  view = $state<InboxView>('unassigned');
  filters = $state<InboxFilters>(emptyFilters());
  tickets = $state<InboxTicketDto[]>([]);
  /** With a search, counts may be lower bounds (`atLeast`): the nav shows "100+". */
  counts = $state<InboxCountsResponse | null>(null);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  error = $state<unknown>(null);
  /** The search field holds only words shorter than `searchWordMinLength`: nothing was loaded. */
  searchTooShort = $state(false);
  /** Index of the row the keyboard points at (j/k). */
  cursorIndex = $state(0);
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastLoadAt = 0;
  #stopLive: (() => void) | null = null;

  #query(cursor?: string): string {
    // A throwaway query string, not UI state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const params = new URLSearchParams({ view: this.view });
    for (const [key, value] of Object.entries(this.filters) as [string, string][]) {
      if (value.trim()) params.set(key, value.trim());
    }
    if (cursor) params.set('cursor', cursor);
    return params.toString();
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    // The server refuses a search of only short words (shared/api/staff.ts): say so instead.
    this.searchTooShort = !isUsableSearch(this.filters.q);
    if (this.searchTooShort) return;
    this.#lastLoadAt = Date.now();
    this.loading = true;
    this.error = null;
    try {
      const [page, counts] = await Promise.all([
        api.get<InboxPage>(`/staff/tickets?${this.#query()}`),
        api.get<InboxCountsResponse>(`/staff/tickets/counts?${this.#query()}`),
      ]);
      if (generation !== this.#generation) return;
      this.tickets = page.tickets;
      this.nextCursor = page.nextCursor;
      this.counts = counts;
      this.cursorIndex = Math.min(this.cursorIndex, Math.max(0, page.tickets.length - 1));
    } catch (error) {
      if (generation === this.#generation) this.error = error;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  async loadMore(): Promise<void> {
    if (!this.nextCursor) return;
    const generation = this.#generation;
    this.loading = true;
    try {
      const page = await api.get<InboxPage>(`/staff/tickets?${this.#query(this.nextCursor)}`);
      if (generation !== this.#generation) return;
      const known = new Set(this.tickets.map((ticket) => ticket.id));
      this.tickets = [...this.tickets, ...page.tickets.filter((ticket) => !known.has(ticket.id))];
      this.nextCursor = page.nextCursor;
    } catch (error) {
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  setView(view: InboxView): void {
    this.view = view;
    this.cursorIndex = 0;
    void this.load();
  }

  resetFilters(): void {
    this.filters = emptyFilters();
    void this.load();
  }

  move(step: number): void {
    if (this.tickets.length === 0) return;
    this.cursorIndex = Math.min(this.tickets.length - 1, Math.max(0, this.cursorIndex + step));
  }

  /** Starts following live events; returns the function that stops. */
  follow(): () => void {
    const schedule = () => {
      if (this.#timer) return; // the pending refresh will show this change too
      const wait = Math.max(refreshDelayMs, this.#lastLoadAt + refreshIntervalMs - Date.now());
      this.#timer = setTimeout(() => {
        this.#timer = null;
        void this.load();
      }, wait);
    };
    const stops = [
      live.on('ticket.created', schedule),
      live.on('ticket.updated', schedule),
      live.on('message.created', schedule),
    ];
    this.#stopLive = () => {
      for (const stop of stops) stop();
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
    };
    return () => this.#stopLive?.();
  }
}

export const inbox = new InboxState();
