import type { NoticeCategory, NoticeDto, NoticeListResponse } from '../../../shared/api/notices.ts';
import { api } from '../../lib/api.ts';
import { live } from '../../lib/live.svelte.ts';
import { Resource } from '../../lib/resource.svelte.ts';
import { overview } from './home.svelte.ts';

// Re-exported for the notice components, which predate shared/api/notices.ts.
export type { NoticeCategory, NoticeDto };

/** The notice board: pinned first, then newest (the server's order), with read marks. */
class NoticesState {
  list = new Resource(() => api.get<NoticeListResponse>('/notices'));
  /** Read during this visit: the "new" marker stays until the page is left, so it can be seen at all. */
  readThisVisit = $state<string[]>([]);
  #marking = new Set<string>();

  /** Marks a shown notice read once (POST /notices/:id/read); failures are retried next time it shows. */
  async markRead(id: string): Promise<void> {
    if (this.#marking.has(id)) return;
    this.#marking.add(id);
    try {
      await api.post(`/notices/${encodeURIComponent(id)}/read`);
      this.readThisVisit = [...this.readThisVisit, id];
      overview.refreshBadgeSoon();
    } catch {
      this.#marking.delete(id);
    }
  }

  watch(): () => void {
    const reload = () => void this.list.load();
    const stops = (['notice.published', 'notice.updated', 'notice.deleted'] as const).map((type) =>
      live.on(type, reload),
    );
    return () => stops.forEach((stop) => stop());
  }

  leave(): void {
    this.readThisVisit = [];
    this.#marking.clear();
  }
}

export const notices = new NoticesState();
