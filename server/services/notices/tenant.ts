import {
  listCurrentNoticesForPlaces,
  listReadNoticeIds,
  markNoticeRead,
  type Notice,
  type NoticePlaces,
} from '../../../db/repositories/notices.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { notFound } from '../../lib/http-error.ts';
import { allBuildingIds, loadCustomerScope, type CustomerScope } from '../access.ts';

/** Where a customer's notices hang: their houses, quarters and units (rented or owned). */
export function noticePlacesOf(scope: CustomerScope): NoticePlaces {
  return {
    buildingIds: allBuildingIds(scope),
    estateIds: [...scope.estateIds],
    unitIds: [...new Set([...scope.tenantUnitIds, ...scope.ownedUnitIds])],
  };
}

async function currentNotices(deps: Deps, user: SessionUser): Promise<Notice[]> {
  return await listCurrentNoticesForPlaces(
    deps.db,
    noticePlacesOf(await loadCustomerScope(deps, user)),
    deps.now(),
  );
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** `GET /notices`: the board for the user's houses, quarters and units, pinned first, then newest. */
export async function listNotices(deps: Deps, user: SessionUser) {
  const rows = await currentNotices(deps, user);
  const read = await listReadNoticeIds(
    deps.db,
    user.id,
    rows.map((row) => row.id),
  );
  return rows.map((notice) => ({
    id: notice.id,
    scope: notice.scope,
    buildingId: notice.buildingId,
    estateId: notice.estateId,
    category: notice.category,
    title: notice.title,
    body: notice.body,
    validFrom: iso(notice.validFrom),
    validTo: iso(notice.validTo),
    publishedAt: notice.publishAt.toISOString(),
    pinned: notice.pinned,
    important: notice.important,
    read: read.has(notice.id),
  }));
}

/** `POST /notices/:id/read`: only a notice the user can currently see; others are 404. */
export async function readNotice(deps: Deps, user: SessionUser, noticeId: string): Promise<void> {
  if (!(await currentNotices(deps, user)).some((notice) => notice.id === noticeId)) throw notFound();
  await markNoticeRead(deps.db, noticeId, user.id, deps.now());
}
