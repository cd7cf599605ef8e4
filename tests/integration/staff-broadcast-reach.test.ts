import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { listContractPlacementsOfPerson } from '../../db/repositories/access.ts';
import { updatePersonContact } from '../../db/repositories/persons.ts';
import { insertPushSubscription } from '../../db/repositories/push-subscriptions.ts';
import type { BroadcastReachDto } from '../../shared/api/broadcast-reach.ts';
import { call } from '../helpers/auth.ts';
import { malmoBuildingId } from '../helpers/demo-places.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { notificationPreferences, notifications, users } = testTables;

/**
 * Issue 15 item 8: "publish and notify" first says how many people get mail, push and SMS. The
 * count and the send share one recipient selection, so the count must equal the outbox rows the
 * send then writes, channel by channel, whatever the recipients chose.
 */
describe('broadcast reach before publishing', async () => {
  let now = new Date('2026-03-02T09:00:00Z');
  const { app, db, session } = await staffWorld(['staff', 'staffMalmo', 'tenant'], {
    configure: (deps) => (deps.now = () => now),
  });

  const account = async (login: string) =>
    (
      await db
        .select({ personId: users.personId, id: users.id })
        .from(users)
        .where(eq(users.loginEmail, login))
    )[0]!;
  const berlinBuilding = async () =>
    (await listContractPlacementsOfPerson(db, (await account(DEMO_LOGINS.tenant)).personId))[0]!.buildingId;
  const malmoBuilding = () => malmoBuildingId(db);
  const post = (who: string, path: string, json: unknown) =>
    call(app, `/api/staff${path}`, { cookie: session[who], json });
  const reachOf = async (who: string, path: string, json: unknown) => {
    const res = await post(who, path, json);
    expect(res.status).toBe(200);
    return ((await res.json()) as { reach: BroadcastReachDto }).reach;
  };
  /** Outbox rows of one template per channel, and the people they go to. */
  const outbox = async (template: string) => {
    const rows = await db
      .select({ id: notifications.id, channel: notifications.channel, userId: notifications.userId })
      .from(notifications)
      .where(eq(notifications.template, template));
    const count = (channel: string) => rows.filter((row) => row.channel === channel).length;
    return {
      email: count('email'),
      push: count('push'),
      sms: count('sms'),
      rows,
    };
  };
  const delta = (after: Awaited<ReturnType<typeof outbox>>, before: Awaited<ReturnType<typeof outbox>>) => ({
    email: after.email - before.email,
    push: after.push - before.push,
    sms: after.sms - before.sms,
  });
  /** The people the rows queued between `before` and `after` go to. */
  const newUsers = (
    after: Awaited<ReturnType<typeof outbox>>,
    before: Awaited<ReturnType<typeof outbox>>,
  ) => {
    const seen = new Set(before.rows.map((row) => row.id));
    return new Set(after.rows.filter((row) => !seen.has(row.id)).map((row) => row.userId));
  };

  // Varied choices in the house, so a count that ignored them would differ from the send.
  async function varyChoices() {
    const tenant = await account(DEMO_LOGINS.tenant);
    const neighbour = await account(DEMO_LOGINS.neighbour);
    await updatePersonContact(db, tenant.personId, { mobile: '+491701234567' }, now);
    await updatePersonContact(db, neighbour.personId, { mobile: '+491707654321' }, now);
    await insertPushSubscription(db, {
      userId: tenant.id,
      endpoint: 'https://push.example.test/reach-tenant',
      p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
      auth: 'tBHItJI5svbpez7KI4CCXg',
      createdAt: now,
    });
    // The neighbour wants no incident mail and no notice mail, but notices by SMS.
    await db.insert(notificationPreferences).values([
      { userId: neighbour.id, category: 'incidents', channel: 'email', enabled: false },
      { userId: neighbour.id, category: 'notices', channel: 'email', enabled: false },
      { userId: neighbour.id, category: 'notices', channel: 'sms', enabled: true },
    ]);
  }

  it('counts per channel exactly what publishing an incident then queues', async () => {
    await varyChoices();
    const scope = { kind: 'building', ids: [await berlinBuilding()] };
    for (const kind of ['planned', 'emergency'] as const) {
      const reach = await reachOf('staff', '/incidents/reach', { kind, scope });
      const before = await outbox('incident_published');
      const res = await post('staff', '/incidents', {
        title: `Wasser ${kind}`,
        body: 'Abgestellt.',
        kind,
        scope,
      });
      expect(res.status).toBe(201);
      const after = await outbox('incident_published');
      expect(delta(after, before)).toEqual({ email: reach.email, push: reach.push, sms: reach.sms });
      expect(reach.people).toBeGreaterThanOrEqual(newUsers(after, before).size);
      // An emergency texts and pushes regardless of choices; a planned one texts nobody here.
      if (kind === 'emergency') expect(reach.sms).toBeGreaterThanOrEqual(2);
      else expect(reach.sms).toBe(0);
      expect(reach.push).toBeGreaterThanOrEqual(1);
    }
  });

  it('counts notices with their choices and the hourly push throttle', async () => {
    const scope = { kind: 'building', ids: [await berlinBuilding()] };
    const notice = (title: string, important: boolean) => ({
      title,
      body: 'Am Montag wird das Treppenhaus gereinigt.',
      category: 'cleaning',
      scope,
      validFrom: now.toISOString(),
      important,
    });
    for (const [title, important] of [
      ['Erste', false],
      // Within the hour: a normal notice no longer pushes to whoever got the first one.
      ['Zweite', false],
      ['Wichtig', true],
    ] as const) {
      const reach = await reachOf('staff', '/notices/reach', { scope, important });
      const before = await outbox('notice_published');
      expect((await post('staff', '/notices', notice(title, important))).status).toBe(201);
      expect(delta(await outbox('notice_published'), before)).toEqual({
        email: reach.email,
        push: reach.push,
        sms: reach.sms,
      });
      if (title === 'Zweite') expect(reach.push).toBe(0);
      if (title === 'Wichtig') expect(reach.push).toBeGreaterThanOrEqual(1);
      expect(reach.sms).toBeGreaterThanOrEqual(1);
      now = new Date(now.getTime() + 60_000);
    }
  });

  it('answers 404 for a place outside the scope or unknown, 400 for a bad request', async () => {
    const berlin = { kind: 'building', ids: [await berlinBuilding()] };
    const countAll = async () =>
      Number((await db.select({ n: sql<number>`count(*)` }).from(notifications))[0]!.n);
    const before = await countAll();
    expect((await post('staffMalmo', '/incidents/reach', { kind: 'emergency', scope: berlin })).status).toBe(
      404,
    );
    expect((await post('staffMalmo', '/notices/reach', { scope: berlin })).status).toBe(404);
    const unknown = { kind: 'building', ids: ['no-such-building'] };
    expect((await post('staff', '/incidents/reach', { kind: 'planned', scope: unknown })).status).toBe(404);
    expect((await post('staff', '/notices/reach', { scope: unknown })).status).toBe(404);
    const malmo = { kind: 'building', ids: [await malmoBuilding()] };
    expect((await reachOf('staffMalmo', '/incidents/reach', { kind: 'planned', scope: malmo })).people).toBe(
      (await reachOf('staff', '/incidents/reach', { kind: 'planned', scope: malmo })).people,
    );
    for (const [path, json] of [
      ['/incidents/reach', { kind: 'disaster', scope: berlin }],
      ['/incidents/reach', { kind: 'planned', scope: { kind: 'units', ids: ['u'] } }],
      ['/incidents/reach', { kind: 'planned' }],
      ['/notices/reach', { scope: { kind: 'building', ids: [] } }],
      ['/notices/reach', { scope: berlin, important: 'yes' }],
    ] as const) {
      const res = await post('staff', path, json);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
    }
    expect((await post('tenant', '/incidents/reach', { kind: 'planned', scope: berlin })).status).toBe(403);
    // Counting never sends.
    expect(await countAll()).toBe(before);
  });
});
