import {
  countNoticeReads,
  findBuildingPlace,
  findEstate,
  findNotice,
  insertNotice,
  insertNoticeUnits,
  listDueUnannouncedNotices,
  listNoticesForStaff,
  listPlacesOfUnits,
  listStaffPlaces,
  listUnitIdsOfNotices,
  markNoticeAnnounced,
  updateNotice,
  type Notice,
} from '../../../db/repositories/notices.ts';
import { listUserIdsInPlaces } from '../../../db/repositories/notifications.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { BroadcastReachDto } from '../../../shared/api/broadcast-reach.ts';
import type {
  NoticeScopeInput,
  StaffNoticeCreate,
  StaffNoticeDto,
  StaffNoticePatch,
  StaffNoticeReach,
  StaffPlacesDto,
} from '../../../shared/api/staff-notices.ts';
import type { Deps } from '../../deps.ts';
import { placeFilterOf, type AddressedPlace } from '../../events/domain-events.ts';
import type { SessionUser } from '../../lib/context.ts';
import { todayIn } from '../../lib/dates.ts';
import { badRequest, notFound } from '../../domain/errors.ts';
import { noticeAudience } from '../../notify/domain.ts';
import { unitOfWork, type UnitOfWork } from '../../unit-of-work/index.ts';
import { countDeliveries } from '../../notify/outbox.ts';
import { loadStaffScope, staffScopeCovers } from '../tickets/index.ts';
import type { StaffScopeFilter } from '../../../db/repositories/tickets.ts';
import { runPeriodically } from '../../lib/periodic.ts';

/** A place a staff member addresses: the projector picks rooms and the audience from it. */
export type StaffPlace = AddressedPlace;

export { placeFilterOf };

const coversEstate = (scope: StaffScopeFilter, estateId: string) =>
  scope.estateIds === null || scope.buildingIds === null || scope.estateIds.includes(estateId);

/**
 * Resolves and authorizes a scope of the console. A place outside the staff member's teams answers
 * 404 like a missing id (API.md "404 not found or not yours"); an estate needs the whole estate in
 * scope, units must lie in one building (the notice row holds one building).
 */
export async function resolveStaffPlace(
  db: DbOrTx,
  scope: StaffScopeFilter,
  input: NoticeScopeInput,
): Promise<StaffPlace> {
  if (input.kind === 'estate') {
    const estateId = input.ids[0]!;
    if (!(await findEstate(db, estateId)) || !coversEstate(scope, estateId)) throw notFound();
    return { kind: 'estate', estateId, buildingId: null, unitIds: [] };
  }
  if (input.kind === 'building') {
    const building = await findBuildingPlace(db, input.ids[0]!);
    if (!building || !staffScopeCovers(scope, { buildingId: building.id, estateId: building.estateId }))
      throw notFound();
    return { kind: 'building', estateId: null, buildingId: building.id, unitIds: [] };
  }
  const unitIds = [...new Set(input.ids)];
  const places = await listPlacesOfUnits(db, unitIds);
  if (places.length !== unitIds.length) throw notFound();
  if (!places.every((p) => staffScopeCovers(scope, p))) throw notFound();
  const buildingIds = new Set(places.map((p) => p.buildingId));
  if (buildingIds.size !== 1)
    throw badRequest('validation_failed', 'Choose units of one building.', {
      'scope.ids': 'validation_one_building',
    });
  return { kind: 'units', estateId: null, buildingId: places[0]!.buildingId, unitIds };
}

