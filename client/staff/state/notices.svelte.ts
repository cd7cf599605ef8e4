import type { BroadcastReachDto, BroadcastReachResponse } from '../../../shared/api/broadcast-reach.ts';
import type { NoticeCategory, StaffNoticeCreate, StaffNoticeDto } from '../../../shared/api/staff-notices.ts';
import { api } from '../../lib/api.ts';
import { placeName } from '../components/places/places.ts';
import { PlacesAndListState } from './places-list.svelte.ts';
import { fromLocalInput, nowLocalInput } from '../components/notices/dates.ts';

export { toLocalInput } from '../components/notices/dates.ts';

export interface NoticeDraft {
  title: string;
  body: string;
  category: NoticeCategory;
  scopeKind: 'estate' | 'building';
  placeId: string;
  /** `datetime-local` values (the browser's local time). */
  validFrom: string;
  validTo: string;
  publishAt: string;
  pinned: boolean;
  important: boolean;
}

export const emptyDraft = (): NoticeDraft => ({
  title: '',
  body: '',
  category: 'general',
  scopeKind: 'building',
  placeId: '',
  validFrom: nowLocalInput(),
  validTo: '',
  publishAt: '',
  pinned: false,
  important: false,
});

/**
 * The console's notice board (issue 5 item 4). Live `notice.*` events of the staff scope reload
 * the list, so a colleague's notice or a new read count shows without reload.
 */
class StaffNoticesState extends PlacesAndListState {
  notices = $state<StaffNoticeDto[]>([]);
  /** Polite confirmation for the status region. */
  done = $state('');

  load(): Promise<void> {
    return this.loadWithPlaces<{ notices: StaffNoticeDto[] }>('/staff/notices', (list) => {
      this.notices = list.notices;
    });
  }

  /** Who publishing a new notice would notify per channel, asked before it is sent (issue 15 item 8). */
  async reach(draft: NoticeDraft): Promise<BroadcastReachDto> {
    const scope = { kind: draft.scopeKind, ids: [draft.placeId] };
    return (
      await api.post<BroadcastReachResponse>('/staff/notices/reach', { scope, important: draft.important })
    ).reach;
  }

  /** Creates (no id) or edits; throws the ApiError for the form to show. */
  async save(draft: NoticeDraft, editingId: string | null): Promise<void> {
    const common = {
      title: draft.title,
      body: draft.body,
      category: draft.category,
      validFrom: fromLocalInput(draft.validFrom) ?? fromLocalInput(nowLocalInput())!,
      validTo: fromLocalInput(draft.validTo),
      pinned: draft.pinned,
      important: draft.important,
    };
    if (editingId) {
      const publishAt = fromLocalInput(draft.publishAt);
      await api.patch(`/staff/notices/${encodeURIComponent(editingId)}`, {
        ...common,
        ...(publishAt && { publishAt }),
      });
    } else {
      const body: StaffNoticeCreate = {
        ...common,
        scope: { kind: draft.scopeKind, ids: [draft.placeId] },
        publishAt: fromLocalInput(draft.publishAt),
      };
      await api.post('/staff/notices', body);
    }
    await this.load();
  }

  async remove(id: string): Promise<void> {
    await api.delete(`/staff/notices/${encodeURIComponent(id)}`);
    this.notices = this.notices.filter((notice) => notice.id !== id);
  }

  placeLabel(notice: Pick<StaffNoticeDto, 'scope'>): string {
    return placeName(this.places, notice.scope.ids[0]);
  }

  follow(): () => void {
    return this.reloadOn(['notice.published', 'notice.updated', 'notice.deleted']);
  }
}

export const staffNotices = new StaffNoticesState();
