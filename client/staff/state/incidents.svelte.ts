import type { BroadcastReachDto, BroadcastReachResponse } from '../../../shared/api/broadcast-reach.ts';
import type { StaffIncidentDto } from '../../../shared/api/staff-incidents.ts';
import { api } from '../../lib/api.ts';
import { PlacesAndListState } from './places-list.svelte.ts';

export interface IncidentDraft {
  title: string;
  body: string;
  kind: 'planned' | 'emergency';
  scopeKind: 'estate' | 'building';
  placeId: string;
  startsAt: string;
  endsAt: string;
}

export const emptyIncidentDraft = (): IncidentDraft => ({
  title: '',
  body: '',
  kind: 'planned',
  scopeKind: 'building',
  placeId: '',
  startsAt: '',
  endsAt: '',
});

const iso = (local: string) => (local ? new Date(local).toISOString() : null);

/** Incidents / related tickets in the console (issue 5 item 5); live `incident.*` events reload. */
class StaffIncidentsState extends PlacesAndListState {
  incidents = $state<StaffIncidentDto[]>([]);

  load(): Promise<void> {
    return this.loadWithPlaces<{ incidents: StaffIncidentDto[] }>('/staff/incidents', (list) => {
      this.incidents = list.incidents;
    });
  }

  #replace(incident: StaffIncidentDto): void {
    const others = this.incidents.filter((i) => i.id !== incident.id);
    this.incidents = [incident, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Who "publish and notify" would reach per channel, asked before it is sent (issue 15 item 8). */
  async reach(draft: IncidentDraft): Promise<BroadcastReachDto> {
    const scope = { kind: draft.scopeKind, ids: [draft.placeId] };
    return (await api.post<BroadcastReachResponse>('/staff/incidents/reach', { kind: draft.kind, scope }))
      .reach;
  }

  async create(draft: IncidentDraft): Promise<void> {
    const { incident } = await api.post<{ incident: StaffIncidentDto }>('/staff/incidents', {
      title: draft.title,
      body: draft.body,
      kind: draft.kind,
      scope: { kind: draft.scopeKind, ids: [draft.placeId] },
      startsAt: iso(draft.startsAt),
      endsAt: iso(draft.endsAt),
    });
    this.#replace(incident);
  }

  async postUpdate(id: string, body: string): Promise<void> {
    const path = `/staff/incidents/${encodeURIComponent(id)}/updates`;
    this.#replace((await api.post<{ incident: StaffIncidentDto }>(path, { body })).incident);
  }

  async close(id: string): Promise<void> {
    const path = `/staff/incidents/${encodeURIComponent(id)}/close`;
    this.#replace((await api.post<{ incident: StaffIncidentDto }>(path)).incident);
  }

  /** "2026-000123, 2026-000124" → attached; an unknown or foreign number fails the whole call. */
  async attach(id: string, numbers: string): Promise<void> {
    const ticketNumbers = numbers
      .split(/[\s,;]+/)
      .map((n) => n.trim())
      .filter(Boolean);
    const path = `/staff/incidents/${encodeURIComponent(id)}/tickets`;
    this.#replace((await api.post<{ incident: StaffIncidentDto }>(path, { ticketNumbers })).incident);
  }

  follow(): () => void {
    return this.reloadOn(['incident.published', 'incident.updated']);
  }
}

export const staffIncidents = new StaffIncidentsState();
