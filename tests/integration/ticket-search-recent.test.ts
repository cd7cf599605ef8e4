import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { insertTicketMessage } from '../../db/repositories/ticket-messages.ts';
import { touchTicketAfterMessage } from '../../db/repositories/tickets.ts';
import { inTransaction } from '../../db/transaction.ts';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { listInbox } from '../../server/services/tickets/staff-inbox.ts';
import { addMessage } from '../../server/services/tickets/messages.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { tickets } = testTables;

/**
 * A ticket's search document holds its number, subject, description and its newest 100 messages
 * (migration 0005): what a message costs to index stays bounded however long the dialog grows.
 */
describe('inbox search over a long dialog', async () => {
  const { ctx, db } = await staffWorld([]);

  it('finds words of the newest 100 messages, and no longer those of older ones', async () => {
    const staff = (await findAccountByLoginEmail(db, DEMO_LOGINS.staff))!.user;
    const ticketId = (await db.select({ id: tickets.id }).from(tickets).limit(1))[0]!.id;
    const start = Date.now();
    for (let i = 0; i < 105; i++) {
      const at = new Date(start + i * 1000);
      await inTransaction(db, async (tx) => {
        await insertTicketMessage(tx, {
          ticketId,
          body: `Nachricht Wortmarke${String(i).padStart(3, '0')}x`,
          createdAt: at,
        });
        await touchTicketAfterMessage(tx, ticketId, at, false);
      });
    }
    const found = async (word: string) =>
      (await listInbox(ctx.deps, staff, { view: 'all', q: word })).tickets.map((ticket) => ticket.id);
    expect(await found('Wortmarke104x')).toEqual([ticketId]);
    expect(await found('Wortmarke005x')).toEqual([ticketId]);
    expect(await found('Wortmarke004x')).toEqual([]);
    expect(await found('Wortmarke000x')).toEqual([]);
  });

  it('finds a tenant message and an internal note the moment they are written', async () => {
    const staff = (await findAccountByLoginEmail(db, DEMO_LOGINS.staff))!.user;
    const tenant = (await findAccountByLoginEmail(db, DEMO_LOGINS.tenant))!.user;
    const ticketId = (
      await db.select({ id: tickets.id }).from(tickets).where(eq(tickets.createdByUserId, tenant.id)).limit(1)
    )[0]!.id;
    const found = async (word: string) =>
      (await listInbox(ctx.deps, staff, { view: 'all', q: word })).tickets.map((ticket) => ticket.id);
    // A public message moves the ticket's activity; its document is rebuilt once, under the new key.
    await addMessage(ctx.deps, tenant, ticketId, {
      body: 'Schimmelfleck im Schlafzimmer',
      clientId: 'search-public-1',
    });
    expect(await found('Schimmelfleck')).toEqual([ticketId]);
    // An internal note does not move it, and is searchable for staff all the same.
    await addMessage(ctx.deps, staff, ticketId, {
      body: 'Gutachter Kesselbrink beauftragt',
      clientId: 'search-internal-1',
      internal: true,
    });
    expect(await found('Kesselbrink')).toEqual([ticketId]);
  });
});
