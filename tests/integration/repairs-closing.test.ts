import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTables } from '../helpers/tables.ts';
import type { JobDto } from '../../shared/api/dispatch.ts';
import type {
  ContractorRepairReportDto,
  RepairConfirmationAnswer,
} from '../../shared/api/repair-confirmation.ts';
import type { LiveEvent } from '../../shared/api/live.ts';
import type { TicketDto, TicketMessageDto } from '../../shared/api/tickets.ts';
import { call } from '../helpers/auth.ts';
import { LiveClient, startLiveServer, waitFor, type LiveServer } from '../helpers/live.ts';
import { staffWorld } from '../helpers/staff-world.ts';

const { contractors, notifications, repairConfirmations, tickets } = testTables;

type Actor = 'tenant' | 'householdMember' | 'neighbour' | 'staff' | 'admin' | 'staffMalmo';
type Detail = { ticket: TicketDto; messages: TicketMessageDto[] };

const dayMs = 86_400_000;

const confirmationsOf = (client: LiveClient) =>
  client.ofType('repair_confirmation.updated') as LiveEvent<'repair_confirmation.updated'>[];
const messagesOf = (client: LiveClient) => client.ofType('message.created') as LiveEvent<'message.created'>[];

describe('repairs: closing — the tenant confirms the fix, reports count first-time fixes', async () => {
  let clock = new Date('2026-12-01T08:00:00Z');
  const world = await staffWorld(['tenant', 'householdMember', 'neighbour', 'staff', 'admin', 'staffMalmo'], {
    configure: (deps) => {
      deps.now = () => clock;
    },
  });
  const { app, db, ctx } = world;
  const session = world.session as Record<Actor, string>;
  let server: LiveServer;
  const contractorIds = { plumber: '', electrician: '' };
  // A: plumber fixes at the first visit. B: the electrician's job is not fixed, the plumber's next one is.
  let ticketA = '';
  let ticketB = '';

  const advance = (days: number) => {
    clock = new Date(clock.getTime() + days * dayMs);
  };

  const fileTicket = async (clientId: string) => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'damage_report',
        fields: {
          location: 'flat',
          room: 'bathroom',
          component: 'tap',
          urgency: 'normal',
          permission_to_enter: true,
          availability: [{ date: '2026-12-04', from: '08:00', to: '10:00' }],
        },
        title: 'Wasserhahn tropft',
        description: 'Der Wasserhahn im Bad tropft seit Tagen.',
        clientId,
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { ticket: { id: string } }).ticket.id;
  };

  /** Staff dispatch; the job link's token is the end of the job's url. */
  const dispatch = async (ticketId: string, contractorId: string) => {
    const res = await call(app, `/api/staff/tickets/${ticketId}/dispatch`, {
      cookie: session.staff,
      json: { contractorId, force: true },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { job } = (await res.json()) as { job: JobDto };
    return job.url!.split('/job/')[1]!;
  };
  const reportDone = async (token: string, note: string) => {
    const res = await call(app, `/api/job/${token}/done`, { json: { note } });
    expect(res.status, await res.clone().text()).toBe(200);
  };

  const path = (ticketId: string) => `/api/tickets/${ticketId}/repair-confirmation`;
  const get = (ticketId: string, who: Actor = 'tenant') =>
    call(app, path(ticketId), { cookie: session[who] });
  const answer = (ticketId: string, json: unknown, who: Actor = 'tenant') =>
    call(app, path(ticketId), { cookie: session[who], json });
  const detail = async (ticketId: string) =>
    (await (await call(app, `/api/tickets/${ticketId}`, { cookie: session.tenant })).json()) as Detail;
  const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  beforeAll(async () => {
    for (const [key, name] of [
      ['plumber', 'Sprudel Sanitär GmbH'],
      ['electrician', 'Elektro Blitz KG'],
    ] as const) {
      const row = (
        await db.select({ id: contractors.id }).from(contractors).where(eq(contractors.name, name))
      )[0];
      expect(row, name).toBeDefined();
      contractorIds[key] = row!.id;
    }
    ticketA = await fileTicket('closing-ticket-0001');
    ticketB = await fileTicket('closing-ticket-0002');
    server = await startLiveServer(ctx.deps);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 404 before any job is done', async () => {
    expect((await get(ticketA)).status).toBe(404);
    expect(await codeOf(await answer(ticketA, { fixed: true, rating: 5 }))).toBe('not_asked');
  });

  it('asks the tenant when the contractor reports done: a row, a notification by their channels, a live event', async () => {
    const tenant = new LiveClient(server.url, session.tenant);
    const staff = new LiveClient(server.url, session.staff);
    await tenant.connect();
    await staff.connect();
    const token = await dispatch(ticketA, contractorIds.plumber);
    advance(2);
    await reportDone(token, 'Dichtung getauscht.');

    const res = await get(ticketA);
    expect(res.status).toBe(200);
    const body = (await res.json()) as RepairConfirmationAnswer;
    expect(body.canAnswer).toBe(true);
    expect(body.confirmation).toMatchObject({
      ticketId: ticketA,
      contractorName: 'Sprudel Sanitär GmbH',
      state: 'asked',
      rating: null,
      answeredAt: null,
    });

    const filer = (
      await db.select({ userId: tickets.createdByUserId }).from(tickets).where(eq(tickets.id, ticketA))
    )[0]!;
    const queued = await db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.template, 'repair_confirmation_requested'),
          eq(notifications.userId, filer.userId),
        ),
      );
    expect(queued.length).toBeGreaterThan(0);
    expect(queued[0]!.data).toMatchObject({ ticketId: ticketA, contractorName: 'Sprudel Sanitär GmbH' });
    expect(queued.map((row) => row.channel)).toContain('email');

    await waitFor(
      () => confirmationsOf(tenant).some((e) => e.data.ticketId === ticketA),
      5000,
      'the question to the tenant',
    );
    await waitFor(
      () => confirmationsOf(staff).some((e) => e.data.ticketId === ticketA),
      5000,
      'the question to staff in scope',
    );
    tenant.disconnect();
    staff.disconnect();

    // The household reads it; staff in scope read it but do not answer; others see nothing.
    const member = (await (await get(ticketA, 'householdMember')).json()) as RepairConfirmationAnswer;
    expect(member.canAnswer).toBe(false);
    const staffRead = (await (await get(ticketA, 'staff')).json()) as RepairConfirmationAnswer;
    expect(staffRead.canAnswer).toBe(false);
    expect((await get(ticketA, 'neighbour')).status).toBe(404);
    expect((await get(ticketA, 'staffMalmo')).status).toBe(404);
    expect((await get('nosuchticket')).status).toBe(404);
  });

  it('refuses bad bodies with 400, staff with 403, someone else with 404, a read-only member with 403', async () => {
    for (const bad of [
      {},
      { fixed: true },
      { fixed: true, rating: 0 },
      { fixed: true, rating: 6 },
      { fixed: true, rating: 4.5 },
      { fixed: true, rating: '5' },
      { fixed: false },
      { fixed: false, comment: '   ' },
      { fixed: false, comment: 'x'.repeat(2001) },
      { fixed: 'yes', rating: 5 },
      { fixed: true, rating: 5, extra: 1 },
    ]) {
      const res = await answer(ticketA, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await answer(ticketA, { fixed: true, rating: 5 }, 'staff')).status).toBe(403);
    expect((await answer(ticketA, { fixed: true, rating: 5 }, 'admin')).status).toBe(403);
    expect((await answer(ticketA, { fixed: true, rating: 5 }, 'neighbour')).status).toBe(404);
    expect((await answer('nosuchticket', { fixed: true, rating: 5 })).status).toBe(404);
    expect(await codeOf(await answer(ticketA, { fixed: true, rating: 5 }, 'householdMember'))).toBe(
      'read_only',
    );
    const row = (
      await db.select().from(repairConfirmations).where(eq(repairConfirmations.ticketId, ticketA))
    )[0];
    expect(row?.state).toBe('asked');
  });

  it('fixed with a rating resolves the request, with a public line; answering twice is 409', async () => {
    const staff = new LiveClient(server.url, session.staff);
    await staff.connect();
    advance(1);
    const res = await answer(ticketA, { fixed: true, rating: 4, comment: 'Sauber gearbeitet.' });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as RepairConfirmationAnswer;
    expect(body.confirmation).toMatchObject({ state: 'fixed', rating: 4, comment: 'Sauber gearbeitet.' });

    const after = await detail(ticketA);
    expect(after.ticket.status).toBe('resolved');
    expect(after.ticket.rating).toBe(4);
    const lines = after.messages.map((message) => message.body);
    expect(lines.some((line) => /^status:(new|in_progress)->resolved$/.test(line))).toBe(true);
    expect(lines.some((line) => line.includes('Sprudel Sanitär GmbH') && line.includes('4 von 5'))).toBe(
      true,
    );
    await waitFor(
      () =>
        confirmationsOf(staff).some(
          (e) => e.data.ticketId === ticketA && e.data.confirmation.state === 'fixed',
        ),
      5000,
      'the answer to staff',
    );
    staff.disconnect();

    const twice = await answer(ticketA, { fixed: false, comment: 'Doch nicht.' });
    expect(twice.status).toBe(409);
    expect(await codeOf(twice)).toBe('already_answered');
    expect((await detail(ticketA)).ticket.status).toBe('resolved');
  });

  it("not fixed reopens with the tenant's words as their message; staff see it live", async () => {
    const token = await dispatch(ticketB, contractorIds.electrician);
    advance(3);
    await reportDone(token, 'Erledigt.');
    // Staff resolved it already on the contractor's word.
    const resolved = await call(app, `/api/staff/tickets/${ticketB}`, {
      method: 'PATCH',
      cookie: session.staff,
      json: { status: 'resolved' },
    });
    expect(resolved.status, await resolved.clone().text()).toBe(200);

    const staff = new LiveClient(server.url, session.staff);
    await staff.connect();
    advance(1);
    const words = 'Es tropft immer noch, jetzt auch unter dem Waschbecken.';
    const res = await answer(ticketB, { fixed: false, comment: `  ${words}  ` });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as RepairConfirmationAnswer).confirmation).toMatchObject({
      state: 'not_fixed',
      rating: null,
      comment: words,
    });

    const after = await detail(ticketB);
    expect(after.ticket.status).toBe('in_progress');
    const mine = after.messages.find((message) => message.body === words);
    expect(mine).toBeDefined();
    expect(mine!.kind).toBe('message');
    expect(mine!.authorUserId).not.toBeNull();
    expect(after.messages.map((message) => message.body)).toContain('status:resolved->in_progress');
    const reopened = (
      await db.select({ n: tickets.reopenCount }).from(tickets).where(eq(tickets.id, ticketB))
    )[0];
    expect(reopened?.n).toBe(1);
    await waitFor(
      () => messagesOf(staff).some((e) => e.data.message.body === words),
      5000,
      "the tenant's words to staff",
    );
    staff.disconnect();
    expect((await answer(ticketB, { fixed: true, rating: 5 })).status).toBe(409);
  });

  it('reports per contractor: jobs done, first-time fixes, days to fix, ratings; staff only, in scope', async () => {
    // The plumber's second visit on B holds: fixed, but not a first-time fix (B was not fixed before).
    const token = await dispatch(ticketB, contractorIds.plumber);
    advance(4);
    await reportDone(token, 'Siphon erneuert.');
    advance(1);
    expect((await answer(ticketB, { fixed: true, rating: 2 })).status).toBe(200);
    expect((await detail(ticketB)).ticket.status).toBe('resolved');

    const query = 'from=2026-11-01&to=2026-12-31';
    const res = await call(app, `/api/staff/reports/contractors?${query}`, { cookie: session.staff });
    expect(res.status, await res.clone().text()).toBe(200);
    const report = (await res.json()) as ContractorRepairReportDto;
    const byName = Object.fromEntries(report.contractors.map((row) => [row.name, row]));
    expect(byName['Sprudel Sanitär GmbH']).toEqual({
      contractorId: contractorIds.plumber,
      name: 'Sprudel Sanitär GmbH',
      jobsDone: 2,
      answered: 2,
      firstTimeFixes: 1,
      firstTimeFixRate: 0.5,
      // A: dispatched, done 2 days later; B: dispatched, done 4 days later.
      medianDaysToFix: 3,
      meanDaysToFix: 3,
      averageRating: 3,
      rated: 2,
    });
    expect(byName['Elektro Blitz KG']).toEqual({
      contractorId: contractorIds.electrician,
      name: 'Elektro Blitz KG',
      jobsDone: 1,
      answered: 1,
      firstTimeFixes: 0,
      firstTimeFixRate: 0,
      medianDaysToFix: null,
      meanDaysToFix: null,
      averageRating: null,
      rated: 0,
    });

    // Outside the period nothing; Lars (Malmö) sees no Berlin jobs; tenants 403; bad periods 400.
    const empty = await call(app, '/api/staff/reports/contractors?from=2026-01-01&to=2026-01-31', {
      cookie: session.staff,
    });
    expect(((await empty.json()) as ContractorRepairReportDto).contractors).toEqual([]);
    const malmo = await call(app, `/api/staff/reports/contractors?${query}`, { cookie: session.staffMalmo });
    expect(malmo.status).toBe(200);
    expect(((await malmo.json()) as ContractorRepairReportDto).contractors).toEqual([]);
    expect(
      (await call(app, `/api/staff/reports/contractors?${query}`, { cookie: session.tenant })).status,
    ).toBe(403);
    expect((await call(app, '/api/staff/reports/contractors', { cookie: session.staff })).status).toBe(400);
    expect(
      (
        await call(app, '/api/staff/reports/contractors?from=2026-12-31&to=2026-01-01', {
          cookie: session.staff,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call(app, `/api/staff/reports/contractors?${query}&building=nosuchbuilding`, {
          cookie: session.staff,
        })
      ).status,
    ).toBe(404);
  });
});
