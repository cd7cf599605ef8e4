import {
  isUsableSearch,
  type BulkTicketsRequest,
  type InboxCountsResponse,
  type InboxFacetsDto,
  type InboxPage,
  type InboxSort,
  type InboxTicketDto,
  type InboxView,
  type SavedViewDto,
  type SavedViewQuery,
} from '../../../shared/api/staff.ts';
import { api } from '../../lib/api.ts';
import { live } from '../../lib/live.svelte.ts';

export interface InboxFilters {
  status: string;
  priority: string;
  building: string;
  type: string;
  assignee: string;
  team: string;
  q: string;
}

const emptyFilters = (): InboxFilters => ({
  status: '',
  priority: '',
  building: '',
  type: '',
  assignee: '',
  team: '',
  q: '',
});

/** The natural direction of a column: newest activity and highest priority first, else ascending. */
export const defaultDirection = (sort: InboxSort): 'asc' | 'desc' =>
  sort === 'activity' || sort === 'priority' ? 'desc' : 'asc';

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
  sort = $state<InboxSort>('activity');
  direction = $state<'asc' | 'desc'>('desc');
  facets = $state<InboxFacetsDto | null>(null);
  savedViews = $state<SavedViewDto[]>([]);
  /** The saved view whose query is applied, until a filter changes. */
  savedViewId = $state<string | null>(null);
  /** Ticket ids ticked for a bulk change. */
  selected = $state<string[]>([]);
  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #lastLoadAt = 0;
  #stopLive: (() => void) | null = null;

  #query(cursor?: string): string {
    // A throwaway query string, not UI state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const params = new URLSearchParams(this.#queryOf());
    if (cursor) params.set('cursor', cursor);
    return params.toString();
  }

  #queryOf(): SavedViewQuery {
    const query: Record<string, string> = { view: this.view };
    for (const [key, value] of Object.entries(this.filters) as [string, string][]) {
      if (value.trim()) query[key] = value.trim();
    }
    if (this.sort !== 'activity' || this.direction !== 'desc') {
      query.sort = this.sort;
      query.dir = this.direction;
    }
    return query;
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
      // In the server's order: open urgent tickets already lead the default one.
      this.tickets = page.tickets;
      // Ticks survive a refresh only for tickets still listed.
      const listed = new Set(page.tickets.map((ticket) => ticket.id));
      if (this.selected.some((id) => !listed.has(id)))
        this.selected = this.selected.filter((id) => listed.has(id));
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
    this.savedViewId = null;
    void this.load();
  }

  resetFilters(): void {
    this.filters = emptyFilters();
    this.savedViewId = null;
    void this.load();
  }

  /** A column header: the first click sorts in its natural direction, the next one reverses. */
  sortBy(sort: InboxSort): void {
    this.direction =
      this.sort === sort ? (this.direction === 'asc' ? 'desc' : 'asc') : defaultDirection(sort);
    this.sort = sort;
    this.savedViewId = null;
    void this.load();
  }

  filterChanged(): void {
    this.savedViewId = null;
    void this.load();
  }

  async loadFacets(): Promise<void> {
    this.facets = await api.get<InboxFacetsDto>('/staff/tickets/facets');
  }

  async loadSavedViews(): Promise<void> {
    this.savedViews = (await api.get<{ views: SavedViewDto[] }>('/staff/tickets/views')).views;
  }

  async saveView(name: string): Promise<void> {
    const { view } = await api.post<{ view: SavedViewDto }>('/staff/tickets/views', {
      name,
      query: this.#queryOf(),
    });
    this.savedViews = [...this.savedViews, view];
    this.savedViewId = view.id;
  }

  async deleteView(id: string): Promise<void> {
    await api.delete(`/staff/tickets/views/${encodeURIComponent(id)}`);
    this.savedViews = this.savedViews.filter((view) => view.id !== id);
    if (this.savedViewId === id) this.savedViewId = null;
  }

  applySavedView(saved: SavedViewDto): void {
    const { view, sort, dir, ...filters } = saved.query;
    this.view = view ?? 'all';
    this.filters = { ...emptyFilters(), ...filters };
    this.sort = sort ?? 'activity';
    this.direction = dir ?? defaultDirection(this.sort);
    this.cursorIndex = 0;
    this.savedViewId = saved.id;
    void this.load();
  }

  toggleSelected(id: string, on: boolean): void {
    this.selected = on ? [...new Set([...this.selected, id])] : this.selected.filter((other) => other !== id);
  }

  selectAll(on: boolean): void {
    this.selected = on ? this.tickets.map((ticket) => ticket.id) : [];
  }

  /** One request for every ticked ticket; the server changes all of them or none. */
  async bulk(change: Omit<BulkTicketsRequest, 'ids'>): Promise<void> {
    if (this.selected.length === 0) return;
    await api.post('/staff/tickets/bulk', { ids: this.selected, ...change });
    this.selected = [];
    await this.load();
  }

  move(step: number): void {
    if (this.tickets.length === 0) return;
    this.cursorIndex = Math.min(this.tickets.length - 1, Math.max(0, this.cursorIndex + step));
  }

  /** Starts following live events; returns the function that stops. */
  follow(): () => void {
    const schedule = () => {
      if (this.#timer) return; // the pending refresh will show this change too
      const burstAt = Date.now();
      const wait = Math.max(refreshDelayMs, this.#lastLoadAt + refreshIntervalMs - burstAt);
      this.#timer = setTimeout(() => {
        this.#timer = null;
        // An event is sent after its change committed: a load begun since then shows it already
        // (the reload after this console's own bulk change, whose events arrive around its answer).
        if (this.#lastLoadAt < burstAt) void this.load();
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
