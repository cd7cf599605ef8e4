import type { TicketDto, TicketStatus } from '../../../shared/api/tickets.ts';
import type { LiveEvent } from '../../../shared/api/live.ts';
import type { TicketTypeForm } from '../../../shared/ticket-types.ts';
import { api } from '../../lib/api.ts';
import { live } from '../../lib/live.svelte.ts';
import { Resource } from '../../lib/resource.svelte.ts';

/** A type as `GET /api/ticket-types` offers it (the stored form, checked by the server). */
export interface TicketTypeFormDto {
  id: string;
  form: TicketTypeForm;
  defaultPriority: string;
  slaHours: { firstResponse: number; resolution: number };
}

const byLastActivity = (a: TicketDto, b: TicketDto) => b.lastActivityAt.localeCompare(a.lastActivityAt);

/**
 * "My requests" (seed 003 "meine Vorgänge", seed 004 "ärenden"): the list with search over current and
 * historical requests and a status filter. Live events patch the list in place; anything the patch
 * cannot decide (a new ticket under a search) re-reads it.
 */
class RequestsState {
  q = $state('');
  status = $state<TicketStatus | ''>('');
  list = new Resource(() => {
    // Plain on purpose: built and read once per request, not UI state.
    // eslint-disable-next-line svelte/prefer-svelte-reactivity
    const query = new URLSearchParams();
    if (this.q.trim()) query.set('q', this.q.trim());
    if (this.status) query.set('status', this.status);
    const search = query.size > 0 ? `?${query}` : '';
    return api.get<{ tickets: TicketDto[] }>(`/tickets${search}`);
  });
  types = new Resource(() => api.get<{ types: TicketTypeFormDto[] }>('/ticket-types'));
  filtered = $derived(this.q.trim() !== '' || this.status !== '');

  #patch(ticket: TicketDto): boolean {
    const data = this.list.data;
    if (!data || !data.tickets.some((row) => row.id === ticket.id)) return false;
    if (this.status && ticket.status !== this.status) {
      this.list.data = { tickets: data.tickets.filter((row) => row.id !== ticket.id) };
    } else {
      const tickets = data.tickets.map((row) => (row.id === ticket.id ? ticket : row));
      this.list.data = { tickets: tickets.sort(byLastActivity) };
    }
    return true;
  }

  #onTicket = (event: LiveEvent<'ticket.created' | 'ticket.updated'>) => {
    const { ticket } = event.data;
    if (event.type === 'ticket.created' && !this.filtered && this.list.data) {
      if (this.list.data.tickets.some((row) => row.id === ticket.id)) return;
      this.list.data = { tickets: [ticket, ...this.list.data.tickets] };
      return;
    }
    if (!this.#patch(ticket)) void this.list.load();
  };

  #onMessage = (event: LiveEvent<'message.created'>) => {
    const { message } = event.data;
    const ticket = this.list.data?.tickets.find((row) => row.id === message.ticketId);
    if (ticket) this.#patch({ ...ticket, lastActivityAt: message.createdAt });
  };

  /** Listens to ticket and message events while the list is shown; returns the stop function. */
  watch(): () => void {
    const stops = [
      live.on(['ticket.created', 'ticket.updated'], this.#onTicket),
      live.on('message.created', this.#onMessage),
    ];
    return () => stops.forEach((stop) => stop());
  }
}

export const requests = new RequestsState();
