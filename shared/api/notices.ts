import type { NoticeCategory } from './staff-notices.ts';

export type { NoticeCategory };

/**
 * A notice of the board (seed 001 "schwarzes Brett") as `GET /api/notices` returns it to a tenant,
 * pinned first, then newest; `read` after `POST /api/notices/:id/read`. Types only (no zod at run time).
 * server/services/notices/tenant.ts builds this shape; it may import the type from here.
 */
export interface NoticeDto {
  id: string;
  scope: 'estate' | 'building' | 'units';
  category: NoticeCategory;
  title: string;
  body: string;
  validFrom: string | null;
  validTo: string | null;
  publishedAt: string;
  pinned: boolean;
  important: boolean;
  read: boolean;
}

export interface NoticeListResponse {
  notices: NoticeDto[];
}
