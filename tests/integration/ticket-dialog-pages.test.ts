import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TicketWorkspaceDto } from '../../shared/api/staff.ts';
import type { DialogPageDto, TicketMessageDto } from '../../shared/api/tickets.ts';
import { insertTicketMessages, listMessagesOfTicket } from '../../db/repositories/ticket-messages.ts';
import { newId } from '../../db/ids.ts';
import { call, sessionCookieName, testOrigin } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

type Detail = DialogPageDto & { ticket: { id: string } };

/**
 * A long dialog is read page by page: the detail carries the newest 50 messages and a cursor, and
 * `…/messages?before=` walks back to the first message, each exactly once and in order.
 */
describe('dialog pages of a long request', async () => {
  const { app, db, session } = await staffWorld(['tenant', 'neighbour', 'staff']);
  let ticketId = '';
  let otherTicketId = '';
  let firstAttachmentId = '';
  let noteAttachmentId = '';
  /** Every message in dialog order, as the database has them. */
  let all: { id: string; visibility: string }[] = [];
  const publicIds = () => all.filter((message) => message.visibility === 'public').map(({ id }) => id);

  const get = async <T>(path: string, who = 'tenant') => {
    const res = await call(app, path, { cookie: session[who] });
    return { status: res.status, body: (await res.json()) as T };
  };

  async function upload(who: string, name: string): Promise<string> {
    const photo = await sharp({ create: { width: 32, height: 24, channels: 3, background: '#3366aa' } })
      .jpeg()
      .toBuffer();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(photo)], { type: 'image/jpeg' }), name);
    const res = await app.request('/api/uploads', {
      method: 'POST',
      body: form,
      headers: { origin: testOrigin, cookie: `${sessionCookieName}=${session[who]}` },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { attachment: { id: string } }).attachment.id;
  }

  async function file(clientId: string): Promise<string> {
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: `Ein langer Dialog (${clientId}).`,
        clientId,
      },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { ticket: { id: string } }).ticket.id;
  }

  /** Walks back from a first page to the first message; returns the pages, newest first. */
  async function walk(first: DialogPageDto, base: string, who: string, limit?: number) {
    const pages = [first];
    let page = first;
    while (page.hasOlder) {
      expect(page.olderCursor).toEqual(expect.any(String));
      const query = `before=${page.olderCursor}${limit ? `&limit=${limit}` : ''}`;
      const next = await get<DialogPageDto>(`${base}?${query}`, who);
      expect(next.status).toBe(200);
      page = next.body;
      pages.push(page);
      expect(pages.length).toBeLessThan(200);
    }
    expect(page.olderCursor).toBeNull();
    return pages;
  }

  const inDialogOrder = (messages: TicketMessageDto[]) =>
    messages.every(
      (message, index) =>
        index === 0 ||
        messages[index - 1]!.createdAt < message.createdAt ||
        (messages[index - 1]!.createdAt === message.createdAt && messages[index - 1]!.id < message.id),
    );

  beforeAll(async () => {
    ticketId = await file('dialog-pages-0001');
    otherTicketId = await file('dialog-pages-0002');
    // The first message carries a photo; an early internal note carries one for staff only.
    firstAttachmentId = await upload('tenant', 'first.jpg');
    const first = await call(app, `/api/tickets/${ticketId}/messages`, {
      cookie: session.tenant,
      json: { body: 'Nachricht 1', attachmentIds: [firstAttachmentId], clientId: 'dialog-pages-m001' },
    });
    expect(first.status).toBe(201);
    const tenantUserId = ((await first.json()) as { message: TicketMessageDto }).message.authorUserId;
    noteAttachmentId = await upload('staff', 'note.jpg');
    const note = await call(app, `/api/staff/tickets/${ticketId}/messages`, {
      cookie: session.staff,
      json: {
        body: 'Notiz 1',
        internal: true,
        attachmentIds: [noteAttachmentId],
        clientId: 'dialog-pages-n001',
      },
    });
    expect(note.status).toBe(201);
    const staffUserId = ((await note.json()) as { message: TicketMessageDto }).message.authorUserId;

    // 119 more public messages and 11 more notes; pairs share one millisecond (the id breaks the tie).
    const base = Date.now() + 60_000;
    const rows = Array.from({ length: 130 }, (_, index) => {
      const internal = index % 12 === 5;
      return {
        id: newId(),
        ticketId,
        authorUserId: internal ? staffUserId : tenantUserId,
        body: internal ? `Notiz ${index}` : `Nachricht ${index + 2}`,
        visibility: internal ? ('internal' as const) : ('public' as const),
        createdAt: new Date(base + Math.floor(index / 2) * 1_000),
      };
    });
    await insertTicketMessages(db, rows);
    all = (await listMessagesOfTicket(db, ticketId)).map(({ id, visibility }) => ({ id, visibility }));
    expect(publicIds().length).toBeGreaterThanOrEqual(120);
  });

  it('gives the tenant the newest 50 public messages and a cursor with the detail', async () => {
    const { status, body } = await get<Detail>(`/api/tickets/${ticketId}`);
    expect(status).toBe(200);
    expect(body.messages).toHaveLength(50);
    expect(body.messages.map(({ id }) => id)).toEqual(publicIds().slice(-50));
    expect(body.hasOlder).toBe(true);
    expect(body.olderCursor).toEqual(expect.any(String));
    expect(body.messages.every((message) => message.visibility === 'public')).toBe(true);
  });

  it('walks the tenant back to the first message, each public message exactly once and in order', async () => {
    const detail = await get<Detail>(`/api/tickets/${ticketId}`);
    const pages = await walk(detail.body, `/api/tickets/${ticketId}/messages`, 'tenant');
    const paged = pages.toReversed().flatMap((page) => page.messages);
    expect(paged.map(({ id }) => id)).toEqual(publicIds());
    expect(new Set(paged.map(({ id }) => id)).size).toBe(paged.length);
    for (const page of pages) expect(inDialogOrder(page.messages)).toBe(true);
    expect(paged.some((message) => message.visibility === 'internal')).toBe(false);
    expect(paged[0]!.body).toBe('Nachricht 1');

    // The first message's photo comes with the page that holds it; the note's never reaches the tenant.
    const oldest = pages.at(-1)!;
    expect(oldest.attachments.map(({ id }) => id)).toContain(firstAttachmentId);
    const files = pages.flatMap((page) => page.attachments.map(({ id }) => id));
    expect(files).not.toContain(noteAttachmentId);
    expect(detail.body.attachments.map(({ id }) => id)).not.toContain(firstAttachmentId);
    for (const page of pages.slice(1)) {
      expect(page.staffReadAt === null || typeof page.staffReadAt === 'string').toBe(true);
      for (const attachment of page.attachments) {
        expect(page.messages.map(({ id }) => id)).toContain(attachment.messageId);
      }
    }
  });

  it('gives staff the newest 50 with internal notes, and pages back through all of them', async () => {
    const workspace = await get<TicketWorkspaceDto>(`/api/staff/tickets/${ticketId}`, 'staff');
    expect(workspace.status).toBe(200);
    expect(workspace.body.messages.map(({ id }) => id)).toEqual(all.slice(-50).map(({ id }) => id));
    expect(workspace.body.hasOlder).toBe(true);
    const pages = await walk(workspace.body, `/api/staff/tickets/${ticketId}/messages`, 'staff', 100);
    const paged = pages.toReversed().flatMap((page) => page.messages);
    expect(paged.map(({ id }) => id)).toEqual(all.map(({ id }) => id));
    expect(paged.filter((message) => message.visibility === 'internal').length).toBeGreaterThan(0);
    expect(pages.flatMap((page) => page.attachments.map(({ id }) => id))).toContain(noteAttachmentId);
  });

  it('bounds the page size to 1..100 and answers other input with a 400', async () => {
    const path = `/api/tickets/${ticketId}/messages`;
    const one = await get<DialogPageDto>(`${path}?limit=1`);
    expect(one.status).toBe(200);
    expect(one.body.messages.map(({ id }) => id)).toEqual(publicIds().slice(-1));
    const hundred = await get<DialogPageDto>(`${path}?limit=100`);
    expect(hundred.body.messages).toHaveLength(100);
    for (const query of ['limit=0', 'limit=101', 'limit=-3', 'limit=abc', 'limit=2.5', 'after=x']) {
      const res = await get<{ error: { code: string } }>(`${path}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('validation_failed');
    }
  });

  it('answers a forged cursor with a 400, and a cursor of another ticket reads nothing of it', async () => {
    const path = `/api/tickets/${ticketId}/messages`;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged = [
      'not-a-cursor',
      '%21%21%21',
      encode({ before: 'x' }),
      encode([ticketId, 'yesterday', 'abc']),
      encode([ticketId, -1, 'abc']),
      Buffer.from('[1,2').toString('base64url'),
      'a'.repeat(500),
    ];
    for (const cursor of forged) {
      const res = await get<{ error: { code: string } }>(`${path}?before=${cursor}`);
      expect(res.status, cursor).toBe(400);
      expect(['invalid_cursor', 'validation_failed'], cursor).toContain(res.body.error.code);
    }

    // Another ticket's cursor on this ticket, and this ticket's cursor on another: nothing is read.
    const detail = await get<Detail>(`/api/tickets/${ticketId}`);
    const crossed = await call(
      app,
      `/api/tickets/${otherTicketId}/messages?before=${detail.body.olderCursor}`,
      {
        cookie: session.tenant,
      },
    );
    expect(crossed.status).toBe(400);
    const text = await crossed.text();
    expect(all.some(({ id }) => text.includes(id))).toBe(false);
    const staffCrossed = await get<{ error: { code: string } }>(
      `/api/staff/tickets/${otherTicketId}/messages?before=${detail.body.olderCursor}`,
      'staff',
    );
    expect(staffCrossed.status).toBe(400);
    expect(staffCrossed.body.error.code).toBe('invalid_cursor');
  });

  it('answers someone else’s ticket as if it did not exist', async () => {
    const detail = await get<Detail>(`/api/tickets/${ticketId}`);
    const missing = await get<{ error: { code: string } }>(`/api/tickets/${newId()}/messages`);
    expect(missing.status).toBe(404);
    const foreign = await get<{ error: { code: string } }>(`/api/tickets/${ticketId}/messages`, 'neighbour');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(missing.body);
    const foreignPage = await get(
      `/api/tickets/${ticketId}/messages?before=${detail.body.olderCursor}`,
      'neighbour',
    );
    expect(foreignPage.status).toBe(404);
    // The console's path is for staff only.
    const tenantOnStaff = await call(app, `/api/staff/tickets/${ticketId}/messages`, {
      cookie: session.tenant,
    });
    expect([403, 404]).toContain(tenantOnStaff.status);
    const staffMissing = await get(`/api/staff/tickets/${newId()}/messages`, 'staff');
    expect(staffMissing.status).toBe(404);
  });
});
