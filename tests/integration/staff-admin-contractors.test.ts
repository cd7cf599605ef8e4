import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { replaceTeamsOfUser } from '../../db/repositories/admin.ts';
import type {
  AdminContractorsDto,
  ContractorDto,
  ContractorPickerDto,
} from '../../shared/api/contractors.ts';
import { issueJobLink } from '../../server/services/repairs/job-link.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { createUser, strongPassword } from '../helpers/fixtures.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { auditEntries, buildings, contractors, teams, teamScopes, tickets } = testTables;

describe('contractor directory', async () => {
  const { app, db, ctx, session } = await staffWorld(['tenant', 'staff', 'admin']);
  const base = '/api/staff/admin/contractors';
  let buildingA = '';
  let buildingB = '';
  beforeAll(async () => {
    const rows = await db.select({ id: buildings.id }).from(buildings).orderBy(buildings.id);
    buildingA = rows[0]!.id;
    buildingB = rows[1]!.id;
  });

  const create = async (json: unknown) => {
    const res = await call(app, base, { cookie: session.admin, json });
    expect(res.status, JSON.stringify(json)).toBe(201);
    return ((await res.json()) as { contractor: ContractorDto }).contractor;
  };

  it('refuses staff, tenants and anonymous callers on every admin route', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', base],
      ['POST', base, { name: 'X', trades: ['general'] }],
      ['GET', `${base}/any`],
      ['PATCH', `${base}/any`, { name: 'Y' }],
      ['DELETE', `${base}/any`],
    ];
    for (const [method, path, json] of routes)
      for (const [who, status] of [
        ['staff', 403],
        ['tenant', 403],
        [null, 401],
      ] as const) {
        const res = await call(app, path, { method, json, cookie: who ? session[who] : null });
        expect(res.status, `${who} ${method} ${path}`).toBe(status);
      }
    // The dispatch picker is for staff: tenants 403, nobody 401.
    expect((await call(app, '/api/staff/contractors', { cookie: session.tenant })).status).toBe(403);
    expect((await call(app, '/api/staff/contractors', { cookie: null })).status).toBe(401);
  });

  it('creates, lists, reads and changes a contractor, audited', async () => {
    const created = await create({
      name: 'Muster Sanitär GmbH',
      trades: ['plumbing', 'heating'],
      contactPerson: 'Max Muster',
      phone: '+49 30 7654321',
      email: 'Auftrag@Muster.example',
      language: 'de',
      buildingIds: [buildingA],
    });
    expect(created).toMatchObject({
      name: 'Muster Sanitär GmbH',
      trades: ['plumbing', 'heating'],
      email: 'auftrag@muster.example',
      buildingIds: [buildingA],
      externalId: null,
      active: true,
    });

    const list = (await (await call(app, base, { cookie: session.admin })).json()) as AdminContractorsDto;
    expect(list.contractors.map((c) => c.id)).toContain(created.id);
    expect(list.buildings.map((b) => b.id)).toEqual(expect.arrayContaining([buildingA, buildingB]));

    const read = await call(app, `${base}/${created.id}`, { cookie: session.admin });
    expect(((await read.json()) as { contractor: ContractorDto }).contractor).toEqual(created);

    const patched = await call(app, `${base}/${created.id}`, {
      method: 'PATCH',
      cookie: session.admin,
      json: { trades: ['plumbing'], buildingIds: [buildingA, buildingB], phone: null },
    });
    expect(patched.status).toBe(200);
    const after = ((await patched.json()) as { contractor: ContractorDto }).contractor;
    expect(after).toMatchObject({ trades: ['plumbing'], phone: null, name: 'Muster Sanitär GmbH' });
    expect([...after.buildingIds].sort()).toEqual([buildingA, buildingB].sort());

    const actions = (
      await db
        .select({ action: auditEntries.action })
        .from(auditEntries)
        .where(eq(auditEntries.entityId, created.id))
    ).map((row) => row.action);
    expect(actions).toEqual(expect.arrayContaining(['admin.contractor_created', 'admin.contractor_changed']));
  });

  it('answers 400 with field codes to bad input, never 500', async () => {
    const bad: Array<[unknown, string]> = [
      [{ trades: ['plumbing'] }, 'name'],
      [{ name: 'X', trades: [] }, 'trades'],
      [{ name: 'X', trades: ['alchemy'] }, 'trades.0'],
      [{ name: 'X', trades: ['plumbing', 'plumbing'] }, 'trades'],
      [{ name: 'X', trades: ['general'], phone: 'ring me' }, 'phone'],
      [{ name: 'X', trades: ['general'], email: 'nope' }, 'email'],
      [{ name: 'X', trades: ['general'], language: 'fr' }, 'language'],
      [{ name: 'X', trades: ['general'], buildingIds: ['no-such-building'] }, 'buildingIds.0'],
      [{ name: 'X', trades: ['general'], buildingIds: [buildingA, buildingA] }, 'buildingIds'],
      [{ name: 'X', trades: ['general'], surprise: true }, '_'],
      [{ name: ' ', trades: ['general'] }, 'name'],
    ];
    for (const [json, field] of bad) {
      const res = await call(app, base, { cookie: session.admin, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(error.code).toBe('validation_failed');
      expect(Object.keys(error.fields), JSON.stringify(json)).toContain(field);
    }
    const contractor = await create({ name: 'Leer GmbH', trades: ['general'] });
    const empty = await call(app, `${base}/${contractor.id}`, {
      method: 'PATCH',
      cookie: session.admin,
      json: {},
    });
    expect(empty.status).toBe(400);
    const notJson = await call(app, base, {
      cookie: session.admin,
      method: 'POST',
      rawBody: 'name=X',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(notJson.status).toBe(415);
    expect((await call(app, '/api/staff/contractors?trade=alchemy', { cookie: session.staff })).status).toBe(
      400,
    );
    expect((await call(app, '/api/staff/contractors?colour=red', { cookie: session.staff })).status).toBe(
      400,
    );
  });

  it('answers 404 for unknown ids on read, change and delete', async () => {
    for (const [method, json] of [['GET'], ['PATCH', { name: 'Z' }], ['DELETE']] as const) {
      const res = await call(app, `${base}/nosuchcontractor`, { method, json, cookie: session.admin });
      expect(res.status, method).toBe(404);
    }
    // A ticket's id is not a contractor's.
    const ticketId = (await db.select({ id: tickets.id }).from(tickets).limit(1))[0]!.id;
    expect((await call(app, `${base}/${ticketId}`, { cookie: session.admin })).status).toBe(404);
  });

  it('deletes a contractor nothing refers to, and deactivates one a job link names', async () => {
    const unused = await create({ name: 'Einmal GmbH', trades: ['painting'] });
    const gone = await call(app, `${base}/${unused.id}`, { method: 'DELETE', cookie: session.admin });
    expect(gone.status).toBe(204);
    expect((await call(app, `${base}/${unused.id}`, { cookie: session.admin })).status).toBe(404);

    const used = await create({ name: 'Stammfirma KG', trades: ['locksmith'], buildingIds: [buildingA] });
    const ticketId = (await db.select({ id: tickets.id }).from(tickets).limit(1))[0]!.id;
    await issueJobLink(ctx.deps, { ticketId, contractorId: used.id, createdByUserId: null });
    const kept = await call(app, `${base}/${used.id}`, { method: 'DELETE', cookie: session.admin });
    expect(kept.status).toBe(200);
    expect(((await kept.json()) as { contractor: ContractorDto }).contractor.active).toBe(false);
    expect(await db.select().from(contractors).where(eq(contractors.id, used.id))).toHaveLength(1);

    // Deactivated, it leaves the picker; reactivated, it is back.
    const picker = async () =>
      (
        (await (
          await call(app, `/api/staff/contractors?building=${buildingA}&trade=locksmith`, {
            cookie: session.staff,
          })
        ).json()) as ContractorPickerDto
      ).contractors.map((c) => c.id);
    expect(await picker()).not.toContain(used.id);
    await call(app, `${base}/${used.id}`, { method: 'PATCH', cookie: session.admin, json: { active: true } });
    expect(await picker()).toContain(used.id);
  });

  it('the picker filters by building and trade, within the staff member’s scope', async () => {
    const onlyB = await create({ name: 'B-Elektrik', trades: ['electrical'], buildingIds: [buildingB] });
    const both = await create({
      name: 'AB-Elektrik',
      trades: ['electrical', 'lift'],
      buildingIds: [buildingA, buildingB],
    });
    const pick = async (query: string, cookie = session.staff!) => {
      const res = await call(app, `/api/staff/contractors${query}`, { cookie });
      return {
        status: res.status,
        // Without the demo's own directory (server/demo/contractors.ts): this test checks its own.
        ids: res.ok
          ? ((await res.json()) as ContractorPickerDto).contractors
              .filter((c) => !['Sprudel Sanitär GmbH', 'Elektro Blitz KG', 'Malmö Rör AB'].includes(c.name))
              .map((c) => c.id)
          : [],
      };
    };
    expect((await pick(`?building=${buildingA}&trade=electrical`)).ids).toEqual([both.id]);
    expect((await pick(`?building=${buildingB}&trade=electrical`)).ids).toEqual([both.id, onlyB.id]);
    expect((await pick(`?trade=lift`)).ids).toEqual([both.id]);
    expect((await pick(`?building=nosuchbuilding`)).status).toBe(404);

    // A staff member whose team covers building A only: B is not theirs (404), and B-only firms are hidden.
    const [team] = await db.insert(teams).values({ name: 'Nur A' }).returning();
    await db.insert(teamScopes).values({ teamId: team!.id, kind: 'building', buildingId: buildingA });
    const narrow = await createUser(db, {
      role: 'staff',
      email: 'nur-a@staff.example',
      password: strongPassword,
    });
    await replaceTeamsOfUser(db, narrow.user.id, [team!.id]);
    const cookie = await loginAs(app, 'nur-a@staff.example', strongPassword);
    expect((await pick(`?building=${buildingB}`, cookie)).status).toBe(404);
    const visible = (await pick('?trade=electrical', cookie)).ids;
    expect(visible).toContain(both.id);
    expect(visible).not.toContain(onlyB.id);
  });
});