function placeOfNotice(notice: Notice, unitIds: string[]): StaffPlace {
  return { kind: notice.scope, estateId: notice.estateId, buildingId: notice.buildingId, unitIds };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * Announces a notice whose time has come, once: the projector writes the live event to its rooms
 * and the outbox rows. False when it was announced already.
 */
async function announce(uow: UnitOfWork, notice: Notice, place: StaffPlace, now: Date): Promise<boolean> {
  if (!(await markNoticeAnnounced(uow.tx, notice.id, now))) return false;
  uow.record({ type: 'notice.published', notice, place, at: now });
  return true;
}

/** Loads a notice the staff member may manage; others' and deleted ones are 404. */
async function manageableNotice(deps: Deps, user: SessionUser, noticeId: string) {
  const notice = await findNotice(deps.db, noticeId);
  if (!notice || notice.deletedAt) throw notFound();
  const unitIds = (await listUnitIdsOfNotices(deps.db, [notice.id])).get(notice.id) ?? [];
  const scope = await loadStaffScope(deps.db, user);
  const covered =
    notice.scope === 'estate'
      ? notice.estateId !== null && coversEstate(scope, notice.estateId)
      : notice.buildingId !== null &&
        staffScopeCovers(scope, {
          buildingId: notice.buildingId,
          estateId: (await findBuildingPlace(deps.db, notice.buildingId))?.estateId ?? null,
        });
  if (!covered) throw notFound();
  return { notice, place: placeOfNotice(notice, unitIds) };
}

async function toDtos(deps: Deps, rows: Notice[]): Promise<StaffNoticeDto[]> {
  const ids = rows.map((row) => row.id);
  const reads = await countNoticeReads(deps.db, ids);
  const unitsOf = await listUnitIdsOfNotices(deps.db, ids);
  const today = todayIn(deps.config.timeZone, deps.now());
  // Audience per distinct place, not per notice: a board has many notices on few houses.
  const audience = new Map<string, number>();
  const now = deps.now();
  const dtos: StaffNoticeDto[] = [];
  for (const notice of rows) {
    const place = placeOfNotice(notice, unitsOf.get(notice.id) ?? []);
    const key = `${place.kind}:${place.estateId ?? place.buildingId}:${place.unitIds.join(',')}`;
    if (!audience.has(key))
      audience.set(key, (await listUserIdsInPlaces(deps.db, placeFilterOf(place), today)).length);
    dtos.push({
      id: notice.id,
      title: notice.title,
      body: notice.body,
      category: notice.category,
      scope: {
        kind: notice.scope,
        ids:
          notice.scope === 'units'
            ? place.unitIds
            : [(notice.scope === 'estate' ? notice.estateId : notice.buildingId) ?? ''],
      },
      buildingId: notice.buildingId,
      estateId: notice.estateId,
      validFrom: iso(notice.validFrom),
      validTo: iso(notice.validTo),
      publishAt: notice.publishAt.toISOString(),
      published: notice.publishAt <= now,
      pinned: notice.pinned,
      important: notice.important,
      createdAt: notice.createdAt.toISOString(),
      updatedAt: iso(notice.updatedAt),
      readCount: reads.get(notice.id) ?? 0,
      audienceCount: audience.get(key)!,
    });
  }
  return dtos;
}

/** `GET /staff/notices`: every live or scheduled notice in scope, with read counts. */
export async function listStaffNotices(deps: Deps, user: SessionUser): Promise<StaffNoticeDto[]> {
  return await toDtos(deps, await listNoticesForStaff(deps.db, await loadStaffScope(deps.db, user)));
}

/** `GET /staff/notices/places`: the estates and buildings the scope picker offers. */
export async function listPlacesForStaff(deps: Deps, user: SessionUser): Promise<StaffPlacesDto> {
  return await listStaffPlaces(deps.db, await loadStaffScope(deps.db, user));
}

/**
 * `POST /staff/notices/reach`: how many people publishing would notify per channel, by the same
 * selection `announce` queues with (at this moment: the hourly push throttle counts as of now).
 * A place outside the scope is 404.
 */
export async function countNoticeReach(
  deps: Deps,
  user: SessionUser,
  input: StaffNoticeReach,
): Promise<BroadcastReachDto> {
  const place = await resolveStaffPlace(deps.db, await loadStaffScope(deps.db, user), input.scope);
  return await countDeliveries(
    deps.db,
    await noticeAudience(deps.db, {
      important: input.important,
      scope: placeFilterOf(place),
      now: deps.now(),
      timeZone: deps.config.timeZone,
    }),
  );
}

/**
 * `POST /staff/notices`. Published now: the `notice.published` event and the notification rows
 * commit with the notice (outbox); important ones push every time, normal ones follow the
 * outbox's hourly throttle. Scheduled: announced by `publishDueNotices` when due.
 */
export async function createStaffNotice(
  deps: Deps,
  user: SessionUser,
  input: StaffNoticeCreate,
): Promise<StaffNoticeDto> {
  const place = await resolveStaffPlace(deps.db, await loadStaffScope(deps.db, user), input.scope);
  const now = deps.now();
  const publishAt = input.publishAt && new Date(input.publishAt) > now ? new Date(input.publishAt) : now;
  const notice = await unitOfWork(deps, async (uow) => {
    const { tx } = uow;
    const notice = await insertNotice(tx, {
      scope: place.kind,
      estateId: place.estateId,
      buildingId: place.buildingId,
      category: input.category,
      title: input.title,
      body: input.body,
      validFrom: new Date(input.validFrom),
      validTo: input.validTo ? new Date(input.validTo) : null,
      publishAt,
      pinned: input.pinned,
      important: input.important,
      createdByUserId: user.id,
      createdAt: now,
    });
    await insertNoticeUnits(tx, notice.id, place.unitIds);
    if (publishAt <= now) await announce(uow, notice, place, now);
    return (await findNotice(tx, notice.id))!;
  });
  return (await toDtos(deps, [notice]))[0]!;
}

/** `PATCH /staff/notices/:id`: boards refresh (`notice.updated`), nobody is notified again. */
export async function patchStaffNotice(
  deps: Deps,
  user: SessionUser,
  noticeId: string,
  patch: StaffNoticePatch,
): Promise<StaffNoticeDto> {
  const { notice, place } = await manageableNotice(deps, user, noticeId);
  const validFrom = patch.validFrom ? new Date(patch.validFrom) : notice.validFrom;
  const validTo =
    patch.validTo === undefined ? notice.validTo : patch.validTo ? new Date(patch.validTo) : null;
  if (validFrom && validTo && validTo <= validFrom)
    throw badRequest('validation_failed', 'The end lies before the start.', {
      validTo: 'validation_valid_to_before_from',
    });
  const now = deps.now();
  const updated = await unitOfWork(deps, async ({ tx, record }) => {
    const updated = await updateNotice(tx, notice.id, {
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.body !== undefined && { body: patch.body }),
      ...(patch.category !== undefined && { category: patch.category }),
      ...(patch.pinned !== undefined && { pinned: patch.pinned }),
      ...(patch.important !== undefined && { important: patch.important }),
      // An announced notice keeps its publication time: moving it would not announce it again.
      ...(patch.publishAt !== undefined && !notice.announcedAt && { publishAt: new Date(patch.publishAt) }),
      validFrom,
      validTo,
      updatedAt: now,
    });
    if (notice.announcedAt) record({ type: 'notice.updated', notice: updated, place });
    return updated;
  });
  return (await toDtos(deps, [updated]))[0]!;
}

