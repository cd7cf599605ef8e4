import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { listContractPlacementsOfPerson } from '../../db/repositories/access.ts';
import { updatePersonContact } from '../../db/repositories/persons.ts';
import { insertPushSubscription } from '../../db/repositories/push-subscriptions.ts';
import type { StaffIncidentDto } from '../../shared/api/staff-incidents.ts';
import { call } from '../helpers/auth.ts';
import { malmoBuildingId } from '../helpers/demo-places.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';
import { LiveClient, startLiveServer, waitFor, type LiveServer } from '../helpers/live.ts';

const { notifications, users } = testTables;

describe('staff incidents', async () => {
  const { ctx, app, db, session } = await staffWorld(['tenant', 'owner', 'staff', 'staffMalmo']);
  let live: LiveServer;
  let clientSeq = 0;
  afterAll(() => live.close());
  beforeAll(async () => {
    live = await startLiveServer(ctx.deps);
  });

  const account = async (login: string) =>
    (
      await db
        .select({ personId: users.personId, id: users.id })
        .from(users)
        .where(eq(users.loginEmail, login))
    )[0]!;
  const tenantPlace = async () =>
    (await listContractPlacementsOfPerson(db, (await account(DEMO_LOGINS.tenant)).personId))[0]!;
  const malmoBuilding = () => malmoBuildingId(db);
  const incidentBody = async (over: Record<string, unknown> = {}) => ({
    title: 'Rohrbruch im Keller',
    body: 'Das Wasser ist abgestellt, der Installateur ist unterwegs.',
    kind: 'emergency',
    scope: { kind: 'building', ids: [(await tenantPlace()).buildingId] },
    ...over,
  });
  const post = (who: string, path: string, json?: unknown) =>
    call(app, `/api/staff/incidents${path}`, { cookie: session[who], method: 'POST', json });
  const createIncident = async (over: Record<string, unknown> = {}) => {
    const res = await post('staff', '', await incidentBody(over));
    expect(res.status).toBe(201);
    return ((await res.json()) as { incident: StaffIncidentDto }).incident;
  };

  it('an emergency queues push and SMS for tenants in scope, live to the building only', async () => {
    const tenant = await account(DEMO_LOGINS.tenant);
    await updatePersonContact(db, tenant.personId, { mobile: '+491701234567' }, new Date());
    await insertPushSubscription(db, {
      userId: tenant.id,
      endpoint: 'https://push.example.test/tenant-incident',
      p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM',
      auth: 'tBHItJI5svbpez7KI4CCXg',
      createdAt: new Date(),
    });
    const tenantLive = new LiveClient(live.url, session.tenant!);
    const ownerLive = new LiveClient(live.url, session.owner!);
    await tenantLive.connect();
    await ownerLive.connect();

    const incident = await createIncident();
    expect(incident).toMatchObject({ kind: 'emergency', status: 'open', updates: [], tickets: [] });
    const rows = (
      await db
        .select({ channel: notifications.channel })
        .from(notifications)
        .where(and(eq(notifications.userId, tenant.id), eq(notifications.template, 'incident_published')))
    )
      .map((row) => row.channel)
      .sort();
    expect(rows).toEqual(expect.arrayContaining(['push', 'sms']));
    await waitFor(() => tenantLive.ofType('incident.published').length === 1, 5000, 'incident.published');

    const tenantView = async () =>
      (
        (await (await call(app, '/api/incidents', { cookie: session.tenant })).json()) as {
          incidents: { id: string; status: string; updates: unknown[] }[];
        }
      ).incidents.find((i) => i.id === incident.id);
    expect(await tenantView()).toMatchObject({ status: 'open' });

    const update = await post('staff', `/${incident.id}/updates`, { body: 'Wasser ab 14 Uhr wieder da.' });
    expect(update.status).toBe(201);
    await waitFor(() => tenantLive.ofType('incident.updated').length === 1, 5000, 'incident.updated');
    expect((await tenantView())!.updates).toHaveLength(1);

    expect((await post('staff', `/${incident.id}/close`)).status).toBe(200);
    expect((await post('staff', `/${incident.id}/close`)).status).toBe(409);
    await waitFor(() => tenantLive.ofType('incident.updated').length === 2, 5000, 'close');
    expect(await tenantView()).toMatchObject({ status: 'resolved' });
    expect(ownerLive.events.filter((e) => e.type.startsWith('incident.'))).toEqual([]);
    tenantLive.disconnect();
    ownerLive.disconnect();
  });

  it('attaches tickets by id and number; out-of-scope tickets and incidents are 404', async () => {
    const incident = await createIncident({ kind: 'planned', title: 'Aufzug außer Betrieb' });
    const filed = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: 'Der Aufzug steht seit heute früh.',
        clientId: `incident-test-${++clientSeq}`,
      },
    });
    expect(filed.status).toBe(201);
    const ticket = ((await filed.json()) as { ticket: { id: string; number: string } }).ticket;

    expect((await post('staffMalmo', `/${incident.id}/tickets`, { ticketIds: [ticket.id] })).status).toBe(
      404,
    );
    expect((await post('staffMalmo', `/${incident.id}/updates`, { body: 'x' })).status).toBe(404);
    expect((await post('staffMalmo', `/${incident.id}/close`)).status).toBe(404);
    expect((await post('staff', `/${incident.id}/tickets`, { ticketNumbers: ['2099-999999'] })).status).toBe(
      404,
    );
    expect((await post('staff', '/no-such-incident/tickets', { ticketIds: [ticket.id] })).status).toBe(404);

    const res = await post('staff', `/${incident.id}/tickets`, { ticketNumbers: [ticket.number] });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { incident: StaffIncidentDto }).incident.tickets).toEqual([
      expect.objectContaining({ id: ticket.id, number: ticket.number }),
    ]);
  });

  it('keeps scopes apart and validates', async () => {
    const berlin = await createIncident({ kind: 'planned', title: 'Nur Berlin' });
    const list = async (who: string) =>
      (
        (await (await call(app, '/api/staff/incidents', { cookie: session[who] })).json()) as {
          incidents: StaffIncidentDto[];
        }
      ).incidents.map((i) => i.id);
    expect(await list('staff')).toContain(berlin.id);
    expect(await list('staffMalmo')).not.toContain(berlin.id);
    expect((await post('staffMalmo', '', await incidentBody())).status).toBe(404);
    expect(
      (
        await post(
          'staffMalmo',
          '',
          await incidentBody({ scope: { kind: 'building', ids: [await malmoBuilding()] } }),
        )
      ).status,
    ).toBe(201);
    expect((await post('tenant', '', await incidentBody())).status).toBe(403);
    for (const bad of [
      await incidentBody({ kind: 'disaster' }),
      await incidentBody({ scope: { kind: 'units', ids: ['u'] } }),
      await incidentBody({ startsAt: '2026-03-02T10:00:00Z', endsAt: '2026-03-02T09:00:00Z' }),
      await incidentBody({ title: '   ' }),
    ]) {
      const res = await post('staff', '', bad);
      expect(res.status).toBe(400);
    }
    expect((await post('staff', `/${berlin.id}/updates`, { body: '' })).status).toBe(400);
    expect((await post('staff', `/${berlin.id}/tickets`, {})).status).toBe(400);
  });
});
