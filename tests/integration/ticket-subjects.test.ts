import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { findAccountByLoginEmail, updateUser } from '../../db/repositories/users.ts';
import { testTables } from '../helpers/tables.ts';
import type { AdminTicketTypesDto } from '../../shared/api/staff-admin.ts';
import type { TenantRecordDto } from '../../shared/api/staff-tenants.ts';
import type { TicketDto } from '../../shared/api/tickets.ts';
import type { TicketTypeForm } from '../../shared/ticket-types.ts';
import { call, readLatestMail } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

const { tickets } = testTables;

const mould = {
  type: 'damage_report',
  fields: {
    location: 'flat',
    room: 'bathroom',
    component: 'mould',
    urgency: 'normal',
    permission_to_enter: true,
  },
  description: 'Schwarze Flecken an der Decke.',
};

/** Issue 15 item 3: one subject per reader's language, in lists, workspace and mails. */
describe('ticket subjects in the reader language', async () => {
  const { ctx, app, db, session } = await staffWorld(['tenant', 'staff', 'admin']);
  let clientIds = 0;
  const file = async (extra: Record<string, unknown> = {}) => {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: { ...mould, ...extra, clientId: `subject-test-${++clientIds}` },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: TicketDto }).ticket;
  };
  const english = async () => {
    const tenant = (await findAccountByLoginEmail(db, DEMO_LOGINS.tenant))!;
    await updateUser(db, tenant.user.id, { language: 'en' });
    const staff = (await findAccountByLoginEmail(db, DEMO_LOGINS.staff))!;
    await updateUser(db, staff.user.id, { language: 'de' });
  };

  it('shows an English tenant the English subject in the answer, the list and the mail', async () => {
    await english();
    const ticket = await file();
    expect(ticket.subject).toBe('Damage report: Flat, Bathroom, Mould');
    const list = (await (await call(app, '/api/tickets', { cookie: session.tenant })).json()) as {
      tickets: TicketDto[];
    };
    expect(list.tickets.find((row) => row.id === ticket.id)?.subject).toBe(
      'Damage report: Flat, Bathroom, Mould',
    );
    const mail = await readLatestMail(ctx, DEMO_LOGINS.tenant);
    expect(mail.text).toContain('Damage report: Flat, Bathroom, Mould');
    expect(mail.text).not.toContain('Schadensmeldung');
  });

  it('shows a German staff member the German subject in the inbox and the workspace', async () => {
    await english();
    const ticket = await file();
    const inbox = (await (
      await call(app, '/api/staff/tickets?q=Schimmel', { cookie: session.staff })
    ).json()) as { tickets: TicketDto[] };
    expect(inbox.tickets.find((row) => row.id === ticket.id)?.subject).toBe(
      'Schadensmeldung: Wohnung, Bad, Schimmel',
    );
    const workspace = (await (
      await call(app, `/api/staff/tickets/${ticket.id}`, { cookie: session.staff })
    ).json()) as { ticket: TicketDto };
    expect(workspace.ticket.subject).toBe('Schadensmeldung: Wohnung, Bad, Schimmel');
    // The stored subject (webhooks, exports) is the landlord's default language, German.
    expect((await db.select().from(tickets).where(eq(tickets.id, ticket.id)))[0]?.subject).toBe(
      'Schadensmeldung: Wohnung, Bad, Schimmel',
    );
  });

  it('gives the tenant record the subject in the staff reader’s language, as the inbox does', async () => {
    await english();
    const ticket = await file();
    const staff = (await findAccountByLoginEmail(db, DEMO_LOGINS.staff))!;
    await updateUser(db, staff.user.id, { language: 'sv' });
    const personId = (await findAccountByLoginEmail(db, DEMO_LOGINS.tenant))!.user.personId;
    const record = (await (
      await call(app, `/api/staff/tenants/${personId}`, { cookie: session.staff })
    ).json()) as TenantRecordDto;
    const inbox = (await (
      await call(app, `/api/staff/tickets?q=${ticket.number}`, { cookie: session.staff })
    ).json()) as { tickets: TicketDto[] };
    const inRecord = record.tickets.find((row) => row.id === ticket.id)?.subject;
    expect(inRecord).toBe(ticket.subjects?.sv);
    expect(inRecord).toBe(inbox.tickets.find((row) => row.id === ticket.id)?.subject);
    expect(inRecord).not.toBe('Schadensmeldung: Wohnung, Bad, Schimmel');
    await updateUser(db, staff.user.id, { language: 'de' });
  });

  it('leads with the type and keeps the tenant title in every language; search finds any language', async () => {
    await english();
    const ticket = await file({ title: 'Black spots on the ceiling' });
    expect(ticket.subject).toBe('Damage report: Black spots on the ceiling');
    expect(ticket.title).toBe('Black spots on the ceiling');
    expect(ticket.subjects).toMatchObject({ sv: 'Felanmälan: Black spots on the ceiling' });
    // A German search word finds the English tenant's request (the search document holds all three).
    const found = (await (
      await call(app, '/api/staff/tickets?q=Schadensmeldung', { cookie: session.staff })
    ).json()) as { tickets: TicketDto[] };
    expect(found.tickets.map((row) => row.id)).toContain(ticket.id);
    const mine = (await (
      await call(app, '/api/tickets?q=Felanmälan', { cookie: session.tenant })
    ).json()) as {
      tickets: TicketDto[];
    };
    expect(mine.tickets.map((row) => row.id)).toContain(ticket.id);
  });
});