/** `DELETE /staff/notices/:id`: soft delete; open boards drop it live (`notice.deleted`). */
export async function deleteStaffNotice(deps: Deps, user: SessionUser, noticeId: string): Promise<void> {
  const { notice, place } = await manageableNotice(deps, user, noticeId);
  const now = deps.now();
  await unitOfWork(deps, async ({ tx, record }) => {
    await updateNotice(tx, notice.id, { deletedAt: now, updatedAt: now });
    if (notice.announcedAt) record({ type: 'notice.deleted', notice, place });
  });
}

/**
 * The scheduler tick: announces every scheduled notice that came due (one unit of work each, so
 * one failure does not hold back the others). Safe to run from several places: the announcement
 * is claimed with a conditional update. Returns how many were announced.
 */
export async function publishDueNotices(deps: Deps): Promise<number> {
  const now = deps.now();
  const due = await listDueUnannouncedNotices(deps.db, now);
  const unitsOf = await listUnitIdsOfNotices(
    deps.db,
    due.filter((n) => n.scope === 'units').map((n) => n.id),
  );
  let announced = 0;
  for (const notice of due) {
    const place = placeOfNotice(notice, unitsOf.get(notice.id) ?? []);
    if (await unitOfWork(deps, async (uow) => await announce(uow, notice, place, now))) announced++;
  }
  return announced;
}

/** Runs `publishDueNotices` on an interval (server/main.ts, beside the outbox worker). */
export function startNoticeScheduler(deps: Deps, intervalMs = 30_000): () => void {
  return runPeriodically(deps, 'notice scheduler', intervalMs, async () => {
    await publishDueNotices(deps);
  });
}
