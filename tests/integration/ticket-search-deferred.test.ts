import Database from 'better-sqlite3';
import { and, eq, notInArray, sql } from 'drizzle-orm';
import type pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../db/client.ts';
import { rawRows } from '../../db/dialect.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { addMessage } from '../../server/services/tickets/messages.ts';
import {
  catchUpSearchIndex,
  runSearchIndexer,
  startSearchIndexer,
} from '../../server/services/tickets/search-index.ts';
import { listInbox } from '../../server/services/tickets/staff-inbox.ts';
import { shortenQueueWait } from '../../server/unit-of-work/postgres.ts';
import { testStore } from '../helpers/context.ts';
import { execute } from '../helpers/raw-sql.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

const { tickets } = testTables;

/**
 * Migration 0007: a write only notes the ticket whose search document went stale; the document
 * is rebuilt off the write path — by the background indexer, and always before a search reads.
 * PostgreSQL has the same pending list, filled by the same triggers (db/schema-pg/search.ts).
 */
describe('deferred inbox search indexing', async () => {
  const { ctx, db } = await staffWorld([]);
  const pending = async () =>
    (await rawRows<{ ticket_id: string }>(db, sql`select ticket_id from ticket_search_pending`)).map(
      (row) => row.ticket_id,
    );
  /** What the index itself holds, without the catch-up a search does first. */
  const indexMatches = async (word: string) =>
    (
      await rawRows<{ ticket_id: string }>(
        db,
        testStore === 'postgres'
          ? sql`select ticket_id from ticket_search_docs
              where ticket_search_fold(text) like ticket_search_pattern(${word})`
          : sql`select k.ticket_id from ticket_search_docs d join ticket_search_keys k on k.key = d.rowid
              where ticket_search_docs match ${`"${word}"`}`,
      )
    ).map((row) => row.ticket_id);
  const actors = async () => ({
    staff: (await findAccountByLoginEmail(db, DEMO_LOGINS.staff))!.user,
    tenant: (await findAccountByLoginEmail(db, DEMO_LOGINS.tenant))!.user,
  });
  const tenantTicket = async (tenantId: string) =>
    (
      await db
        .select({ id: tickets.id })
        .from(tickets)
        .where(and(eq(tickets.createdByUserId, tenantId), notInArray(tickets.status, ['resolved', 'closed'])))
        .limit(1)
    )[0]!.id;
  const found = async (word: string) =>
    (await listInbox(ctx.deps, (await actors()).staff, { view: 'all', q: word })).tickets.map(
      (ticket) => ticket.id,
    );
  /** A copy of ticket `source` with some columns replaced by SQL expressions. */
  const copyTicket = async (source: string, replace: Record<string, string>) => {
    const copy = await columnsWith(db, replace);
    await execute(db, sql`insert into tickets select ${sql.raw(copy)} from tickets where id = ${source}`);
  };

  /** 40 copies of a tenant's ticket under one subject, each stale: more than two background steps. */
  const copiesOfTenantTicket = async (prefix: string, subject: string) => {
    const source = await tenantTicket((await actors()).tenant.id);
    for (let i = 0; i < 40; i++) {
      await copyTicket(source, {
        id: `'${prefix}-${i}'`,
        number: `'X-${prefix.toUpperCase()}-${i}'`,
        client_id: `'${prefix}-client-${i}'`,
        subject: `'${subject}'`,
      });
    }
  };

  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it('a message only notes its ticket; a search brings the index up to date first', async () => {
    await catchUpSearchIndex(ctx.deps);
    expect(await pending()).toEqual([]);
    const { tenant } = await actors();
    const ticketId = await tenantTicket(tenant.id);
    await addMessage(ctx.deps, tenant, ticketId, { body: 'Wasserfleck Deckenlampe', clientId: 'deferred-1' });
    expect(await pending()).toEqual([ticketId]);
    expect(await indexMatches('Wasserfleck')).toEqual([]);

    expect(await found('Wasserfleck')).toEqual([ticketId]);
    expect(await pending()).toEqual([]);
    expect(await indexMatches('Wasserfleck')).toEqual([ticketId]);
    if (testStore === 'sqlite') {
      // Re-keyed under the new activity: the newest ticket is the first key of the index. (PostgreSQL
      // keeps no keys: its search reads activity order from the tickets' own indexes.)
      const [newest] = await rawRows<{ ticket_id: string }>(
        db,
        sql`select ticket_id from ticket_search_keys order by key desc limit 1`,
      );
      expect(newest?.ticket_id).toBe(ticketId);
    }
  });

  it('the background indexer catches up shortly after a commit, without any search', async () => {
    await catchUpSearchIndex(ctx.deps);
    stop = startSearchIndexer(ctx.deps, { delayMs: 5, sweepMs: 60_000 });
    const { tenant } = await actors();
    const ticketId = await tenantTicket(tenant.id);
    await addMessage(ctx.deps, tenant, ticketId, { body: 'Kellertür klemmt', clientId: 'deferred-2' });
    await addMessage(ctx.deps, tenant, ticketId, { body: 'Kellerfenster auch', clientId: 'deferred-3' });
    await vi.waitFor(async () => expect(await pending()).toEqual([]), { timeout: 5000, interval: 10 });
    expect(await indexMatches('Kellertür')).toEqual([ticketId]);
    expect(await indexMatches('Kellerfenster')).toEqual([ticketId]);
  });

  it('the background indexer works through many stale tickets in steps', async () => {
    await copiesOfTenantTicket('step', 'Stufenweise');
    const stale = (await pending()).length;
    expect(stale).toBeGreaterThanOrEqual(40); // more than one background step
    stop = startSearchIndexer(ctx.deps, { delayMs: 5, sweepMs: 60_000 });
    await vi.waitFor(async () => expect(await pending()).toEqual([]), { timeout: 10_000, interval: 10 });
    expect(await indexMatches('Stufenweise')).toHaveLength(stale);
  });

  it.runIf(testStore === 'sqlite')(
    'a background run ends after a step that was not full: a ticket changed meanwhile waits for the next run',
    async () => {
      // SQLite only: there the message's unit waits for the run's first step on the one writer and
      // commits before its second; PostgreSQL runs both units at once, in no fixed order.
      await catchUpSearchIndex(ctx.deps);
      const { tenant } = await actors();
      const ticketId = await tenantTicket(tenant.id);
      await addMessage(ctx.deps, tenant, ticketId, { body: 'Heizung kalt', clientId: 'deferred-run-1' });
      expect(await pending()).toEqual([ticketId]);

      const run = runSearchIndexer(ctx.deps);
      await addMessage(ctx.deps, tenant, ticketId, { body: 'Heizkörper tropft', clientId: 'deferred-run-2' });
      // One step, one rebuild of the busy ticket; the second message waits for the next run.
      expect(await run).toBe(1);
      expect(await pending()).toEqual([ticketId]);
      expect(await indexMatches('Heizung')).toEqual([ticketId]);
      expect(await indexMatches('Heizkörper')).toEqual([]);

      expect(await runSearchIndexer(ctx.deps)).toBe(1);
      expect(await pending()).toEqual([]);
      expect(await indexMatches('Heizkörper')).toEqual([ticketId]);
    },
  );

  it('a background run goes on while its steps are full, a backlog in one run', async () => {
    await catchUpSearchIndex(ctx.deps);
    await copiesOfTenantTicket('backlog', 'Rückstau');
    expect(await pending()).toHaveLength(40); // three steps of 16
    expect(await runSearchIndexer(ctx.deps)).toBe(40);
    expect(await pending()).toEqual([]);
    expect(await indexMatches('Rückstau')).toHaveLength(40);
  });

  it('a database that cannot be written: the search answers from the index as it is', async () => {
    await catchUpSearchIndex(ctx.deps);
    const { tenant } = await actors();
    const ticketId = await tenantTicket(tenant.id);
    await addMessage(ctx.deps, tenant, ticketId, {
      body: 'Briefkastenschloss defekt',
      clientId: 'deferred-4',
    });
    // Another connection holds the write lock (on PostgreSQL: the units' queue, unit-of-work/
    // postgres.ts); this one gives up at once instead of after 5 s.
    const release = await holdWriteLock(db);
    try {
      expect(await found('Briefkastenschloss')).toEqual([]);
      expect(await pending()).toEqual([ticketId]);
    } finally {
      await release();
    }
    expect(await found('Briefkastenschloss')).toEqual([ticketId]);
  });

  it('a deleted ticket leaves the index at once', async () => {
    const { tenant } = await actors();
    const source = await tenantTicket(tenant.id);
    await copyTicket(source, {
      id: "'deleted-ticket'",
      number: "'X-DEL-1'",
      client_id: "'deleted-ticket-client'",
    });
    await catchUpSearchIndex(ctx.deps);
    expect(await indexMatches('X-DEL-1')).toEqual(['deleted-ticket']);
    await execute(db, sql`delete from tickets where id = 'deleted-ticket'`);
    expect(await indexMatches('X-DEL-1')).toEqual([]);
    const [left] = await rawRows<{ n: number | string }>(
      db,
      testStore === 'postgres'
        ? sql`select count(*) as n from ticket_search_docs where ticket_id = 'deleted-ticket'`
        : sql`select count(*) as n from ticket_search_keys where ticket_id = 'deleted-ticket'`,
    );
    expect(Number(left?.n)).toBe(0);
  });
});

