import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { listContractPlacementsOfPerson } from '../../db/repositories/access.ts';
import { publishDueNotices } from '../../server/services/notices/staff.ts';
import type { StaffNoticeDto, StaffPlacesDto } from '../../shared/api/staff-notices.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';
import { LiveClient, startLiveServer, waitFor, type LiveServer } from '../helpers/live.ts';

const { buildings, estates, notices, notifications, units, users } = testTables;

describe('staff notice board', async () => {
  let now = new Date('2026-03-02T09:00:00Z');
  const { ctx, app, db, session } = await staffWorld(
    ['tenant', 'neighbour', 'owner', 'staff', 'staffMalmo'],
    {
      configure: (deps) => (deps.now = () => now),
    },
  );
  let live: LiveServer;
  afterAll(() => live.close());
  beforeAll(async () => {
    live = await startLiveServer(ctx.deps);
  });

  const personOf = async (login: string) =>
    (
      await db
        .select({ personId: users.personId, id: users.id })
        .from(users)
        .where(eq(users.loginEmail, login))
    )[0]!;
  const tenantBuilding = async () =>
    (await listContractPlacementsOfPerson(db, (await personOf(DEMO_LOGINS.tenant)).personId))[0]!;
  const berlinEstate = async () => (await tenantBuilding()).estateId;
  const malmoBuilding = async () =>
    (
      await db
        .select({ id: buildings.id, estateId: buildings.estateId })
        .from(buildings)
        .innerJoin(estates, eq(estates.id, buildings.estateId))
        .where(eq(estates.country, 'SE'))
    )[0]!;
  const body = async (over: Record<string, unknown> = {}) => ({
    title: 'Treppenhausreinigung',
    body: 'Am Montag wird das Treppenhaus gereinigt.',
    category: 'cleaning',
    scope: { kind: 'building', ids: [(await tenantBuilding()).buildingId] },
    validFrom: now.toISOString(),
    pinned: false,
    important: false,
    ...over,
  });
  const create = (who: string, json: unknown) =>
    call(app, '/api/staff/notices', { cookie: session[who], json });
  const created = async (json: unknown) => {
    const res = await create('staff', json);
    expect(res.status).toBe(201);
    return ((await res.json()) as { notice: StaffNoticeDto }).notice;
  };
  const board = async (who: string) =>
    (
      (await (await call(app, '/api/notices', { cookie: session[who] })).json()) as {
        notices: { id: string }[];
      }
    ).notices;

  it('publishes live to the building, not to tenants of another building, and drops it live on delete', async () => {
    const inBuilding = new LiveClient(live.url, session.neighbour!);
    const elsewhere = new LiveClient(live.url, session.owner!);
    await inBuilding.connect();
    await elsewhere.connect();

    const notice = await created(await body());
    expect(notice).toMatchObject({ published: true, readCount: 0, scope: { kind: 'building' } });
    expect(notice.audienceCount).toBeGreaterThan(1);
    await waitFor(() => inBuilding.ofType('notice.published').length === 1, 5000, 'notice.published');
    expect(inBuilding.ofType('notice.published')[0]!.data).toMatchObject({ noticeId: notice.id });
    expect((await board('neighbour')).map((n) => n.id)).toContain(notice.id);

    // Read counts: the tenant opens it.
    expect(
      (await call(app, `/api/notices/${notice.id}/read`, { cookie: session.tenant, method: 'POST' })).status,
    ).toBeLessThan(300);
    const listed = (
      (await (await call(app, '/api/staff/notices', { cookie: session.staff })).json()) as {
        notices: StaffNoticeDto[];
      }
    ).notices.find((n) => n.id === notice.id)!;
    expect(listed.readCount).toBe(1);

    const patched = await call(app, `/api/staff/notices/${notice.id}`, {
      method: 'PATCH',
      cookie: session.staff,
      json: { title: 'Treppenhausreinigung (verschoben)', pinned: true },
    });
    expect(patched.status).toBe(200);
    await waitFor(() => inBuilding.ofType('notice.updated').length === 1, 5000, 'notice.updated');

    const deleted = await call(app, `/api/staff/notices/${notice.id}`, {
      method: 'DELETE',
      cookie: session.staff,
    });
    expect(deleted.status).toBe(204);
    await waitFor(() => inBuilding.ofType('notice.deleted').length === 1, 5000, 'notice.deleted');
    expect((await board('neighbour')).map((n) => n.id)).not.toContain(notice.id);
    // The owner of Musterstraße 5 heard nothing of Musterstraße 1's board.
    expect(elsewhere.events.filter((e) => e.type.startsWith('notice.'))).toEqual([]);
    inBuilding.disconnect();
    elsewhere.disconnect();
  });

  it('editing does not notify again; important notices push to everyone in scope via the outbox', async () => {
    const count = async () =>
      (await db.select().from(notifications).where(eq(notifications.category, 'notices'))).length;
    const before = await count();
    const notice = await created(await body({ important: true, title: 'Gasgeruch: bitte lüften' }));
    const afterCreate = await count();
    expect(afterCreate).toBeGreaterThan(before);
    await call(app, `/api/staff/notices/${notice.id}`, {
      method: 'PATCH',
      cookie: session.staff,
      json: { body: 'Der Netzbetreiber ist informiert.' },
    });
    expect(await count()).toBe(afterCreate);
  });

  it('schedules: nothing before publishAt, then publishDueNotices announces it once', async () => {
    const publishAt = new Date(now.getTime() + 3_600_000).toISOString();
    const notice = await created(await body({ title: 'Sommerfest', category: 'event', publishAt }));
    expect(notice.published).toBe(false);
    expect((await board('tenant')).map((n) => n.id)).not.toContain(notice.id);
    expect(await publishDueNotices(ctx.deps)).toBe(0);
    now = new Date(now.getTime() + 2 * 3_600_000);
    expect(await publishDueNotices(ctx.deps)).toBe(1);
    expect(await publishDueNotices(ctx.deps)).toBe(0);
    expect((await db.select().from(notices).where(eq(notices.id, notice.id)))[0]!.announcedAt).not.toBeNull();
    expect((await board('tenant')).map((n) => n.id)).toContain(notice.id);
  });

  it('keeps Malmö staff to Malmö: no Berlin notices, no Berlin places, 404 on Berlin ids', async () => {
    const berlin = await created(await body({ title: 'Nur Berlin' }));
    const malmoList = (
      (await (await call(app, '/api/staff/notices', { cookie: session.staffMalmo })).json()) as {
        notices: StaffNoticeDto[];
      }
    ).notices;
    expect(malmoList.map((n) => n.id)).not.toContain(berlin.id);
    const places = (await (
      await call(app, '/api/staff/notices/places', { cookie: session.staffMalmo })
    ).json()) as StaffPlacesDto;
    expect(places.buildings.map((b) => b.id)).toEqual([(await malmoBuilding()).id]);

    for (const scope of [
      { kind: 'building', ids: [(await tenantBuilding()).buildingId] },
      { kind: 'estate', ids: [await berlinEstate()] },
      { kind: 'units', ids: [(await tenantBuilding()).unitId] },
      { kind: 'building', ids: ['no-such-building'] },
    ]) {
      const res = await create('staffMalmo', await body({ scope }));
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    for (const [method, json] of [
      ['PATCH', { title: 'x' }],
      ['DELETE', undefined],
    ] as const) {
      const res = await call(app, `/api/staff/notices/${berlin.id}`, {
        method,
        json,
        cookie: session.staffMalmo,
      });
      expect(res.status).toBe(404);
    }
    const own = await create(
      'staffMalmo',
      await body({ scope: { kind: 'building', ids: [(await malmoBuilding()).id] } }),
    );
    expect(own.status).toBe(201);
  });

  it('refuses tenants and bad input with a code', async () => {
    expect((await create('tenant', await body())).status).toBe(403);
    for (const bad of [
      await body({ title: '' }),
      await body({ category: 'party' }),
      await body({ scope: { kind: 'building', ids: [] } }),
      await body({ scope: { kind: 'estate', ids: ['a', 'b'] } }),
      await body({ validTo: new Date(now.getTime() - 1000).toISOString() }),
      await body({ validFrom: 'tomorrow' }),
      await body({ attachmentIds: ['x'] }),
      { ...(await body()), extra: 1 },
    ]) {
      const res = await create('staff', bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    const units2 = (await db.select({ id: units.id }).from(units)).map((u) => u.id);
    const mixed = await create('staff', await body({ scope: { kind: 'units', ids: units2 } }));
    expect(mixed.status).toBe(400);
  });
});
