import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_NUMBERS, DEMO_REGISTRATION_CODE } from '../../server/demo/demo-constants.ts';
import type {
  PerPersonLetterDto,
  TenantDirectoryDto,
  TenantViewDto,
} from '../../shared/api/staff-tenants.ts';
import { call } from '../helpers/auth.ts';
import { pdfText, registrationCodePattern } from '../helpers/pdf-text.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { strongPassword } from '../helpers/fixtures.ts';
import { testTables } from '../helpers/tables.ts';

const { auditEntries, buildings, estates, persons } = testTables;

const codePattern = registrationCodePattern;

describe('staff onboarding', async () => {
  const { app, db, session } = await staffWorld(['tenant', 'staff', 'staffMalmo', 'admin']);

  const personId = async (customerNumber: string) =>
    (await db.select().from(persons).where(eq(persons.customerNumber, customerNumber)))[0]!.id;
  let hannahId = '';
  let erikaId = '';
  beforeAll(async () => {
    hannahId = await personId(DEMO_CUSTOMER_NUMBERS.unregistered);
    erikaId = await personId(DEMO_CUSTOMER_NUMBERS.tenant);
  });
  const berlinBuildingOf = async (street: string, houseNumber: string) =>
    (
      await db
        .select({ id: buildings.id })
        .from(buildings)
        .where(and(eq(buildings.street, street), eq(buildings.houseNumber, houseNumber)))
    )[0]!.id;
  const directory = async (who: string, query = '') => {
    const res = await call(app, `/api/staff/tenants${query}`, { cookie: session[who] });
    expect(res.status).toBe(200);
    return (await res.json()) as TenantDirectoryDto;
  };
  const register = (code: string, email: string) =>
    call(app, '/api/auth/register', {
      json: {
        code,
        email,
        password: strongPassword,
        acceptPrivacy: true,
        acceptTerms: true,
        acceptElectronicDelivery: true,
      },
    });
  const audits = (action: string) => db.select().from(auditEntries).where(eq(auditEntries.action, action));

  it('lists the directory with registration status, filters and scope', async () => {
    const all = await directory('staff');
    const hannah = all.tenants.find((row) => row.personId === hannahId);
    expect(hannah?.status).toBe('invited');
    expect(all.tenants.find((row) => row.personId === erikaId)?.status).toBe('registered');
    const invited = await directory('staff', '?status=invited');
    expect(invited.tenants.every((row) => row.status === 'invited')).toBe(true);
    const search = await directory('staff', '?q=Neumann');
    expect(search.tenants.map((row) => row.personId)).toContain(hannahId);
    expect(search.tenants.every((row) => row.name.includes('Neumann'))).toBe(true);

    const malmo = await directory('staffMalmo');
    expect(malmo.tenants.length).toBeGreaterThan(0);
    expect(malmo.tenants.some((row) => row.personId === hannahId)).toBe(false);
    const swedishBuildings = (
      await db
        .select({ id: buildings.id })
        .from(buildings)
        .innerJoin(estates, eq(estates.id, buildings.estateId))
        .where(eq(estates.country, 'SE'))
    ).map((row) => row.id);
    expect(malmo.buildings.every((building) => swedishBuildings.includes(building.id))).toBe(true);
  });

  it('refuses tenants, anonymous callers and bad queries', async () => {
    expect((await call(app, '/api/staff/tenants', { cookie: session.tenant })).status).toBe(403);
    expect((await call(app, '/api/staff/tenants')).status).toBe(401);
    expect((await call(app, '/api/staff/tenants?status=bogus', { cookie: session.staff })).status).toBe(400);
    const letters = await call(app, '/api/staff/registration-letters', {
      cookie: session.tenant,
      json: { personIds: [hannahId], layout: 'single' },
    });
    expect(letters.status).toBe(403);
    const twoSelections = await call(app, '/api/staff/registration-letters', {
      cookie: session.staff,
      json: { personIds: [hannahId], buildingId: 'x', layout: 'single' },
    });
    expect(twoSelections.status).toBe(400);
  });

  it('answers 404 for persons and buildings outside the scope', async () => {
    const byPerson = await call(app, '/api/staff/registration-letters', {
      cookie: session.staffMalmo,
      json: { personIds: [hannahId], layout: 'single' },
    });
    expect(byPerson.status).toBe(404);
    const byBuilding = await call(app, '/api/staff/registration-letters', {
      cookie: session.staffMalmo,
      json: { buildingId: await berlinBuildingOf('Musterstraße', '1'), layout: 'single' },
    });
    expect(byBuilding.status).toBe(404);
    const regenerate = await call(app, `/api/staff/tenants/${hannahId}/registration-code`, {
      cookie: session.staffMalmo,
      method: 'POST',
    });
    expect(regenerate.status).toBe(404);
    expect(
      (await call(app, `/api/staff/tenants/${erikaId}/view`, { cookie: session.staffMalmo })).status,
    ).toBe(404);
    expect((await call(app, '/api/staff/tenants/nobody/view', { cookie: session.staff })).status).toBe(404);
  });

  it('shows what the tenant sees, read-only and audited', async () => {
    const res = await call(app, `/api/staff/tenants/${erikaId}/view`, { cookie: session.staff });
    expect(res.status).toBe(200);
    const view = (await res.json()) as TenantViewDto;
    expect(view.contracts.length).toBeGreaterThan(0);
    expect(view.invoices.length).toBeGreaterThan(0);
    expect(view.tickets.length).toBeGreaterThan(0);
    const entry = (await audits('staff.viewed_as_tenant')).find((row) => row.entityId === erikaId);
    expect(entry?.actorUserId).toBeTruthy();
    const unregistered = await call(app, `/api/staff/tenants/${hannahId}/view`, { cookie: session.staff });
    expect(unregistered.status).toBe(409);
  });

  it('regenerates a lost code: the old one dies, the new one registers', async () => {
    const res = await call(app, `/api/staff/tenants/${hannahId}/registration-code`, {
      cookie: session.staff,
      method: 'POST',
    });
    expect(res.status).toBe(201);
    const { code } = (await res.json()) as { code: string };
    expect(code).toMatch(codePattern);
    const old = await register(DEMO_REGISTRATION_CODE, 'hannah.old@example.test');
    expect(old.status).toBe(400);
    expect(((await old.json()) as { error: { code: string } }).error.code).toBe('invalid_code');
    expect((await audits('registration.code_regenerated')).some((row) => row.entityId === hannahId)).toBe(
      true,
    );
    // Still `invited`: the fresh code is open.
    expect((await directory('staff', '?q=Neumann')).tenants[0]?.status).toBe('invited');
    expect((await register(code, 'hannah.new@example.test')).status).toBe(201);
  });

  it('prints letters for a building as one PDF with working codes', async () => {
    const buildingId = (await directory('staff')).tenants.find(
      (row) => row.status !== 'registered',
    )?.buildingId;
    expect(buildingId).toBeDefined();
    const res = await call(app, '/api/staff/registration-letters', {
      cookie: session.admin,
      json: { buildingId, layout: 'single' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    const codes = text.match(codePattern) ?? [];
    expect(codes.length).toBeGreaterThan(0);
    expect(text).toContain('http://portier.test/register');
    expect((await audits('registration.letter_printed')).length).toBeGreaterThanOrEqual(codes.length);
    expect((await register(codes[0]!, 'from.letter@example.test')).status).toBe(201);
  });

  it('prints one PDF per person as JSON and refuses when everyone is registered', async () => {
    const open = (await directory('admin')).tenants.filter((row) => row.status !== 'registered');
    const res = await call(app, '/api/staff/registration-letters', {
      cookie: session.admin,
      json: { personIds: [open[0]!.personId], layout: 'per_person' },
    });
    expect(res.status).toBe(201);
    const { letters } = (await res.json()) as { letters: PerPersonLetterDto[] };
    expect(letters).toHaveLength(1);
    expect(Buffer.from(letters[0]!.pdf, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const registered = await call(app, '/api/staff/registration-letters', {
      cookie: session.admin,
      json: { personIds: [erikaId], layout: 'single' },
    });
    expect(registered.status).toBe(409);
  });
});