/** The tickets columns in table order, some replaced by SQL expressions. */
async function columnsWith(db: Db, replace: Record<string, string>): Promise<string> {
  const columns = await rawRows<{ name: string }>(
    db,
    testStore === 'postgres'
      ? sql`select column_name as name from information_schema.columns
          where table_schema = current_schema() and table_name = 'tickets' order by ordinal_position`
      : sql`select name from pragma_table_info('tickets')`,
  );
  return columns.map(({ name }) => replace[name] ?? `"${name}"`).join(', ');
}

/**
 * Another connection takes the write lock and this one stops waiting for it: SQLite's BEGIN
 * IMMEDIATE with a busy_timeout of 0, PostgreSQL's queue of units (the event log's table lock) with
 * the shortest wait. Returns the release.
 */
async function holdWriteLock(db: Db): Promise<() => Promise<void>> {
  if (testStore === 'postgres') {
    const other = await (db.$client as unknown as pg.Pool).connect();
    await other.query('BEGIN');
    await other.query('LOCK TABLE events IN SHARE ROW EXCLUSIVE MODE');
    const restoreWait = shortenQueueWait(db, 1);
    return async () => {
      restoreWait();
      await other.query('ROLLBACK');
      other.release();
    };
  }
  const raw = db.$client;
  const other = new Database(raw.name);
  other.exec('BEGIN IMMEDIATE');
  raw.pragma('busy_timeout = 0');
  return () => {
    other.exec('ROLLBACK');
    other.close();
    raw.pragma('busy_timeout = 5000');
    return Promise.resolve();
  };
}
