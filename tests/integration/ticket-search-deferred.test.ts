import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { addMessage } from '../../server/services/tickets/messages.ts';
import { catchUpSearchIndex, startSearchIndexer } from '../../server/services/tickets/search-index.ts';
import { listInbox } from '../../server/services/tickets/staff-inbox.ts';
import { staffWorld } from '../helpers/staff-world.ts';

/**
 * Migration 0007: a write only notes the ticket whose search document went stale; the document
 * is rebuilt off the write path — by the background indexer, and always before a search reads.
 */
describe('deferred inbox search indexing', () => {
  const { ctx, db } = staffWorld([]);
  const raw = () => db.$client;
  const pending = () =>
    (raw().prepare('SELECT ticket_id FROM ticket_search_pending').all() as { ticket_id: string }[]).map(
      (row) => row.ticket_id,
    );
  /** What the index itself holds, without the catch-up a search does first. */
  const indexMatches = (word: string) =>
    (
      raw()
        .prepare(
          `SELECT k.ticket_id FROM ticket_search_docs d JOIN ticket_search_keys k ON k.key = d.rowid
           WHERE ticket_search_docs MATCH ?`,
        )
        .all(`"${word}"`) as { ticket_id: string }[]
    ).map((row) => row.ticket_id);
  const actors = async () => ({
    staff: (await findAccountByLoginEmail(db, DEMO_LOGINS.staff))!.user,
    tenant: (await findAccountByLoginEmail(db, DEMO_LOGINS.tenant))!.user,
  });
  const tenantTicket = (tenantId: string) =>
    (
      raw()
        .prepare(
          `SELECT id FROM tickets WHERE created_by_user_id = ? AND status NOT IN ('resolved', 'closed') LIMIT 1`,
        )
        .get(tenantId) as { id: string }
    ).id;
  const found = async (word: string) =>
    (await listInbox(ctx.deps, (await actors()).staff, { view: 'all', q: word })).tickets.map(
      (ticket) => ticket.id,
    );

  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it('a message only notes its ticket; a search brings the index up to date first', async () => {
    await catchUpSearchIndex(ctx.deps);
    expect(pending()).toEqual([]);
    const { tenant } = await actors();
    const ticketId = tenantTicket(tenant.id);
    await addMessage(ctx.deps, tenant, ticketId, { body: 'Wasserfleck Deckenlampe', clientId: 'deferred-1' });
    expect(pending()).toEqual([ticketId]);
    expect(indexMatches('Wasserfleck')).toEqual([]);

    expect(await found('Wasserfleck')).toEqual([ticketId]);
    expect(pending()).toEqual([]);
    expect(indexMatches('Wasserfleck')).toEqual([ticketId]);
    // Re-keyed under the new activity: the newest ticket is the first key of the index.
    const newest = raw()
      .prepare('SELECT ticket_id FROM ticket_search_keys ORDER BY key DESC LIMIT 1')
      .get() as {
      ticket_id: string;
    };
    expect(newest.ticket_id).toBe(ticketId);
  });

  it('the background indexer catches up shortly after a commit, without any search', async () => {
    await catchUpSearchIndex(ctx.deps);
    stop = startSearchIndexer(ctx.deps, { delayMs: 5, sweepMs: 60_000 });
    const { tenant } = await actors();
    const ticketId = tenantTicket(tenant.id);
    await addMessage(ctx.deps, tenant, ticketId, { body: 'Kellertür klemmt', clientId: 'deferred-2' });
    await addMessage(ctx.deps, tenant, ticketId, { body: 'Kellerfenster auch', clientId: 'deferred-3' });
    await vi.waitFor(() => expect(pending()).toEqual([]), { timeout: 5000, interval: 10 });
    expect(indexMatches('Kellertür')).toEqual([ticketId]);
    expect(indexMatches('Kellerfenster')).toEqual([ticketId]);
  });

  it('the background indexer works through many stale tickets in steps', async () => {
    const source = tenantTicket((await actors()).tenant.id);
    for (let i = 0; i < 40; i++) {
      const copy = columnsWith(raw(), {
        id: `'step-${i}'`,
        number: `'X-STEP-${i}'`,
        client_id: `'step-client-${i}'`,
        subject: "'Stufenweise'",
      });
      raw().prepare(`INSERT INTO tickets SELECT ${copy} FROM tickets WHERE id = ?`).run(source);
    }
    const stale = pending().length;
    expect(stale).toBeGreaterThanOrEqual(40); // more than one background step
    stop = startSearchIndexer(ctx.deps, { delayMs: 5, sweepMs: 60_000 });
    await vi.waitFor(() => expect(pending()).toEqual([]), { timeout: 10_000, interval: 10 });
    expect(indexMatches('Stufenweise')).toHaveLength(stale);
  });

  it('a database that cannot be written: the search answers from the index as it is', async () => {
    await catchUpSearchIndex(ctx.deps);
    const { tenant } = await actors();
    const ticketId = tenantTicket(tenant.id);
    await addMessage(ctx.deps, tenant, ticketId, {
      body: 'Briefkastenschloss defekt',
      clientId: 'deferred-4',
    });
    // Another connection holds the write lock; this one gives up at once instead of after 5 s.
    const other = new Database(raw().name);
    other.exec('BEGIN IMMEDIATE');
    raw().pragma('busy_timeout = 0');
    try {
      expect(await found('Briefkastenschloss')).toEqual([]);
      expect(pending()).toEqual([ticketId]);
    } finally {
      other.exec('ROLLBACK');
      other.close();
      raw().pragma('busy_timeout = 5000');
    }
    expect(await found('Briefkastenschloss')).toEqual([ticketId]);
  });

  it('a deleted ticket leaves the index at once', async () => {
    const { tenant } = await actors();
    const source = tenantTicket(tenant.id);
    const copy = columnsWith(raw(), {
      id: "'deleted-ticket'",
      number: "'X-DEL-1'",
      client_id: "'deleted-ticket-client'",
    });
    raw().prepare(`INSERT INTO tickets SELECT ${copy} FROM tickets WHERE id = ?`).run(source);
    await catchUpSearchIndex(ctx.deps);
    expect(indexMatches('X-DEL-1')).toEqual(['deleted-ticket']);
    raw().prepare(`DELETE FROM tickets WHERE id = 'deleted-ticket'`).run();
    expect(indexMatches('X-DEL-1')).toEqual([]);
    expect(
      raw().prepare(`SELECT count(*) AS n FROM ticket_search_keys WHERE ticket_id = 'deleted-ticket'`).get(),
    ).toEqual({
      n: 0,
    });
  });
});

/** The tickets columns in table order, some replaced by SQL expressions. */
function columnsWith(sqlite: Database.Database, replace: Record<string, string>): string {
  const columns = sqlite.prepare('PRAGMA table_info(tickets)').all() as { name: string }[];
  return columns.map(({ name }) => replace[name] ?? `"${name}"`).join(', ');
}
