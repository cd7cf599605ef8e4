import type { StaffPlacesDto } from '../../../shared/api/staff-notices.ts';
import { api } from '../../lib/api.ts';
import type { LiveEventType } from '../../../shared/api/live.ts';
import { live } from '../../lib/live.svelte.ts';

/**
 * What the notice, incident and document pages share: their list is loaded together with the staff
 * member's places (for the place picker and the place names), with the page's loading/failed states.
 */
export abstract class PlacesAndListState {
  places = $state<StaffPlacesDto>({ estates: [], buildings: [] });
  loading = $state(false);
  error = $state<unknown>(null);

  abstract load(): Promise<void>;

  /** GETs `path` and the places at once; `store` keeps the list. A failure keeps what was shown. */
  protected async loadWithPlaces<T>(path: string, store: (list: T) => void): Promise<void> {
    this.loading = true;
    try {
      const [list, places] = await Promise.all([
        api.get<T>(path),
        api.get<StaffPlacesDto>('/staff/notices/places'),
      ]);
      store(list);
      this.places = places;
      this.error = null;
    } catch (error) {
      this.error = error;
    } finally {
      this.loading = false;
    }
  }

  /** Reloads on each of the live `types` (a colleague's change shows without reload); returns the stop. */
  protected reloadOn(types: readonly LiveEventType[]): () => void {
    const reload = () => void this.load();
    const stops = types.map((type) => live.on(type, reload));
    return () => stops.forEach((stop) => stop());
  }
}
