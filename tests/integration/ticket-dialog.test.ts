import { describe, expect, it } from 'vitest';
import type { TicketMessageDto } from '../../shared/api/tickets.ts';
import { call } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

interface Detail {
  ticket: { id: string; subject: string };
  messages: TicketMessageDto[];
  staffReadAt: string | null;
}

/**
 * The request's dialog as a chat (issue 16 item 5): a staff reply names its author by first name
 * only, and the tenant sees when the landlord's people last read the dialog (the read mark).
 */
describe('the tenant’s dialog of a request', async () => {
  const { app, session } = await staffWorld(['tenant', 'neighbour', 'staff']);
  const detail = async (id: string, who = 'tenant') => {
    const res = await call(app, `/api/tickets/${id}`, { cookie: session[who] });
    return { status: res.status, body: (await res.json()) as Detail };
  };

  it('names the staff member by first name and marks the tenant’s messages read once staff read them', async () => {
    const filed = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'keys' },
        description: 'Ich brauche einen zweiten Briefkastenschlüssel.',
        clientId: 'dialog-ticket-0001',
      },
    });
    expect(filed.status).toBe(201);
    const { ticket } = (await filed.json()) as { ticket: { id: string } };
    const mine = await call(app, `/api/tickets/${ticket.id}/messages`, {
      cookie: session.tenant,
      json: { body: 'Am besten mit Namensschild.', clientId: 'dialog-message-0001' },
    });
    expect(mine.status).toBe(201);

    const before = await detail(ticket.id);
    expect(before.status).toBe(200);
    expect(before.body.staffReadAt).toBeNull();
    expect(before.body.messages.find((m) => m.authorRole === 'customer')?.authorFirstName).toBeUndefined();

    const reply = await call(app, `/api/staff/tickets/${ticket.id}/messages`, {
      cookie: session.staff,
      json: { body: 'Gern, wir lassen einen nachmachen.', clientId: 'dialog-staff-0001' },
    });
    expect(reply.status).toBe(201);

    const after = await detail(ticket.id);
    const staffMessage = after.body.messages.find((m) => m.authorRole === 'staff');
    expect(staffMessage).toMatchObject({
      body: 'Gern, wir lassen einen nachmachen.',
      authorFirstName: 'Sabine',
    });
    // Only the first name: no surname, no account id beyond what the dialog already had.
    expect(JSON.stringify(staffMessage)).not.toContain('Sommer');
    const tenantMessage = after.body.messages.find((m) => m.body === 'Am besten mit Namensschild.')!;
    expect(after.body.staffReadAt).not.toBeNull();
    expect(Date.parse(after.body.staffReadAt!)).toBeGreaterThanOrEqual(Date.parse(tenantMessage.createdAt));

    // Someone else's request answers as if it did not exist.
    const foreign = await detail(ticket.id, 'neighbour');
    expect(foreign.status).toBe(404);
  });
});
