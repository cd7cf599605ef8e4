import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_INCIDENT_TITLE, DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { testTables } from '../helpers/tables.ts';
import { listContractPlacementsOfPerson } from '../../db/repositories/access.ts';
import type { StaffIncidentDto } from '../../shared/api/staff-incidents.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

const { users } = testTables;

interface MatchingAnswer {
  incidents: { id: string; title: string; startsAt: string | null; endsAt: string | null }[];
}

/**
 * "Das ist schon bekannt" (seed 004): while a tenant files a damage report, only incidents whose time
 * window covers now are offered. A water shut-off planned for next week is no answer to "no water today".
 */
describe('incidents offered while filing a request', async () => {
  const { app, db, session } = await staffWorld(['tenant', 'staff']);
  const hour = 3_600_000;
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

  const placeOf = async (login: string) => {
    const { personId } = (
      await db.select({ personId: users.personId }).from(users).where(eq(users.loginEmail, login))
    )[0]!;
    return (await listContractPlacementsOfPerson(db, personId))[0]!;
  };
  const tenantPlace = async () => await placeOf(DEMO_LOGINS.tenant);
  const createIncident = async (title: string, startsAt: string | null, endsAt: string | null) => {
    const res = await call(app, '/api/staff/incidents', {
      cookie: session.staff,
      method: 'POST',
      json: {
        title,
        body: 'Wasser in der Steigleitung abgestellt.',
        kind: 'planned',
        scope: { kind: 'building', ids: [(await tenantPlace()).buildingId] },
        component: 'water',
        startsAt,
        endsAt,
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { incident: StaffIncidentDto }).incident;
  };
  const matching = async (component: string) => {
    const query = `contractId=${encodeURIComponent((await tenantPlace()).contractId)}&component=${component}`;
    const res = await call(app, `/api/incidents/matching?${query}`, { cookie: session.tenant });
    expect(res.status).toBe(200);
    return ((await res.json()) as MatchingAnswer).incidents.map((incident) => incident.title);
  };

  it('offers a current incident but neither one planned for later nor one already over', async () => {
    // The demo's own shut-off lies next week: before anything else, it is not offered for today.
    expect(await matching('water')).not.toContain(DEMO_INCIDENT_TITLE);

    const current = await createIncident('Wasser heute abgestellt', at(-2 * hour), at(2 * hour));
    const future = await createIncident(
      'Wasser nächste Woche abgestellt',
      at(7 * 24 * hour),
      at(7 * 24 * hour + 4 * hour),
    );
    const over = await createIncident('Wasser gestern abgestellt', at(-26 * hour), at(-22 * hour));
    const open = await createIncident('Wasser bis auf Weiteres abgestellt', at(-hour), null);

    const offered = await matching('water');
    expect(offered).toContain(current.title);
    expect(offered).toContain(open.title);
    expect(offered).not.toContain(future.title);
    expect(offered).not.toContain(over.title);
    // The full list still shows what is planned: the window only narrows the offer while filing.
    const listed = (await (
      await call(app, '/api/incidents', { cookie: session.tenant })
    ).json()) as MatchingAnswer;
    expect(listed.incidents.map((incident) => incident.title)).toContain(future.title);
  });

  it('answers another person’s contract as if it did not exist', async () => {
    // Max Nachbar's flat is in the same house, with the same current incident: still not Erika's.
    await createIncident('Wasser im ganzen Haus abgestellt', at(-hour), at(hour));
    const contractId = (await placeOf(DEMO_LOGINS.neighbour)).contractId;
    expect(contractId).not.toBe((await tenantPlace()).contractId);
    const res = await call(app, `/api/incidents/matching?contractId=${encodeURIComponent(contractId)}`, {
      cookie: session.tenant,
    });
    expect(res.status).toBe(404);
  });
});
