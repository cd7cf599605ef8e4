import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_INCIDENT_TITLE, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { createTestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';

describe('incidents and notices for tenants', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  const session: Record<string, string> = {};
  afterAll(() => ctx.close());
  beforeAll(async () => {
    await seedDemo(ctx.deps);
    for (const who of ['tenant', 'owner'] as const)
      session[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
  });

  it('lists incidents of the building with updates and follows one', async () => {
    const res = await call(app, '/api/incidents', { cookie: session.tenant });
    expect(res.status).toBe(200);
    const { incidents } = (await res.json()) as {
      incidents: { id: string; title: string; following: boolean }[];
    };
    const water = incidents.find((i) => i.title === DEMO_INCIDENT_TITLE)!;
    expect(water.following).toBe(false);
    const follow = await call(app, `/api/incidents/${water.id}/follow`, {
      method: 'POST',
      cookie: session.tenant,
    });
    expect(follow.status).toBe(200);
    expect(await follow.json()).toMatchObject({ incident: { id: water.id, following: true } });
    expect(
      (await call(app, '/api/incidents/nope/follow', { method: 'POST', cookie: session.tenant })).status,
    ).toBe(404);
    expect(
      (await call(app, '/api/incidents/matching?contractId=nope', { cookie: session.tenant })).status,
    ).toBe(404);
    expect((await call(app, '/api/incidents/matching', { cookie: session.tenant })).status).toBe(400);
  });

  it('shows the current notices, pinned first, and marks one read', async () => {
    const res = await call(app, '/api/notices', { cookie: session.tenant });
    const { notices } = (await res.json()) as { notices: { id: string; pinned: boolean; read: boolean }[] };
    expect(notices.length).toBeGreaterThan(0);
    expect(notices[0]!.pinned).toBe(true);
    const read = await call(app, `/api/notices/${notices[0]!.id}/read`, {
      method: 'POST',
      cookie: session.tenant,
    });
    expect(read.status).toBe(200);
    const again = (await (await call(app, '/api/notices', { cookie: session.tenant })).json()) as {
      notices: { id: string; read: boolean }[];
    };
    expect(again.notices.find((n) => n.id === notices[0]!.id)?.read).toBe(true);
    expect(
      (await call(app, '/api/notices/nope/read', { method: 'POST', cookie: session.tenant })).status,
    ).toBe(404);
  });
});
