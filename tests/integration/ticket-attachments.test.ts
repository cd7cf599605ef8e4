import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { createTestWorld } from '../helpers/context.ts';
import { call, loginAs, sessionCookieName, testOrigin } from '../helpers/auth.ts';

/** Attachments on a ticket follow the ticket's visibility; internal notes' attachments stay with staff. */
describe('attachments on tickets', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  const session = { tenant: '', householdMember: '', neighbour: '', staff: '' };
  let publicAttachmentUrl = '';
  let internalAttachmentUrl = '';

  async function upload(token: string, name: string): Promise<{ id: string; url: string }> {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3366aa' } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), name);
    const res = await app.request('/api/uploads', {
      method: 'POST',
      body: form,
      headers: { origin: testOrigin, cookie: `${sessionCookieName}=${token}` },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { attachment: { id: string; url: string } }).attachment;
  }

  beforeAll(async () => {
    await seedDemo(ctx.deps);
    for (const who of ['tenant', 'householdMember', 'neighbour', 'staff'] as const) {
      session[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
    }
    const photo = await upload(session.tenant, 'leak.jpg');
    const created = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: 'Photo attached',
        attachmentIds: [photo.id],
        clientId: 'attachment-rule-0001',
      },
    });
    expect(created.status).toBe(201);
    const ticketId = ((await created.json()) as { ticket: { id: string } }).ticket.id;
    publicAttachmentUrl = photo.url;

    const staffPhoto = await upload(session.staff, 'meter.jpg');
    const note = await call(app, `/api/staff/tickets/${ticketId}/messages`, {
      cookie: session.staff,
      json: {
        body: 'Meter reading for the plumber',
        internal: true,
        attachmentIds: [staffPhoto.id],
        clientId: 'note-0001',
      },
    });
    expect(note.status).toBe(201);
    internalAttachmentUrl = staffPhoto.url;
  });
  afterAll(() => ctx.close());

  it('lets everyone who may read the ticket open its public attachments', async () => {
    for (const who of ['tenant', 'householdMember', 'staff'] as const) {
      const res = await call(app, publicAttachmentUrl, { cookie: session[who] });
      expect(res.status, who).toBe(200);
    }
  });

  it("answers someone else's ticket attachment like a missing one", async () => {
    const res = await call(app, publicAttachmentUrl, { cookie: session.neighbour });
    expect(res.status).toBe(404);
  });

  it('keeps attachments of internal notes from tenants', async () => {
    for (const who of ['tenant', 'householdMember', 'neighbour'] as const) {
      const res = await call(app, internalAttachmentUrl, { cookie: session[who] });
      expect(res.status, who).toBe(404);
    }
    expect((await call(app, internalAttachmentUrl, { cookie: session.staff })).status).toBe(200);
  });
});
