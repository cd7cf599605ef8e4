import type {
  IncidentListResponse as IncidentList,
  IncidentResponse,
} from '../../../shared/api/incidents.ts';
import { api } from '../../lib/api.ts';
import { live } from '../../lib/live.svelte.ts';
import { Resource } from '../../lib/resource.svelte.ts';

/** Incidents at the user's buildings and the "follow it instead of a duplicate" action. */
class IncidentsState {
  list = new Resource(() => api.get<IncidentList>('/incidents'));
  /** Ids whose follow call runs, so the button can say so. */
  following = $state<string[]>([]);
  followError = $state<unknown>(null);

  async follow(id: string): Promise<boolean> {
    this.following = [...this.following, id];
    this.followError = null;
    try {
      const { incident } = await api.post<IncidentResponse>(`/incidents/${encodeURIComponent(id)}/follow`);
      const data = this.list.data;
      if (data) this.list.data = { incidents: data.incidents.map((row) => (row.id === id ? incident : row)) };
      return true;
    } catch (error) {
      this.followError = error;
      return false;
    } finally {
      this.following = this.following.filter((candidate) => candidate !== id);
    }
  }

  /** Open incidents at the contract's building that cover `component` (GET /incidents/matching). */
  matching(contractId: string, component: string | undefined): Promise<IncidentList> {
    const query = new URLSearchParams({ contractId, ...(component && { component }) });
    return api.get<IncidentList>(`/incidents/matching?${query}`);
  }

  /** Re-reads on every published or updated incident; returns the function that stops listening. */
  watch(): () => void {
    const reload = () => void this.list.load();
    const stops = [live.on('incident.published', reload), live.on('incident.updated', reload)];
    return () => stops.forEach((stop) => stop());
  }
}

export const incidents = new IncidentsState();
