import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testTables } from '../helpers/tables.ts';
import type { JobDto, JobPageDto, JobsDto } from '../../shared/api/dispatch.ts';
import type { TicketMessageDto } from '../../shared/api/tickets.ts';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { call, listMails, testOrigin } from '../helpers/auth.ts';
import { LiveClient, startLiveServer, waitFor, type LiveServer } from '../helpers/live.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import { pngWithAlpha, shellScriptNamedJpg } from '../fixtures/uploads/hostile.ts';

const { contractors, jobLinks, tickets, webhookDeliveries } = testTables;

type Detail = {
  ticket: { status: string };
  messages: TicketMessageDto[];
  attachments: { id: string; messageId: string | null }[];
};

describe('repairs: dispatch to a contractor and the job link', async () => {
  let clock = new Date('2026-12-01T08:00:00Z');
  const world = await staffWorld(['tenant', 'neighbour', 'staff', 'admin', 'staffMalmo'], {
    configure: (deps) => {
      deps.now = () => clock;
    },
  });
  const { app, db, ctx } = world;
  const session = world.session as Record<'tenant' | 'neighbour' | 'staff' | 'admin' | 'staffMalmo', string>;
  const { deps } = ctx;
  let server: LiveServer;
  let ticketId = '';
  let otherTicketId = '';
  let otherPhotoId = '';
  let tenantPhotoId = '';
  let internalPhotoId = '';
  const contractorIds: Record<'plumber' | 'electrician' | 'malmo', string> = {
    plumber: '',
    electrician: '',
    malmo: '',
  };

  const uploadAs = async (cookie: string, bytes: Uint8Array, name = 'photo.png') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), name);
    const res = await app.request('/api/uploads', {
      method: 'POST',
      body: form,
      headers: { origin: testOrigin, cookie: `portier_session=${cookie}` },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { attachment: { id: string } }).attachment.id;
  };

  const fileTicket = async (clientId: string, attachmentIds: string[], phoneConsent = false) => {
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
          ...(phoneConsent ? { phone_to_contractor: true } : {}),
        },
        title: 'Wasserhahn tropft',
        description: 'Der Wasserhahn im Bad tropft seit Tagen.',
        clientId,
        attachmentIds,
      },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { ticket: { id: string } }).ticket.id;
  };

  const detail = async (cookie: string, id = ticketId) =>
    (await (await call(app, `/api/tickets/${id}`, { cookie })).json()) as Detail;

  const dispatch = (json: unknown, cookie = session.staff, id = ticketId) =>
    call(app, `/api/staff/tickets/${id}/dispatch`, { cookie, json });

  const jobsOf = async (id = ticketId) =>
    (
      (await (
        await call(app, `/api/staff/tickets/${id}/dispatch`, { cookie: session.staff })
      ).json()) as JobsDto
    ).jobs;

  /**
   * The link from the newest mail to the contractor, as the contractor reads it. Newest means not
   * read before: the files are named by the outbox rows' random ids, so sorting them says nothing.
   */
  const readMails = new Set<string>();
  async function mailedToken(address: string): Promise<string> {
    await drainOutbox(deps);
    const tokens = listMails(ctx.dataDir, address)
      .filter((file) => !readMails.has(file))
      .flatMap((file) => {
        readMails.add(file);
        const text = readFileSync(join(ctx.dataDir, 'mail', file), 'utf8').replace(/=\r?\n/g, '');
        const match = /http:\/\/portier\.test\/job\/([a-z2-7]+\.[A-Za-z0-9_-]{43})/.exec(text);
        return match ? [match[1]!] : [];
      });
    // One new job link since the last look: the dispatch just made.
    expect(tokens).toHaveLength(1);
    return tokens[0]!;
  }

  const job = (token: string, path = '', json?: unknown, ip?: string) =>
    call(app, `/api/job/${token}${path}`, { ...(json === undefined ? {} : { json }), ip });
  /** Wrong tokens count as guesses per address: each probe from an address of its own. */
  let probe = 0;
  const probeIp = () => `10.20.${Math.floor(++probe / 250)}.${probe % 250}`;

  beforeAll(async () => {
    for (const [key, name] of [
      ['plumber', 'Sprudel Sanitär GmbH'],
      ['electrician', 'Elektro Blitz KG'],
      ['malmo', 'Malmö Rör AB'],
    ] as const) {
      const row = (
        await db.select({ id: contractors.id }).from(contractors).where(eq(contractors.name, name))
      )[0];
      expect(row, name).toBeDefined();
      contractorIds[key] = row!.id;
    }
    tenantPhotoId = await uploadAs(session.tenant, await pngWithAlpha());
    ticketId = await fileTicket('dispatch-ticket-0001', [tenantPhotoId]);
    otherPhotoId = await uploadAs(session.tenant, await pngWithAlpha(20, 20));
    otherTicketId = await fileTicket('dispatch-ticket-0002', [otherPhotoId], true);
    // An internal note with a photo: the contractor must never reach it.
    internalPhotoId = await uploadAs(session.staff, await pngWithAlpha(10, 10));
    const note = await call(app, `/api/staff/tickets/${ticketId}/messages`, {
      cookie: session.staff,
      json: {
        body: 'Intern: Mieterin war schon zweimal unzufrieden',
        clientId: 'note-0001',
        internal: true,
        attachmentIds: [internalPhotoId],
      },
    });
    expect(note.status, await note.clone().text()).toBe(201);
    // A webhook for both job events.
    const hook = await call(app, '/api/staff/admin/webhooks', {
      cookie: session.admin,
      json: { url: 'http://erp.example/hooks', events: ['ticket.dispatched', 'ticket.repair_completed'] },
    });
    expect(hook.status, await hook.clone().text()).toBe(201);
    server = await startLiveServer(deps);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a contractor outside the building or trade unless forced, with a clear code', async () => {
    const trade = await dispatch({ contractorId: contractorIds.electrician });
    expect(trade.status).toBe(400);
    expect(((await trade.json()) as { error: { code: string } }).error.code).toBe(
      'contractor_not_serving_trade',
    );
    const building = await dispatch({ contractorId: contractorIds.malmo });
    expect(building.status).toBe(400);
    expect(((await building.json()) as { error: { code: string } }).error.code).toBe(
      'contractor_not_serving_building',
    );
    const unknown = await dispatch({ contractorId: 'nosuchcontractor' });
    expect(unknown.status).toBe(400);
    const bad = await dispatch({ contractorId: contractorIds.plumber, force: 'yes' });
    expect(bad.status).toBe(400);
    expect(await jobsOf()).toEqual([]);

    const forced = await dispatch({ contractorId: contractorIds.electrician, force: true });
    expect(forced.status).toBe(201);
    const { job: forcedJob } = (await forced.json()) as { job: JobDto };
    expect(forcedJob.state).toBe('dispatched');
    const withdrawn = await call(app, `/api/staff/tickets/${ticketId}/dispatch/${forcedJob.id}`, {
      method: 'DELETE',
      cookie: session.staff,
    });
    expect(withdrawn.status).toBe(200);
    expect(((await withdrawn.json()) as { job: JobDto }).job.state).toBe('withdrawn');
  });

  it("answers 404 for someone else's ticket and a link of another ticket; tenants 403", async () => {
    expect((await dispatch({ contractorId: contractorIds.plumber }, session.staffMalmo)).status).toBe(404);
    expect(
      (await call(app, `/api/staff/tickets/${ticketId}/dispatch`, { cookie: session.staffMalmo })).status,
    ).toBe(404);
    expect(
      (await dispatch({ contractorId: contractorIds.plumber }, session.staff, 'nosuchticket')).status,
    ).toBe(404);
    expect((await dispatch({ contractorId: contractorIds.plumber }, session.tenant)).status).toBe(403);
    expect((await dispatch({ contractorId: contractorIds.plumber }, '')).status).toBe(401);
    const [forced] = await jobsOf();
    expect(
      (
        await call(app, `/api/staff/tickets/${otherTicketId}/dispatch/${forced!.id}`, {
          method: 'DELETE',
          cookie: session.staff,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call(app, `/api/staff/tickets/${ticketId}/dispatch/${forced!.id}`, {
          method: 'DELETE',
          cookie: session.staffMalmo,
        })
      ).status,
    ).toBe(404);
  });

  let token = '';

  it('dispatches: the contractor gets a mail with the link, the tenant a line without the note, the ERP a webhook', async () => {
    const staff = new LiveClient(server.url, session.staff);
    const tenant = new LiveClient(server.url, session.tenant);
    await staff.connect();
    await tenant.connect();
    const res = await dispatch({
      contractorId: contractorIds.plumber,
      note: 'Schlüssel beim Hausmeister, Code 4711',
    });
    expect(res.status).toBe(201);
    const { job: dispatched } = (await res.json()) as { job: JobDto };
    expect(dispatched).toMatchObject({ state: 'dispatched', note: 'Schlüssel beim Hausmeister, Code 4711' });
    expect(dispatched.url).toMatch(/^http:\/\/portier\.test\/job\//);

    token = await mailedToken('auftrag@sprudel-sanitaer.example');
    expect(`http://portier.test/job/${token}`).toBe(dispatched.url);

    const lines = (await detail(session.tenant)).messages.map((message) => message.body);
    expect(lines).toContain('Sprudel Sanitär GmbH ist beauftragt.');
    // The first dispatch put the new request in progress; this one leaves the status alone.
    const { ticket } = await detail(session.tenant);
    expect(ticket.status).toBe('in_progress');
    expect(lines.filter((line) => line === 'status:new->in_progress')).toHaveLength(1);
    expect(JSON.stringify(await detail(session.tenant))).not.toContain('4711');
    expect(JSON.stringify(await detail(session.tenant))).not.toContain('Intern:');

    await waitFor(() => staff.ofType('job.updated').length > 0, 5000, 'job.updated to staff');
    await waitFor(
      () =>
        tenant.ofType('message.created').some((event) => JSON.stringify(event).includes('ist beauftragt')),
      5000,
      'the line to the tenant',
    );
    expect(tenant.ofType('job.updated')).toEqual([]);
    staff.disconnect();
    tenant.disconnect();

    const types = await db
      .select({ type: webhookDeliveries.type, payload: webhookDeliveries.payload })
      .from(webhookDeliveries);
    const dispatchedHooks = types.filter((row) => row.type === 'ticket.dispatched');
    // The forced dispatch and this one.
    expect(dispatchedHooks).toHaveLength(2);
    expect(dispatchedHooks.at(-1)!.payload).toContain(contractorIds.plumber);
    expect(dispatchedHooks.at(-1)!.payload).not.toContain(token);
  });

  it('shows the job page: place, access, windows, public photos only', async () => {
    const res = await job(token);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = ((await res.json()) as { job: JobPageDto }).job;
    expect(page).toMatchObject({
      state: 'dispatched',
      language: 'de',
      contractorName: 'Sprudel Sanitär GmbH',
      note: 'Schlüssel beim Hausmeister, Code 4711',
      ticket: { title: 'Wasserhahn tropft', description: 'Der Wasserhahn im Bad tropft seit Tagen.' },
      place: { street: 'Musterstraße', houseNumber: '1', unit: '1.02' },
      access: { permissionToEnter: true },
      windows: [{ date: '2026-12-04', from: '08:00', to: '10:00' }],
    });
    // The tenant did not allow passing on the phone number.
    expect(page.tenantPhone).toBeNull();
    expect(page.photos.map((photo) => photo.id)).toEqual([tenantPhotoId]);
    expect(JSON.stringify(page)).not.toContain('Intern:');

    const photo = await job(token, `/files/${tenantPhotoId}`);
    expect(photo.status).toBe(200);
    expect(photo.headers.get('content-type')).toBe('image/png');
    expect((await job(token, `/files/${otherPhotoId}`)).status).toBe(404);
    expect((await job(token, `/files/${internalPhotoId}`)).status).toBe(404);
    expect((await job(token, '/files/nosuchfile')).status).toBe(404);
  });

  it('answers 404 for forged, malformed, expired and revoked tokens on every job route', async () => {
    const [id, signature] = token.split('.') as [string, string];
    const flipped = `${id}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    // A withdrawn link (the forced dispatch above) and one that runs out below.
    const withdrawnJob = (await jobsOf()).find((row) => row.contractor.id === contractorIds.electrician)!;
    const withdrawnToken = `${withdrawnJob.id}.${'x'.repeat(43)}`;
    const candidates = [flipped, `${id}.${'A'.repeat(43)}`, 'garbage', `${token}x`, withdrawnToken];
    const routes: Array<[string, unknown?]> = [
      [''],
      ['/accept', {}],
      ['/decline', { reason: 'x' }],
      ['/done', { note: 'x' }],
      [`/files/${tenantPhotoId}`],
      [`/files/${tenantPhotoId}/thumbnail`],
    ];
    for (const candidate of candidates)
      for (const [path, json] of routes) {
        const res = await job(candidate, path, json, probeIp());
        expect(res.status, `${candidate} ${path}`).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
      }
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await pngWithAlpha())], { type: 'image/png' }), 'p.png');
    const upload = await app.request(`/api/job/${flipped}/uploads`, {
      method: 'POST',
      body: form,
      headers: { origin: testOrigin },
    });
    expect(upload.status).toBe(404);
    // The per-address throttle of wrong guesses (the registration codes'): 404s, then 429.
    const ip = '10.99.0.1';
    const answers: number[] = [];
    for (let attempt = 0; attempt < 32; attempt++)
      answers.push((await job(flipped, '', undefined, ip)).status);
    expect(answers.slice(0, 30).every((status) => status === 404)).toBe(true);
    expect(answers.at(-1)).toBe(429);
    // The real link still works; no state changed.
    expect(((await (await job(token)).json()) as { job: JobPageDto }).job.state).toBe('dispatched');
  });

  it('accepts live to staff and tenant; contractor photos pass the upload checks; done lands with photo and webhook', async () => {
    const staff = new LiveClient(server.url, session.staff);
    const tenant = new LiveClient(server.url, session.tenant);
    await staff.connect();
    await tenant.connect();

    const accepted = await job(token, '/accept', {});
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { job: JobPageDto }).job.state).toBe('accepted');
    await waitFor(
      () => staff.ofType('job.updated').some((event) => JSON.stringify(event).includes('"accepted"')),
      5000,
      'accepted to staff',
    );
    await waitFor(
      () => tenant.ofType('message.created').some((event) => JSON.stringify(event).includes('angenommen')),
      5000,
      'accepted to the tenant',
    );
    expect((await jobsOf()).find((row) => row.contractor.id === contractorIds.plumber)!.state).toBe(
      'accepted',
    );

    // A script named .jpg is refused like a tenant's upload.
    const hostile = new FormData();
    hostile.append(
      'file',
      new Blob([new Uint8Array(shellScriptNamedJpg())], { type: 'image/jpeg' }),
      'x.jpg',
    );
    const refused = await app.request(`/api/job/${token}/uploads`, {
      method: 'POST',
      body: hostile,
      headers: { origin: testOrigin },
    });
    expect(refused.status).toBe(415);
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(await pngWithAlpha(60, 40))], { type: 'image/png' }),
      'done.png',
    );
    const uploaded = await app.request(`/api/job/${token}/uploads`, {
      method: 'POST',
      body: form,
      headers: { origin: testOrigin },
    });
    expect(uploaded.status).toBe(201);
    const photoId = ((await uploaded.json()) as { attachment: { id: string } }).attachment.id;
    // Another's upload (the tenant's unclaimed one) cannot be handed in through the link.
    const foreignUpload = await uploadAs(session.tenant, await pngWithAlpha(12, 12));
    expect((await job(token, '/done', { note: 'x', attachmentIds: [foreignUpload] })).status).toBe(400);
    expect((await job(token, '/done', { note: 'x'.repeat(5000) })).status).toBe(400);

    const done = await job(token, '/done', {
      note: 'Dichtung getauscht, tropft nicht mehr.',
      attachmentIds: [photoId],
    });
    expect(done.status, await done.clone().text()).toBe(200);
    expect(((await done.json()) as { job: JobPageDto }).job.state).toBe('done');
    await waitFor(
      () =>
        tenant
          .ofType('message.created')
          .some((event) => JSON.stringify(event).includes('Dichtung getauscht')),
      5000,
      'done to the tenant',
    );
    await waitFor(
      () => staff.ofType('job.updated').some((event) => JSON.stringify(event).includes('"done"')),
      5000,
      'done to staff',
    );
    staff.disconnect();
    tenant.disconnect();

    const dialog = await detail(session.tenant);
    const line = dialog.messages.find((message) => message.body.includes('Dichtung getauscht'))!;
    expect(line.body).toContain('meldet: erledigt');
    expect(dialog.attachments.filter((a) => a.messageId === line.id).map((a) => a.id)).toEqual([photoId]);
    // Answered: no second answer.
    expect((await job(token, '/decline', { reason: 'doch nicht' })).status).toBe(409);
    expect((await job(token, '/accept', {})).status).toBe(409);

    const completed = await db
      .select({ payload: webhookDeliveries.payload })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.type, 'ticket.repair_completed'));
    expect(completed).toHaveLength(1);
    expect(completed[0]!.payload).toContain('Dichtung getauscht');
  });

  it('keeps a decline reason internal and lets staff withdraw a link at once', async () => {
    const res = await dispatch({ contractorId: contractorIds.plumber }, session.staff, otherTicketId);
    expect(res.status).toBe(201);
    const declineToken = await mailedToken('auftrag@sprudel-sanitaer.example');
    // This tenant allowed passing on the phone number: the page shows it (the other did not).
    const page = ((await (await job(declineToken)).json()) as { job: JobPageDto }).job;
    expect(page.tenantPhone).toBe('+49 30 23125 102');
    expect((await job(declineToken, '/decline', {})).status).toBe(400);
    const declined = await job(declineToken, '/decline', { reason: 'Kein Personal frei bis Januar' });
    expect(declined.status).toBe(200);
    const tenantView = JSON.stringify(await detail(session.tenant, otherTicketId));
    expect(tenantView).toContain('abgelehnt');
    expect(tenantView).not.toContain('Kein Personal');
    expect((await jobsOf(otherTicketId))[0]).toMatchObject({
      state: 'declined',
      declineReason: 'Kein Personal frei bis Januar',
    });

    const again = await dispatch({ contractorId: contractorIds.plumber }, session.staff, otherTicketId);
    const { job: live } = (await again.json()) as { job: JobDto };
    const liveToken = await mailedToken('auftrag@sprudel-sanitaer.example');
    expect((await job(liveToken)).status).toBe(200);
    const withdrawn = await call(app, `/api/staff/tickets/${otherTicketId}/dispatch/${live.id}`, {
      method: 'DELETE',
      cookie: session.staff,
    });
    expect(withdrawn.status).toBe(200);
    expect((await job(liveToken, '', undefined, probeIp())).status).toBe(404);
    expect((await job(liveToken, '/accept', {}, probeIp())).status).toBe(404);
    expect((await db.select().from(jobLinks).where(eq(jobLinks.id, live.id)))[0]!.revokedAt).not.toBeNull();
  });

  it('answers 404 once the link expired', async () => {
    const res = await dispatch({ contractorId: contractorIds.plumber }, session.staff, otherTicketId);
    expect(res.status).toBe(201);
    const expiring = await mailedToken('auftrag@sprudel-sanitaer.example');
    expect((await job(expiring)).status).toBe(200);
    const saved = clock;
    clock = new Date(clock.getTime() + 15 * 24 * 3_600_000);
    try {
      expect((await job(expiring, '', undefined, probeIp())).status).toBe(404);
      expect((await job(expiring, '/accept', {}, probeIp())).status).toBe(404);
    } finally {
      clock = saved;
    }
    // Tidy: the ticket of this world stays as it was.
    expect(
      (await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, otherTicketId)))[0],
    ).toBeDefined();
    expect(DEMO_LOGINS.staff).toBeTruthy();
  });
});
