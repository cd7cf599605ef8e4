import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { newId } from '../../db/ids.ts';
import { insertBuildings, insertUnits } from '../../db/repositories/estates.ts';
import { insertIncidentFollowers, insertIncidents } from '../../db/repositories/incidents.ts';
import { insertTeams } from '../../db/repositories/staff.ts';
import { insertTickets, type TicketInsert } from '../../db/repositories/tickets.ts';
import { testTables } from '../helpers/tables.ts';
import type { ReportFilterOptionsDto, TicketReportDto } from '../../shared/api/staff-reports.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

const { estates, teams, tickets, users } = testTables;

const hour = 3_600_000;
const day = 24 * hour;
const at = (iso: string) => new Date(iso);

/**
 * A prepared set of tickets in March 2021 (Europe/Berlin, CET = UTC+1), years before the demo
 * data's dates, in buildings made for this test, so every figure below is exact. The period is
 * Monday 1 to Sunday 14 March: two ISO weeks. The backlog is "open now", so its tickets are dated
 * relative to the real clock, far from any bucket's edge.
 */
const period = '?from=2021-03-01&to=2021-03-14';

describe('staff reports', async () => {
  const { app, db, session } = await staffWorld(['staff', 'staffMalmo', 'admin', 'tenant']);
  const ids = { buildingA: newId(), buildingB: newId(), buildingC: newId(), team: newId() };
  const numbers: Record<string, string> = {};

  beforeAll(async () => {
    const now = Date.now();
    const ago = (ms: number) => new Date(now - ms);
    const berlin = (await db.select().from(estates).where(eq(estates.country, 'DE')))[0]!;
    const malmo = (await db.select().from(estates).where(eq(estates.country, 'SE')))[0]!;
    const malmoTeam = (await db.select().from(teams).where(eq(teams.name, 'Malmö')))[0]!;
    const tenantId = (await db.select().from(users).where(eq(users.loginEmail, DEMO_LOGINS.tenant)))[0]!.id;
    const staffId = (await db.select().from(users).where(eq(users.loginEmail, DEMO_LOGINS.staff)))[0]!.id;
    const place = { postalCode: '10115', city: 'Berlin', country: 'DE', use: 'residential' as const };
    await insertBuildings(db, [
      {
        id: ids.buildingA,
        estateId: berlin.id,
        street: 'Reportweg',
        houseNumber: '1',
        currency: 'EUR',
        ...place,
      },
      // Free text from the ERP reaches the CSV: a street that is a spreadsheet formula.
      {
        id: ids.buildingB,
        estateId: berlin.id,
        street: '=HYPERLINK("http://evil.test","x")',
        houseNumber: '2',
        currency: 'EUR',
        ...place,
      },
      {
        id: ids.buildingC,
        estateId: malmo.id,
        street: 'Rapportgatan',
        houseNumber: '3',
        postalCode: '21120',
        city: 'Malmö',
        country: 'SE',
        use: 'residential',
        currency: 'SEK',
      },
    ]);
    const unitB = newId();
    await insertUnits(db, [{ id: unitB, buildingId: ids.buildingB, number: '-1.01', kind: 'storage' }]);
    await insertTeams(db, [{ id: ids.team, name: '@Haustechnik' }]);

    let seq = 0;
    const ticket = (
      key: string,
      created: string,
      row: Partial<TicketInsert> & Pick<TicketInsert, 'status'>,
    ): TicketInsert => {
      const number = `2021-9${String(++seq).padStart(5, '0')}`;
      numbers[key] = number;
      return {
        number,
        typeId: 'damage_report',
        fields: {},
        subject: `Report test ${key}`,
        description: 'Prepared for the report test.',
        createdByUserId: tenantId,
        buildingId: ids.buildingA,
        clientId: `report-${key}`,
        createdAt: at(created),
        lastActivityAt: at(created),
        ...row,
      };
    };
    const plus = (iso: string, ms: number) => new Date(at(iso).getTime() + ms);
    await insertTickets(db, [
      // Week of 3 March: first response in 1 h of 4 (met), resolved in 2 d of 5 (met), 5 stars.
      ticket('t1', '2021-03-01T07:00:00Z', {
        status: 'resolved',
        firstResponseDueAt: plus('2021-03-01T07:00:00Z', 4 * hour),
        firstRespondedAt: plus('2021-03-01T07:00:00Z', 1 * hour),
        resolutionDueAt: plus('2021-03-01T07:00:00Z', 5 * day),
        resolvedAt: plus('2021-03-01T07:00:00Z', 2 * day),
        rating: 5,
      }),
      // Both clocks missed: answered after 6 h of 4, resolved after 4 d of 3; 2 stars.
      ticket('t2', '2021-03-02T10:00:00Z', {
        status: 'closed',
        firstResponseDueAt: plus('2021-03-02T10:00:00Z', 4 * hour),
        firstRespondedAt: plus('2021-03-02T10:00:00Z', 6 * hour),
        resolutionDueAt: plus('2021-03-02T10:00:00Z', 3 * day),
        resolvedAt: plus('2021-03-02T10:00:00Z', 4 * day),
        rating: 2,
      }),
      // 00:30 on Monday 3 March in Berlin, still Sunday 2 March in UTC: inside the period and week 1.
      // Closed without passing `resolved`: closed a day after filing, within its 2 days.
      ticket('t7', '2021-02-28T23:30:00Z', {
        status: 'closed',
        typeId: 'general_correspondence',
        firstResponseDueAt: plus('2021-02-28T23:30:00Z', 4 * hour),
        firstRespondedAt: plus('2021-02-28T23:30:00Z', 30 * 60_000),
        resolutionDueAt: plus('2021-02-28T23:30:00Z', 2 * day),
        updatedAt: plus('2021-02-28T23:30:00Z', 1 * day),
      }),
      // Week of 10 March: never answered, past its first-response target (missed); resolution not due yet.
      ticket('t3', '2021-03-08T09:00:00Z', {
        status: 'new',
        typeId: 'general_correspondence',
        firstResponseDueAt: plus('2021-03-08T09:00:00Z', 8 * hour),
        resolutionDueAt: new Date(now + 5 * day),
      }),
      // 00:30 on Monday 10 March in Berlin (week 2 there, week 1 in UTC). Waiting for the tenant:
      // the resolution clock is paused, so its past due date is not (yet) a miss.
      ticket('t4', '2021-03-07T23:30:00Z', {
        status: 'waiting_tenant',
        firstResponseDueAt: plus('2021-03-07T23:30:00Z', 4 * hour),
        firstRespondedAt: plus('2021-03-07T23:30:00Z', 2 * hour),
        resolutionDueAt: at('2021-03-10T12:00:00Z'),
      }),
      // Outside the period, open: backlog only (10 d, 12 h, 2 d, 60 d old).
      ticket('t5', ago(10 * day).toISOString(), { status: 'in_progress' }),
      ticket('t6', ago(12 * hour).toISOString(), { status: 'new' }),
      ticket('t10', ago(2 * day).toISOString(), { status: 'in_progress' }),
      ticket('t11', ago(60 * day).toISOString(), { status: 'new' }),
      // 00:30 on Monday 17 March in Berlin: after the period though UTC still says the 16th.
      ticket('t12', '2021-03-14T23:30:00Z', { status: 'resolved', resolvedAt: at('2021-03-15T10:00:00Z') }),
      // Building B, the test's own team, assigned: formulas in street, unit and team name.
      ticket('t8', '2021-03-03T10:00:00Z', {
        status: 'in_progress',
        typeId: 'pet_permission',
        buildingId: ids.buildingB,
        unitId: unitB,
        teamId: ids.team,
        assigneeId: staffId,
      }),
      // Malmö.
      ticket('t9', '2021-03-03T10:00:00Z', {
        status: 'new',
        buildingId: ids.buildingC,
        teamId: malmoTeam.id,
      }),
    ]);

    const incidentA = newId();
    const incidentMalmo = newId();
    await insertIncidents(db, [
      {
        id: incidentA,
        title: 'Heizung Reportweg 1',
        body: 'Die Heizung ist ausgefallen.',
        kind: 'emergency',
        scope: 'building',
        buildingId: ids.buildingA,
        createdAt: at('2021-03-03T08:00:00Z'),
      },
      {
        id: incidentMalmo,
        title: 'Vatten avstängt',
        body: 'Vattnet stängs av.',
        kind: 'planned',
        scope: 'estate',
        estateId: malmo.id,
        createdAt: at('2021-03-04T08:00:00Z'),
      },
    ]);
    await insertIncidentFollowers(db, [
      { incidentId: incidentA, userId: 'follower-1' },
      { incidentId: incidentA, userId: 'follower-2' },
      { incidentId: incidentA, userId: 'follower-3' },
      { incidentId: incidentMalmo, userId: 'follower-4' },
    ]);
    // Link t1 to the heating incident (as staff do from the workspace).
    await db.update(tickets).set({ incidentId: incidentA }).where(eq(tickets.number, numbers.t1!));
  });

  const report = async (who: string, query: string) => {
    const res = await call(app, `/api/staff/reports/tickets${query}`, { cookie: session[who] });
    expect(res.status).toBe(200);
    return (await res.json()) as TicketReportDto;
  };
  const status = async (who: string, path: string) =>
    (await call(app, `/api/staff/reports/${path}`, { cookie: session[who] })).status;

  it('counts the period of one building exactly: volume, SLA, backlog, ratings, incidents', async () => {
    const figures = await report('staff', `${period}&building=${ids.buildingA}`);
    expect(figures.total).toBe(5);
    expect(figures.period).toEqual({ from: '2021-03-01', to: '2021-03-14', timeZone: 'Europe/Berlin' });
    // Weeks in Berlin time: t7 and t4 (00:30 local on a Monday) fall into the later week.
    expect(figures.volumeByWeek).toEqual([
      { weekStart: '2021-03-01', count: 3 },
      { weekStart: '2021-03-08', count: 2 },
    ]);
    expect(figures.volumeByType).toEqual([
      { typeId: 'damage_report', count: 3 },
      { typeId: 'general_correspondence', count: 2 },
    ]);
    expect(figures.volumeByBuilding).toEqual([{ buildingId: ids.buildingA, label: 'Reportweg 1', count: 5 }]);

    // First response: t1, t4, t7 met; t2 late, t3 never answered and past due. Times 30, 60, 120, 360 min.
    expect(figures.sla.firstResponse).toEqual({
      met: 3,
      missed: 2,
      pending: 0,
      metShare: 0.6,
      medianMinutes: 60,
      p90Minutes: 360,
    });
    // Resolution: t1 and t7 (closed after 1 d) met, t2 late; t3 not due, t4 paused. Times 1, 2, 4 d.
    expect(figures.sla.resolution).toEqual({
      met: 2,
      missed: 1,
      pending: 2,
      metShare: 2 / 3,
      medianMinutes: 2 * 24 * 60,
      p90Minutes: 4 * 24 * 60,
    });

    // Open now, whatever the period: t6 (12 h), t10 (2 d), t5 (10 d), t11 (60 d) and t3, t4 (2021).
    expect(figures.backlog).toEqual([
      { bucket: 'under_1d', count: 1 },
      { bucket: 'd1_3', count: 1 },
      { bucket: 'd3_7', count: 0 },
      { bucket: 'd7_30', count: 1 },
      { bucket: 'over_30d', count: 3 },
    ]);
    expect(figures.ratings).toEqual({
      rated: 2,
      average: 3.5,
      distribution: [
        { stars: 1, count: 0 },
        { stars: 2, count: 1 },
        { stars: 3, count: 0 },
        { stars: 4, count: 0 },
        { stars: 5, count: 1 },
      ],
    });
    // The building's incident, not Malmö's.
    expect(figures.incidents).toEqual([
      expect.objectContaining({
        title: 'Heizung Reportweg 1',
        followers: 3,
        linkedTickets: 1,
        kind: 'emergency',
      }),
    ]);
  });

  it('filters by team and sees the whole period across buildings for an unrestricted scope', async () => {
    const byTeam = await report('admin', `${period}&team=${ids.team}`);
    expect(byTeam.total).toBe(1);
    expect(byTeam.volumeByType).toEqual([{ typeId: 'pet_permission', count: 1 }]);
    expect(byTeam.backlog.find((row) => row.bucket === 'over_30d')?.count).toBe(1);

    const all = await report('staff', period);
    expect(all.total).toBe(7); // five in Reportweg 1, one in building B, one in Malmö
    expect(all.incidents.map((incident) => incident.title).sort()).toEqual([
      'Heizung Reportweg 1',
      'Vatten avstängt',
    ]);
  });

  it("keeps a team's scope: Malmö staff see only Malmö, and other places answer 404", async () => {
    const malmo = await report('staffMalmo', period);
    expect(malmo.total).toBe(1);
    expect(malmo.volumeByBuilding).toEqual([
      { buildingId: ids.buildingC, label: 'Rapportgatan 3', count: 1 },
    ]);
    expect(malmo.incidents.map((incident) => incident.title)).toEqual(['Vatten avstängt']);
    expect(malmo.backlog.reduce((sum, row) => sum + row.count, 0)).toBeGreaterThan(0);

    expect(await status('staffMalmo', `tickets${period}&building=${ids.buildingA}`)).toBe(404);
    expect(await status('staffMalmo', `tickets${period}&team=${ids.team}`)).toBe(404);
    expect(await status('staffMalmo', `tickets.csv${period}&building=${ids.buildingA}`)).toBe(404);
    expect(await status('staff', `tickets${period}&building=no-such-building`)).toBe(404);
    expect(await status('staff', `tickets${period}&team=no-such-team`)).toBe(404);

    const options = (await (
      await call(app, '/api/staff/reports/filters', { cookie: session.staffMalmo })
    ).json()) as ReportFilterOptionsDto;
    expect(options.teams.map((team) => team.name)).toEqual(['Malmö']);
    expect(options.buildings.map((building) => building.id)).toContain(ids.buildingC);
    expect(options.buildings.map((building) => building.id)).not.toContain(ids.buildingA);

    const csv = await (
      await call(app, `/api/staff/reports/tickets.csv${period}&lang=en`, { cookie: session.staffMalmo })
    ).text();
    const rows: string[][] = parse(csv.replace(/^\uFEFF/, ''), { delimiter: ',' });
    expect(rows.slice(1).map((row) => row[0])).toEqual([numbers.t9]);
  });

  it('exports the period as CSV: BOM, localized header, one row per ticket, formulas made inert', async () => {
    const res = await call(app, `/api/staff/reports/tickets.csv${period}&lang=en`, { cookie: session.staff });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="tickets_2021-03-01_2021-03-14\.csv"/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1);
    const rows: string[][] = parse(text, { delimiter: ',' });
    expect(rows[0]).toEqual([
      'Number',
      'Created',
      'Type',
      'Status',
      'Priority',
      'Building',
      'Unit',
      'Team',
      'Assignee',
      'First response at',
      'Resolved at',
      'SLA met',
    ]);
    const byNumber = new Map(rows.slice(1).map((row) => [row[0], row]));
    expect(byNumber.size).toBe(7);
    // Filing order; t12 (Monday 00:30 local) is outside, t7 (Monday 00:30 local) inside.
    expect(rows[1]![0]).toBe(numbers.t7);
    expect(byNumber.has(numbers.t12)).toBe(false);
    expect(byNumber.get(numbers.t1)).toEqual([
      numbers.t1,
      '2021-03-01 08:00',
      'Damage report',
      'Resolved',
      'Normal',
      'Reportweg 1',
      '',
      '',
      '',
      '2021-03-01 09:00',
      '2021-03-03 08:00',
      'yes',
    ]);
    expect(byNumber.get(numbers.t2)!.at(-1)).toBe('no');
    expect(byNumber.get(numbers.t4)!.at(-1)).toBe(''); // running (paused), no verdict yet
    const formula = byNumber.get(numbers.t8)!;
    expect(formula[5]).toBe(`'=HYPERLINK("http://evil.test","x") 2`);
    expect(formula[6]).toBe(`'-1.01`);
    expect(formula[7]).toBe(`'@Haustechnik`);
    expect(formula[8]).not.toBe('');
    // No cell anywhere starts with a character a spreadsheet would evaluate.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('labels the CSV in German with the separator German spreadsheets expect', async () => {
    const res = await call(app, `/api/staff/reports/tickets.csv${period}&building=${ids.buildingA}&lang=de`, {
      cookie: session.staff,
    });
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const rows: string[][] = parse(text, { delimiter: ';' });
    expect(rows[0]![0]).toBe('Nummer');
    expect(rows[0]![2]).toBe('Art');
    const t1 = rows.find((row) => row[0] === numbers.t1)!;
    expect(t1.slice(2, 4)).toEqual(['Schadensmeldung', 'Erledigt']);
    expect(t1.at(-1)).toBe('ja');
    expect(rows).toHaveLength(6);
  });

  it('refuses bad periods with 400 and non-staff with 401/403', async () => {
    const bad = async (query: string) => {
      const res = await call(app, `/api/staff/reports/tickets${query}`, { cookie: session.staff });
      expect(res.status, query).toBe(400);
      return ((await res.json()) as { error: { code: string; fields?: Record<string, string> } }).error;
    };
    expect((await bad('?from=2021-03-10&to=2021-03-01')).fields).toEqual({ to: 'period_order' });
    expect((await bad('?from=2019-01-01&to=2021-03-01')).fields).toEqual({ to: 'period_too_long' });
    expect((await bad('?from=2021-13-01&to=2021-03-01')).fields?.from).toBeDefined();
    expect((await bad('?from=yesterday&to=2021-03-01')).code).toBe('validation_failed');
    await bad('?to=2021-03-01');
    await bad(`${period}&team=`.replace('team=', 'teams=x'));
    await bad(`${period}&building=${'x'.repeat(65)}`);
    expect(
      (
        await call(app, `/api/staff/reports/tickets.csv?from=2021-03-10&to=2021-03-01`, {
          cookie: session.staff,
        })
      ).status,
    ).toBe(400);
    expect(
      (await call(app, `/api/staff/reports/tickets.csv${period}&lang=fr`, { cookie: session.staff })).status,
    ).toBe(400);

    expect(await status('tenant', `tickets${period}`)).toBe(403);
    expect(await status('tenant', `tickets.csv${period}`)).toBe(403);
    expect((await call(app, `/api/staff/reports/tickets${period}`)).status).toBe(401);
  });
});