/** Issue 15 item 8: the form editor saves through the admin route, validated by the shared schema. */
describe('ticket type forms edited by an admin', async () => {
  const { app, session } = await staffWorld(['tenant', 'staff', 'admin']);
  const put = (form: unknown) =>
    call(app, '/api/staff/admin/ticket-types/pet_permission', {
      method: 'PUT',
      cookie: session.admin,
      json: { form },
    });
  const storedForm = async () => {
    const list = (await (
      await call(app, '/api/staff/admin/ticket-types', { cookie: session.admin })
    ).json()) as AdminTicketTypesDto;
    return list.ticketTypes.find((type) => type.id === 'pet_permission')!.form as TicketTypeForm;
  };

  it('round-trips a new dependent select with labels in three languages to the tenant form', async () => {
    const form = await storedForm();
    const cage = {
      name: 'cage_size',
      kind: 'select' as const,
      required: true,
      label: { de: 'Käfiggröße', en: 'Cage size', sv: 'Burstorlek' },
      options: ['small', 'large'],
      optionLabels: { small: { de: 'Klein', en: 'Small', sv: 'Liten' }, large: { de: 'Groß', en: 'Large' } },
      dependsOn: { field: 'species', values: ['small_animal', 'bird'] },
    };
    const next = { ...form, fields: [...form.fields, cage] };
    const res = await put(next);
    expect(res.status).toBe(200);
    expect(await storedForm()).toEqual(next);
    const offered = (await (await call(app, '/api/ticket-types', { cookie: session.tenant })).json()) as {
      types: { id: string; form: TicketTypeForm }[];
    };
    const pet = offered.types.find((type) => type.id === 'pet_permission')!;
    expect(pet.form.fields.at(-1)).toEqual(cage);
    // A request needs the new field exactly when it applies.
    const file = (fields: Record<string, unknown>, clientId: string) =>
      call(app, '/api/tickets', {
        cookie: session.tenant,
        json: { type: 'pet_permission', fields, description: 'Ein Hamster.', clientId },
      });
    const missing = await file({ species: 'small_animal' }, 'form-editor-1');
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      'fields.cage_size': 'validation_required',
    });
    const filed = await file({ species: 'small_animal', cage_size: 'large' }, 'form-editor-2');
    expect(filed.status).toBe(201);
    expect((await file({ species: 'cat' }, 'form-editor-3')).status).toBe(201);
  });

  it('refuses an inconsistent form with 400 located on the field, and keeps the stored one', async () => {
    const before = await storedForm();
    const bad = [
      [
        { name: 'later', kind: 'text', required: false, dependsOn: { field: 'nowhere', values: ['x'] } },
        'dependsOn.field',
        'unknown_parent',
      ],
      [{ name: 'species', kind: 'text', required: false }, 'name', 'duplicate_name'],
      [{ name: 'colour', kind: 'select', required: true, options: [] }, 'options', 'options_required'],
      [{ name: 'Bad Name', kind: 'text', required: false }, 'name', 'invalid_format'],
      [
        { name: 'size', kind: 'select', required: true, options: ['a'], optionLabels: { b: { de: 'B' } } },
        'optionLabels.b',
        'unknown_option',
      ],
    ] as const;
    for (const [field, path, code] of bad) {
      const res = await put({ ...before, fields: [...before.fields, field] });
      expect(res.status, code).toBe(400);
      const body = (await res.json()) as { error: { code: string; fields: Record<string, string> } };
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.fields[`form.fields.${before.fields.length}.${path}`], JSON.stringify(body)).toBe(
        code,
      );
    }
    expect(await storedForm()).toEqual(before);
  });
});
