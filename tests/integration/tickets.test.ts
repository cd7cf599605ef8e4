import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_TICKET_SUBJECTS } from '../../server/demo/demo-constants.ts';
import { createTestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';

const damage = {
  type: 'damage_report',
  fields: {
    location: 'flat',
    room: 'bathroom',
    component: 'drain',
    urgency: 'urgent',
    permission_to_enter: true,
  },
  description: 'Der Abfluss der Dusche läuft sehr langsam ab.',
};

describe('tickets API', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  const session: Record<string, string> = {};
  afterAll(() => ctx.close());
  beforeAll(async () => {
    await seedDemo(ctx.deps);
    for (const who of ['tenant', 'neighbour', 'householdMember', 'staff'] as const) {
      session[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
    }
  });

  it('lists the ticket type forms', async () => {
    const res = await call(app, '/api/ticket-types', { cookie: session.tenant });
    expect(res.status).toBe(200);
    const { types } = (await res.json()) as { types: { id: string; form: { fields: unknown[] } }[] };
    expect(types[0]).toMatchObject({ id: 'damage_report' });
    expect(types.length).toBe(10);
  });

  it('creates a ticket once per clientId: 201, then 200 with the same ticket', async () => {
    const body = { ...damage, clientId: 'create-retry-0001' };
    const first = await call(app, '/api/tickets', { json: body, cookie: session.tenant });
    expect(first.status).toBe(201);
    const { ticket } = (await first.json()) as { ticket: Record<string, unknown> };
    expect(ticket).toMatchObject({ type: 'damage_report', status: 'new', priority: 'high' });
    expect(ticket.number).toMatch(/^\d{4}-\d{6}$/);
    expect(ticket.buildingId).toBeTruthy();
    expect(ticket.firstResponseDueAt).toBeTruthy();
    const again = await call(app, '/api/tickets', { json: body, cookie: session.tenant });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { ticket: { id: string } }).ticket.id).toBe(ticket.id);

    const detail = await call(app, `/api/tickets/${ticket.id as string}`, { cookie: session.tenant });
    expect(detail.status).toBe(200);
    const shown = (await detail.json()) as { statusHistory: unknown[]; messages: unknown[] };
    expect(shown.statusHistory).toEqual([expect.objectContaining({ fromStatus: null, toStatus: 'new' })]);
  });

  it('validates fields by type and refuses bad input with 4xx codes', async () => {
    const cases: [unknown, number, string][] = [
      [{ ...damage, fields: { location: 'flat' }, clientId: 'bad-fields-01' }, 400, 'validation_failed'],
      [{ ...damage, type: 'nope', clientId: 'bad-type-001' }, 400, 'unknown_ticket_type'],
      [{ ...damage, clientId: 'short' }, 400, 'validation_failed'],
      [{ ...damage, contractId: 'someone-else', clientId: 'bad-contract1' }, 404, 'not_found'],
      [{ ...damage, attachmentIds: ['nope'], clientId: 'bad-attach-01' }, 400, 'invalid_attachment'],
    ];
    for (const [json, status, code] of cases) {
      const res = await call(app, '/api/tickets', { json, cookie: session.tenant });
      expect([res.status, ((await res.json()) as { error: { code: string } }).error.code]).toEqual([
        status,
        code,
      ]);
    }
  });

  it('lists the household tickets and searches number, subject and description', async () => {
    const mine = await call(app, '/api/tickets', { cookie: session.tenant });
    const { tickets } = (await mine.json()) as { tickets: { title: string; number: string }[] };
    expect(tickets.map((t) => t.title)).toContain(DEMO_TICKET_SUBJECTS.leakingTap);
    expect(tickets.map((t) => t.title)).not.toContain(DEMO_TICKET_SUBJECTS.staircaseLight);
    // The read-only household member sees the household's requests (seed 003).
    const household = await call(app, '/api/tickets?q=tropft', { cookie: session.householdMember });
    const found = (await household.json()) as { tickets: { title: string }[] };
    expect(found.tickets.map((t) => t.title)).toEqual([DEMO_TICKET_SUBJECTS.leakingTap]);
    // Wildcards are literal characters.
    const wildcard = await call(app, '/api/tickets?q=%25', { cookie: session.tenant });
    expect(((await wildcard.json()) as { tickets: unknown[] }).tickets).toEqual([]);
    const resolved = await call(app, '/api/tickets?status=resolved', { cookie: session.tenant });
    expect(((await resolved.json()) as { tickets: { title: string }[] }).tickets.map((t) => t.title)).toEqual(
      [DEMO_TICKET_SUBJECTS.operatingCostsQuestion],
    );
    const bad = await call(app, '/api/tickets?status=open', { cookie: session.tenant });
    expect(bad.status).toBe(400);
  });

  it('shows public messages only to customers; staff see internal notes', async () => {
    const list = await call(app, '/api/tickets?q=tropft', { cookie: session.tenant });
    const [tap] = ((await list.json()) as { tickets: { id: string }[] }).tickets;
    const tenantView = (await (
      await call(app, `/api/tickets/${tap!.id}`, { cookie: session.tenant })
    ).json()) as {
      messages: { visibility: string }[];
    };
    expect(tenantView.messages.length).toBe(3);
    expect(tenantView.messages.every((m) => m.visibility === 'public')).toBe(true);
    const staffView = (await (
      await call(app, `/api/staff/tickets/${tap!.id}`, { cookie: session.staff })
    ).json()) as { messages: { visibility: string }[] };
    expect(staffView.messages.some((m) => m.visibility === 'internal')).toBe(true);
  });

  it('adds messages idempotently by clientId', async () => {
    const created = await call(app, '/api/tickets', {
      json: { ...damage, clientId: 'msg-ticket-0001' },
      cookie: session.tenant,
    });
    const { ticket } = (await created.json()) as { ticket: { id: string } };
    const body = { body: 'Noch eine Info', clientId: 'msg-client-0001' };
    const first = await call(app, `/api/tickets/${ticket.id}/messages`, {
      json: body,
      cookie: session.tenant,
    });
    expect(first.status).toBe(201);
    const again = await call(app, `/api/tickets/${ticket.id}/messages`, {
      json: body,
      cookie: session.tenant,
    });
    expect(again.status).toBe(200);
    const a = (await first.json()) as { message: { id: string } };
    const b = (await again.json()) as { message: { id: string } };
    expect(b.message.id).toBe(a.message.id);
    const detail = (await (
      await call(app, `/api/tickets/${ticket.id}`, { cookie: session.tenant })
    ).json()) as {
      messages: unknown[];
    };
    expect(detail.messages.length).toBe(1);
  });

  it('answers 403 read_only to a read household member on writes', async () => {
    const filed = await call(app, '/api/tickets', {
      json: { ...damage, clientId: 'hh-try-00001' },
      cookie: session.householdMember,
    });
    expect(filed.status).toBe(403);
    expect(((await filed.json()) as { error: { code: string } }).error.code).toBe('read_only');
    const list = await call(app, '/api/tickets?q=tropft', { cookie: session.householdMember });
    const [tap] = ((await list.json()) as { tickets: { id: string }[] }).tickets;
    const message = await call(app, `/api/tickets/${tap!.id}/messages`, {
      json: { body: 'Hallo', clientId: 'hh-msg-00001' },
      cookie: session.householdMember,
    });
    expect(message.status).toBe(403);
    expect(((await message.json()) as { error: { code: string } }).error.code).toBe('read_only');
  });

  it("answers 404 on every route for someone else's ticket", async () => {
    const list = await call(app, '/api/tickets?q=tropft', { cookie: session.tenant });
    const [tap] = ((await list.json()) as { tickets: { id: string }[] }).tickets;
    const requests: [string, Parameters<typeof call>[2]][] = [
      [`/api/tickets/${tap!.id}`, {}],
      [`/api/tickets/${tap!.id}/messages`, { json: { body: 'x', clientId: 'foreign-0001' } }],
      [`/api/tickets/${tap!.id}/rating`, { json: { rating: 5 } }],
      [`/api/tickets/${tap!.id}/reopen`, { method: 'POST' }],
      ['/api/tickets/does-not-exist', {}],
    ];
    for (const [path, options] of requests) {
      const res = await call(app, path, { ...options, cookie: session.neighbour });
      expect([path, res.status]).toEqual([path, 404]);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });

  it('rates and reopens a resolved ticket; refuses both on an open one', async () => {
    const list = await call(app, '/api/tickets?status=resolved', { cookie: session.tenant });
    const [done] = ((await list.json()) as { tickets: { id: string }[] }).tickets;
    const open = await call(app, '/api/tickets?q=tropft', { cookie: session.tenant });
    const [tap] = ((await open.json()) as { tickets: { id: string }[] }).tickets;
    const rateOpen = await call(app, `/api/tickets/${tap!.id}/rating`, {
      json: { rating: 4 },
      cookie: session.tenant,
    });
    expect(rateOpen.status).toBe(409);
    const rate = await call(app, `/api/tickets/${done!.id}/rating`, {
      json: { rating: 4, comment: 'ok' },
      cookie: session.tenant,
    });
    expect(rate.status).toBe(200);
    expect(await rate.json()).toMatchObject({ ticket: { rating: 4, ratingComment: 'ok' } });
    // Resolved 33 days ago in the demo: outside the 14-day window.
    const reopen = await call(app, `/api/tickets/${done!.id}/reopen`, {
      method: 'POST',
      cookie: session.tenant,
    });
    expect(reopen.status).toBe(409);
    expect(((await reopen.json()) as { error: { code: string } }).error.code).toBe('reopen_window_closed');
  });
});
