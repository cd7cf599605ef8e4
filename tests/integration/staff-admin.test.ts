import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findSetting } from '../../db/repositories/settings.ts';
import type { AdminTicketTypesDto, BrandingDto } from '../../shared/api/staff-admin.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { auditEntries, ticketTypes } = testTables;

describe('staff admin', async () => {
  const { app, db, session } = await staffWorld(['tenant', 'staff', 'admin']);
  const audits = (action: string) => db.select().from(auditEntries).where(eq(auditEntries.action, action));
  const branding = {
    name: 'Wohnbau Nord eG',
    primaryColor: '#1d4ed8',
    contactEmail: 'service@wohnbau.example',
    contactPhone: '+49 30 555 0100',
  };

  it('refuses staff, tenants and anonymous callers on every admin route', async () => {
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/api/staff/admin/ticket-types'],
      ['PUT', '/api/staff/admin/ticket-types/damage_report', { active: false }],
      ['GET', '/api/staff/admin/password-policy'],
      ['PUT', '/api/staff/admin/password-policy', { minLength: 14 }],
      ['GET', '/api/staff/admin/branding'],
      ['PUT', '/api/staff/admin/branding', branding],
      ['DELETE', '/api/staff/admin/branding/logo'],
      ['GET', '/api/staff/admin/teams'],
      ['POST', '/api/staff/admin/teams', { name: 'X' }],
      ['PATCH', '/api/staff/admin/teams/any', { name: 'X' }],
      ['DELETE', '/api/staff/admin/teams/any'],
      ['PUT', '/api/staff/admin/teams/any/members', { userIds: [] }],
      ['PUT', '/api/staff/admin/teams/any/scopes', { scopes: [] }],
      ['GET', '/api/staff/admin/staff'],
      ['POST', '/api/staff/admin/staff', { firstName: 'A' }],
      ['PATCH', '/api/staff/admin/staff/any', { active: false }],
    ];
    for (const [method, path, json] of routes) {
      for (const [who, status] of [
        ['staff', 403],
        ['tenant', 403],
        [null, 401],
      ] as const) {
        const res = await call(app, path, { method, json, cookie: who ? session[who] : null });
        expect(res.status, `${who} ${method} ${path}`).toBe(status);
      }
    }
  });

  it('edits a ticket type; the tenant form list follows without a restart', async () => {
    const list = (await (
      await call(app, '/api/staff/admin/ticket-types', { cookie: session.admin })
    ).json()) as AdminTicketTypesDto;
    const type = list.ticketTypes.find((row) => row.id === 'pet_permission')!;
    const offered = async () =>
      (
        (await (await call(app, '/api/ticket-types', { cookie: session.tenant })).json()) as {
          types: { id: string }[];
        }
      ).types.map((row) => row.id);
    expect(await offered()).toContain('pet_permission');
    expect(type.formValid).toBe(true);
    const res = await call(app, '/api/staff/admin/ticket-types/pet_permission', {
      method: 'PUT',
      cookie: session.admin,
      json: {
        slaFirstResponseHours: 4,
        slaResolutionHours: 48,
        active: false,
        routingTeamId: list.teams[0]!.id,
      },
    });
    expect(res.status).toBe(200);
    expect(await offered()).not.toContain('pet_permission');
    expect((await audits('admin.ticket_type_changed')).some((row) => row.entityId === 'pet_permission')).toBe(
      true,
    );
    expect(
      (
        await call(app, '/api/staff/admin/ticket-types/nope', {
          method: 'PUT',
          cookie: session.admin,
          json: { active: true },
        })
      ).status,
    ).toBe(404);
    // An empty change is refused before anything is looked up (it used to reach drizzle: 500).
    const empty = await call(app, '/api/staff/admin/ticket-types/pet_permission', {
      method: 'PUT',
      cookie: session.admin,
      json: {},
    });
    expect(empty.status).toBe(400);
  });

  it('rejects an invalid form with 400 and stores nothing', async () => {
    const [before] = await db.select().from(ticketTypes).where(eq(ticketTypes.id, 'damage_report'));
    expect(before).toBeDefined();
    for (const form of [{ fields: 'not a list' }, { fields: [{ name: 'x', kind: 'teleport' }] }, null]) {
      const res = await call(app, '/api/staff/admin/ticket-types/damage_report', {
        method: 'PUT',
        cookie: session.admin,
        json: { form, slaFirstResponseHours: 1 },
      });
      expect(res.status).toBe(400);
    }
    const [after] = await db.select().from(ticketTypes).where(eq(ticketTypes.id, 'damage_report'));
    expect(after).toEqual(before);
    const slaInverted = await call(app, '/api/staff/admin/ticket-types/damage_report', {
      method: 'PUT',
      cookie: session.admin,
      json: { slaFirstResponseHours: 500, slaResolutionHours: 10 },
    });
    expect(slaInverted.status).toBe(400);
  });

  it('validates and stores the password policy', async () => {
    const bad = await call(app, '/api/staff/admin/password-policy', {
      method: 'PUT',
      cookie: session.admin,
      json: { minLength: 0 },
    });
    expect(bad.status).toBe(400);
    const ok = await call(app, '/api/staff/admin/password-policy', {
      method: 'PUT',
      cookie: session.admin,
      json: { minLength: 14, minDigits: 1 },
    });
    expect(ok.status).toBe(200);
    const policy = (await (await call(app, '/api/auth/password-policy')).json()) as {
      policy?: { minLength: number };
      minLength?: number;
    };
    expect(policy.policy?.minLength ?? policy.minLength).toBe(14);
    expect(await audits('admin.password_policy_changed')).toHaveLength(1);
  });

  it('refuses a primary colour with too little contrast and stores a good one', async () => {
    const pale = await call(app, '/api/staff/admin/branding', {
      method: 'PUT',
      cookie: session.admin,
      json: { ...branding, primaryColor: '#7fb2ff' },
    });
    expect(pale.status).toBe(400);
    expect(((await pale.json()) as { error: { code: string } }).error.code).toBe('insufficient_contrast');
    const notHex = await call(app, '/api/staff/admin/branding', {
      method: 'PUT',
      cookie: session.admin,
      json: { ...branding, primaryColor: 'red' },
    });
    expect(notHex.status).toBe(400);
    expect(((await findSetting(db, 'branding')) as { name: string }).name).not.toBe(branding.name);

    const ok = await call(app, '/api/staff/admin/branding', {
      method: 'PUT',
      cookie: session.admin,
      json: branding,
    });
    expect(ok.status).toBe(200);
    const saved = ((await ok.json()) as { branding: BrandingDto }).branding;
    expect(saved.name).toBe(branding.name);
    expect(saved.contrastOnWhiteText).toBeGreaterThanOrEqual(4.5);
    expect(await audits('admin.branding_changed')).toHaveLength(1);
  });
});
