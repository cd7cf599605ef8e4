import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { listAuditEntriesFor } from '../../db/repositories/audit.ts';
import { putSetting } from '../../db/repositories/settings.ts';
import {
  insertPushSubscription,
  listPushSubscriptionsOfUser,
} from '../../db/repositories/push-subscriptions.ts';
import { createApp, type App } from '../../server/app.ts';
import type {
  NotificationPreferencesResponse,
  ProfileResponse,
  PushSubscriptionListResponse,
} from '../../shared/api/profile.ts';

let ctx: TestWorld;
let app: App;
let erika: string;

beforeAll(async () => {
  ctx = await createTestWorld();
  await seedDemo(ctx.deps);
  app = createApp(ctx.deps);
  erika = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
});
afterAll(() => ctx.close());

const accountOf = async (login: string) => (await findAccountByLoginEmail(ctx.deps.db, login))!;
const codeOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; fields?: object } }).error;

describe('/api/profile', () => {
  it('shows the person with all contact fields editable by default', async () => {
    const res = await call(app, '/api/profile', { cookie: erika });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ProfileResponse;
    expect(body.person.firstName).toBe('Erika');
    expect(body.person.customerNumber).toBe((await accountOf(DEMO_LOGINS.tenant)).person.customerNumber);
    expect(body.editable).toEqual({ email: true, phone: true, mobile: true });
  });

  it('changes phone, mobile and contact e-mail (not the login) and audits it', async () => {
    const res = await call(app, '/api/profile', {
      method: 'PATCH',
      cookie: erika,
      json: { phone: '+49 (30) 555-0101', mobile: '0151 555 0102', email: 'Erika.Kontakt@Example.org' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ProfileResponse;
    expect(body.person).toMatchObject({
      phone: '+49305550101',
      mobile: '01515550102',
      email: 'erika.kontakt@example.org',
    });
    const { user, person } = await accountOf(DEMO_LOGINS.tenant);
    expect(user.loginEmail).toBe(DEMO_LOGINS.tenant);
    expect(person.phone).toBe('+49305550101');
    const [entry] = await listAuditEntriesFor(ctx.deps.db, 'person', person.id);
    expect(entry?.action).toBe('person.contact_updated');
  });

  it('refuses a bad phone number with 400 and changes nothing, not even the valid fields', async () => {
    const before = (await accountOf(DEMO_LOGINS.tenant)).person;
    const res = await call(app, '/api/profile', {
      method: 'PATCH',
      cookie: erika,
      json: { mobile: '+49 170 1234567', phone: '12ab' },
    });
    expect(res.status).toBe(400);
    const error = await codeOf(res);
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toHaveProperty('phone');
    const after = (await accountOf(DEMO_LOGINS.tenant)).person;
    expect({ phone: after.phone, mobile: after.mobile }).toEqual({
      phone: before.phone,
      mobile: before.mobile,
    });
    for (const json of [{ phone: '12345' }, { email: 'not-an-address' }, { unknown: 1 }]) {
      expect((await call(app, '/api/profile', { method: 'PATCH', cookie: erika, json })).status).toBe(400);
    }
  });

  it('answers 403 field_locked for a field the ERP masters', async () => {
    await putSetting(ctx.deps.db, 'profile.editableFields', ['phone', 'mobile'], new Date());
    try {
      const profile = (await (await call(app, '/api/profile', { cookie: erika })).json()) as ProfileResponse;
      expect(profile.editable.email).toBe(false);
      const before = (await accountOf(DEMO_LOGINS.tenant)).person;
      const res = await call(app, '/api/profile', {
        method: 'PATCH',
        cookie: erika,
        json: { phone: '+49 30 5550199', email: 'other@example.org' },
      });
      expect(res.status).toBe(403);
      expect((await codeOf(res)).code).toBe('field_locked');
      expect((await accountOf(DEMO_LOGINS.tenant)).person.phone).toBe(before.phone);
    } finally {
      await putSetting(ctx.deps.db, 'profile.editableFields', ['phone', 'mobile', 'email'], new Date());
    }
  });

  it('lets a read-only household member change their own contact data', async () => {
    const jonas = await loginAs(app, DEMO_LOGINS.householdMember, DEMO_PASSWORD);
    const res = await call(app, '/api/profile', {
      method: 'PATCH',
      cookie: jonas,
      json: { mobile: '+46 70 123 45 67' },
    });
    expect(res.status).toBe(200);
  });

  it('refuses staff with 403 forbidden', async () => {
    const staff = await loginAs(app, DEMO_LOGINS.staff, DEMO_PASSWORD);
    const res = await call(app, '/api/profile', { cookie: staff });
    expect(res.status).toBe(403);
    expect((await codeOf(res)).code).toBe('forbidden');
  });
});

describe('/api/settings/notifications', () => {
  it('starts from the defaults and round-trips a changed map', async () => {
    const res = await call(app, '/api/settings/notifications', { cookie: erika });
    const initial = (await res.json()) as NotificationPreferencesResponse;
    expect(initial.categories).toEqual(['documents', 'ticket_replies', 'notices', 'incidents']);
    expect(initial.channels).toEqual(['email', 'push', 'sms', 'post']);
    // SMS only when chosen (emergencies text regardless, see server/notify/recipients.ts).
    expect(initial.preferences.incidents).toEqual({ email: true, push: true, sms: false, post: false });
    expect(initial.preferences.notices).toEqual({ email: true, push: true, sms: false, post: false });
    expect(initial.preferences.documents).toEqual({ email: true, push: false, sms: false, post: false });

    const changed = structuredClone(initial);
    changed.preferences.documents = { email: false, push: true, sms: false, post: true };
    const put = await call(app, '/api/settings/notifications', {
      method: 'PUT',
      cookie: erika,
      json: changed,
    });
    expect(put.status).toBe(200);
    const again = (await (
      await call(app, '/api/settings/notifications', { cookie: erika })
    ).json()) as NotificationPreferencesResponse;
    expect(again.preferences).toEqual(changed.preferences);

    const incomplete = await call(app, '/api/settings/notifications', {
      method: 'PUT',
      cookie: erika,
      json: { preferences: { documents: { email: true } } },
    });
    expect(incomplete.status).toBe(400);
  });
});

describe('/api/push/subscriptions', () => {
  it("lists and deletes the user's own devices; another user's id is 404", async () => {
    const erikaId = (await accountOf(DEMO_LOGINS.tenant)).user.id;
    const neighbourId = (await accountOf(DEMO_LOGINS.neighbour)).user.id;
    const device = (userId: string, n: number) => ({
      userId,
      endpoint: `https://push.example.org/${userId}/${n}`,
      p256dh: 'key',
      auth: 'auth',
      userAgent: `Browser ${n}`,
    });
    await insertPushSubscription(ctx.deps.db, device(erikaId, 1));
    await insertPushSubscription(ctx.deps.db, device(erikaId, 2));
    await insertPushSubscription(ctx.deps.db, device(neighbourId, 3));

    const list = (await (
      await call(app, '/api/push/subscriptions', { cookie: erika })
    ).json()) as PushSubscriptionListResponse;
    expect(list.subscriptions).toHaveLength(2);
    const [neighbourDevice] = await listPushSubscriptionsOfUser(ctx.deps.db, neighbourId);
    const foreign = await call(app, `/api/push/subscriptions/${neighbourDevice!.id}`, {
      method: 'DELETE',
      cookie: erika,
    });
    expect(foreign.status).toBe(404);

    const one = await call(app, `/api/push/subscriptions/${list.subscriptions[0]!.id}`, {
      method: 'DELETE',
      cookie: erika,
    });
    expect(await one.json()).toEqual({ deleted: 1 });
    const all = await call(app, '/api/push/subscriptions', { method: 'DELETE', cookie: erika });
    expect(await all.json()).toEqual({ deleted: 1 });
    expect(await listPushSubscriptionsOfUser(ctx.deps.db, erikaId)).toHaveLength(0);
    expect(await listPushSubscriptionsOfUser(ctx.deps.db, neighbourId)).toHaveLength(1);
  });
});
