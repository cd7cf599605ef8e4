import type { StaffIncidentDto } from '../../../shared/api/staff-incidents.ts';
import type { StaffPlacesDto } from '../../../shared/api/staff-notices.ts';
import { api } from '../../lib/api.ts';
import { live } from '../../lib/live.svelte.ts';

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
class StaffIncidentsState {
  incidents = $state<StaffIncidentDto[]>([]);
  places = $state<StaffPlacesDto>({ estates: [], buildings: [] });
  loading = $state(false);
  error = $state<unknown>(null);

  async load(): Promise<void> {
    this.loading = true;
    try {
      const [list, places] = await Promise.all([
        api.get<{ incidents: StaffIncidentDto[] }>('/staff/incidents'),
        api.get<StaffPlacesDto>('/staff/notices/places'),
      ]);
      this.incidents = list.incidents;
      this.places = places;
      this.error = null;
    } catch (error) {
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  #replace(incident: StaffIncidentDto): void {
    const others = this.incidents.filter((i) => i.id !== incident.id);
    this.incidents = [incident, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
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
    const reload = () => void this.load();
    const stops = [live.on('incident.published', reload), live.on('incident.updated', reload)];
    return () => stops.forEach((stop) => stop());
  }
}

export const staffIncidents = new StaffIncidentsState();
