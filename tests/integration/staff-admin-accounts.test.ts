import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type {
  AdminStaffAccountDto,
  AdminTeamDto,
  AdminTeamsDto,
  PublicBrandingDto,
} from '../../shared/api/staff-admin.ts';
import type { UserDto } from '../../shared/api/auth.ts';
import { call, loginAs, readLatestMail, testOrigin } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { auditEntries, buildings, estates, teams, tickets } = testTables;

/** Teams, scopes, staff accounts and the branding logo (issue 5 item 8). */
describe('staff admin: teams, staff accounts, branding logo', async () => {
  const { ctx, app, db, session } = await staffWorld(['staff', 'admin', 'staffMalmo']);
  const asAdmin = (path: string, method = 'GET', json?: unknown) =>
    call(app, `/api/staff/admin${path}`, { method, json, cookie: session.admin });
  const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
  const estateId = async (name: string) =>
    (await db.select().from(estates).where(eq(estates.name, name)))[0]!.id;
  const ticketIn = async (estate: string) =>
    (
      await db
        .select({ id: tickets.id })
        .from(tickets)
        .innerJoin(buildings, eq(buildings.id, tickets.buildingId))
        .where(eq(buildings.estateId, await estateId(estate)))
        .limit(1)
    )[0]!.id;
  const sees = async (who: string, ticketId: string) =>
    (await call(app, `/api/staff/tickets/${ticketId}`, { cookie: session[who] })).status;

  it('creates a team; scope changes take effect at once for its members', async () => {
    const created = await asAdmin('/teams', 'POST', { name: 'Malmö Nord' });
    expect(created.status).toBe(201);
    const team = ((await created.json()) as { team: AdminTeamDto }).team;
    const staff = ((await (await asAdmin('/staff')).json()) as { staff: AdminStaffAccountDto[] }).staff;
    const larsId = staff.find((row) => row.email === DEMO_LOGINS.staffMalmo)!.id;
    // Lars leaves his team and joins the new one, scoped to Malmö only.
    expect((await asAdmin(`/staff/${larsId}`, 'PATCH', { teamIds: [team.id] })).status).toBe(200);
    const malmoScope = { kind: 'estate', id: await estateId('Malmö Centrum') };
    expect((await asAdmin(`/teams/${team.id}/scopes`, 'PUT', { scopes: [malmoScope] })).status).toBe(200);
    const berlinTicket = await ticketIn('Musterquartier');
    expect(await sees('staffMalmo', berlinTicket)).toBe(404);
    const both = [malmoScope, { kind: 'estate', id: await estateId('Musterquartier') }];
    expect((await asAdmin(`/teams/${team.id}/scopes`, 'PUT', { scopes: both })).status).toBe(200);
    expect(await sees('staffMalmo', berlinTicket)).toBe(200);

    const list = (await (await asAdmin('/teams')).json()) as AdminTeamsDto;
    const listed = list.teams.find((row) => row.id === team.id)!;
    expect(listed.memberIds).toEqual([larsId]);
    expect(listed.scopes.map((scope) => scope.id).sort()).toEqual(both.map((scope) => scope.id).sort());
    const audited = await db
      .select()
      .from(auditEntries)
      .where(eq(auditEntries.action, 'admin.team_scopes_changed'));
    expect(audited).toHaveLength(2);
  });

  it('validates team input with 400 and changes nothing', async () => {
    const team = (await db.select().from(teams).where(eq(teams.name, 'Malmö')))[0]!;
    const before = (await (await asAdmin('/teams')).json()) as AdminTeamsDto;
    for (const [path, method, json] of [
      ['/teams', 'POST', { name: '' }],
      [`/teams/${team.id}`, 'PATCH', { name: 'x'.repeat(101) }],
      [`/teams/${team.id}/scopes`, 'PUT', { scopes: [{ kind: 'estate', id: 'nope' }] }],
      [`/teams/${team.id}/scopes`, 'PUT', { scopes: [{ kind: 'planet', id: 'x' }] }],
      [`/teams/${team.id}/scopes`, 'PUT', { scopes: [{ kind: 'building' }] }],
      [`/teams/${team.id}/members`, 'PUT', { userIds: ['nobody'] }],
    ] as const) {
      expect((await asAdmin(path, method, json)).status, `${method} ${path}`).toBe(400);
    }
    expect(await (await asAdmin('/teams')).json()).toEqual(before);
    expect((await asAdmin('/teams/nope', 'PATCH', { name: 'A' })).status).toBe(404);
    expect((await asAdmin('/teams/nope', 'DELETE')).status).toBe(404);
  });

  type InUse = { error: { code: string; message: string; members: number; tickets: number } };

  it('refuses to delete a team in use with 409 team_in_use and what to move first', async () => {
    const berlin = (await db.select().from(teams).where(eq(teams.name, 'Kundenservice Berlin')))[0]!;
    const ticketCount = (await db.select().from(tickets).where(eq(tickets.teamId, berlin.id))).length;
    const res = await asAdmin(`/teams/${berlin.id}`, 'DELETE');
    expect(res.status).toBe(409);
    const body = (await res.json()) as InUse;
    expect(body.error.code).toBe('team_in_use');
    expect(body.error.tickets).toBe(ticketCount);
    expect(body.error.tickets).toBeGreaterThan(0);
    expect(body.error.members).toBeGreaterThan(0);
    expect((await db.select().from(teams).where(eq(teams.id, berlin.id)))[0]).toBeDefined();
  });

  it('refuses a team with members only, and one whose tickets are all closed (no 500)', async () => {
    const create = async (name: string) =>
      ((await (await asAdmin('/teams', 'POST', { name })).json()) as { team: AdminTeamDto }).team;
    const staff = ((await (await asAdmin('/staff')).json()) as { staff: AdminStaffAccountDto[] }).staff;
    const crew = await create('Crew');
    await asAdmin(`/teams/${crew.id}/members`, 'PUT', { userIds: [staff[0]!.id] });
    const withMembers = await asAdmin(`/teams/${crew.id}`, 'DELETE');
    expect(withMembers.status).toBe(409);
    expect(((await withMembers.json()) as InUse).error).toMatchObject({ members: 1, tickets: 0 });

    const archive = await create('Archive');
    const [closed] = await db
      .select({ id: tickets.id })
      .from(tickets)
      .where(eq(tickets.status, 'closed'))
      .limit(1);
    const anyTicket = closed ?? (await db.select({ id: tickets.id }).from(tickets).limit(1))[0]!;
    await db
      .update(tickets)
      .set({ teamId: archive.id, status: 'closed' })
      .where(eq(tickets.id, anyTicket.id));
    const withTickets = await asAdmin(`/teams/${archive.id}`, 'DELETE');
    expect(withTickets.status).toBe(409);
    expect(((await withTickets.json()) as InUse).error).toMatchObject({ members: 0, tickets: 1 });

    const spare = await create('Spare');
    expect((await asAdmin(`/teams/${spare.id}`, 'DELETE')).status).toBe(204);
    expect((await db.select().from(teams).where(eq(teams.id, spare.id)))[0]).toBeUndefined();
  });

  it('creates a staff account whose mail link sets the password; deactivation ends its session', async () => {
    const email = 'neu.kollegin@demo.portier.dev';
    const bad = await asAdmin('/staff', 'POST', { firstName: 'A', lastName: 'B', email, role: 'tenant' });
    expect(bad.status).toBe(400);
    const created = await asAdmin('/staff', 'POST', {
      firstName: 'Nora',
      lastName: 'Neu',
      email,
      role: 'staff',
      language: 'en',
      teamIds: [],
    });
    expect(created.status).toBe(201);
    const account = ((await created.json()) as { account: AdminStaffAccountDto }).account;
    expect(account).toMatchObject({ email, role: 'staff', active: true, passwordSet: false });
    const again = await asAdmin('/staff', 'POST', {
      firstName: 'Nora',
      lastName: 'Neu',
      email: email.toUpperCase(),
      role: 'staff',
      language: 'en',
    });
    expect(again.status).toBe(409);

    const mail = await readLatestMail(ctx, email, { path: '/reset-password' });
    expect(mail.link).toContain(`/reset-password?token=`);
    const password = 'Sonnenblume-Teppich-42';
    const reset = await call(app, '/api/auth/password/reset', { json: { token: mail.token, password } });
    expect(reset.ok).toBe(true);
    const token = await loginAs(app, email, password);
    expect((await call(app, '/api/me', { cookie: token })).status).toBe(200);

    const off = await asAdmin(`/staff/${account.id}`, 'PATCH', { active: false });
    expect(off.status).toBe(200);
    expect((await call(app, '/api/me', { cookie: token })).status).toBe(401);
    const login = await call(app, '/api/auth/login', { json: { login: email, password } });
    // Only the right password learns that the account is disabled.
    expect(login.status).toBe(403);
    expect(await codeOf(login)).toBe('account_disabled');
    expect((await asAdmin(`/staff/${account.id}`, 'PATCH', { active: true })).status).toBe(200);
    expect(await loginAs(app, email, password)).toBeTruthy();
  });

  it('an admin cannot deactivate or demote themselves (409); customers are 404', async () => {
    const staff = ((await (await asAdmin('/staff')).json()) as { staff: AdminStaffAccountDto[] }).staff;
    const self = staff.find((row) => row.email === DEMO_LOGINS.admin)!;
    const off = await asAdmin(`/staff/${self.id}`, 'PATCH', { active: false });
    expect(off.status).toBe(409);
    expect(await codeOf(off)).toBe('cannot_deactivate_self');
    expect((await asAdmin(`/staff/${self.id}`, 'PATCH', { role: 'staff' })).status).toBe(409);
    const me = (await (await call(app, '/api/me', { cookie: session.admin })).json()) as { user: UserDto };
    expect(me.user).toMatchObject({ role: 'admin', loginEmail: DEMO_LOGINS.admin });
    const tenant = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    const tenantId = (
      (await (await call(app, '/api/me', { cookie: tenant })).json()) as { user: { id: string } }
    ).user.id;
    expect((await asAdmin(`/staff/${tenantId}`, 'PATCH', { role: 'admin' })).status).toBe(404);
  });

  it('takes a PNG logo, refuses SVG (415), serves it publicly with safe headers', async () => {
    const upload = (bytes: Uint8Array, name: string, type: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
      return app.request('/api/staff/admin/branding/logo', {
        method: 'POST',
        body: form,
        headers: { origin: testOrigin, cookie: `portier_session=${session.admin}` },
      });
    };
    const svg = new TextEncoder().encode(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    );
    const refused = await upload(svg, 'logo.svg', 'image/svg+xml');
    expect(refused.status).toBe(415);
    const anonymous = (await (await call(app, '/api/branding')).json()) as PublicBrandingDto;
    expect(anonymous.logoUrl).toBeNull();

    const png = await sharp({
      create: { width: 40, height: 20, channels: 4, background: { r: 11, g: 92, b: 173, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    const ok = await upload(png, 'logo.png', 'image/png');
    expect(ok.status).toBe(200);
    const pub = await call(app, '/api/branding');
    expect(pub.status).toBe(200);
    const body = (await pub.json()) as PublicBrandingDto;
    expect(Object.keys(body).sort()).toEqual(['contact', 'logoUrl', 'name', 'primaryColor']);
    expect(body.logoUrl).toMatch(/^\/api\/branding\/logo\?v=/);
    const logo = await call(app, body.logoUrl!);
    expect(logo.status).toBe(200);
    expect(logo.headers.get('content-type')).toMatch(/^image\/(png|webp)$/);
    expect(logo.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await sharp(new Uint8Array(await logo.arrayBuffer())).metadata()).width).toBe(40);
  });
});
