import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, desc, eq, getTableName, is, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../db/client.ts';
import { indexPendingTickets, searchHits } from '../../db/repositories/ticket-search.ts';
import { inTransaction } from '../../db/transaction.ts';
import * as sqliteSchema from '../../db/schema/index.ts';
import * as pgSchema from '../../db/schema-pg/index.ts';
import { searchWordsOf } from '../../shared/api/staff.ts';
import { postgresMissing, startPgServer, type PgServer } from '../helpers/pg-server.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * db/migrations-pg on a real PostgreSQL: every table of db/schema-pg exists, and the inbox search
 * (pg_trgm, 0001_ticket_search.sql) answers the reference searches of the SQLite tests
 * (staff-inbox, staff-inbox-search, ticket-search-deferred, ticket-search-renames) exactly as
 * SQLite's FTS5 index does on the same rows, written through each store's own schema module.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 9, minutes));

const rows = {
  estates: [{ id: 'estate-1', name: 'Am Park', city: 'Berlin', country: 'DE' }],
  buildings: [
    {
      id: 'building-1',
      estateId: 'estate-1',
      street: 'Hauptstraße',
      houseNumber: '5',
      postalCode: '10115',
      city: 'Berlin',
      country: 'DE',
      use: 'residential' as const,
      currency: 'EUR',
    },
  ],
  units: [{ id: 'unit-1', buildingId: 'building-1', number: 'WE-0012', kind: 'flat' as const }],
  persons: [
    {
      id: 'person-1',
      kind: 'natural' as const,
      firstName: 'Jürgen',
      lastName: 'Müller',
      customerNumber: 'K-4711',
    },
  ],
  users: [
    { id: 'user-1', personId: 'person-1', loginEmail: 'juergen@example.test', role: 'customer' as const },
  ],
  ticketTypes: [
    { id: 'general', form: {}, slaFirstResponseHours: 24, slaResolutionHours: 120 },
    { id: 'damage', form: {}, slaFirstResponseHours: 8, slaResolutionHours: 72 },
  ],
  tickets: [
    ticket('t-damp', 'T-0001', 'Feuchtigkeit', 'Im Keller riecht es nach Feuchtigkeit.', at(1)),
    ticket('t-light', 'T-0002', 'Heizung Fenster', 'Treppenhausbeleuchtung defekt', at(2), {
      subjects: { de: 'Heizung Fenster', en: 'Heating window', sv: 'Värme fönster' },
    }),
    ticket('t-door', 'T-0003', 'Allgemeines', 'Bitte prüfen', at(3)),
    ticket('t-window', 'T-0004', 'Fenster', 'Das Fenster schließt nicht mehr.', at(4), {
      unitId: 'unit-1',
      buildingId: 'building-1',
    }),
  ],
  ticketMessages: [
    message('m-1', 't-damp', 'Nachtrag: Schimmelflecken an der Wand.'),
    message('m-2', 't-door', 'Kellertür klemmt'),
    message('m-3', 't-door', 'Zu 100% sicher, bitte bis Freitag.'),
    // Not searched: an internal status line.
    { ...message('m-4', 't-light', 'Geheimwort'), kind: 'system' as const },
  ],
};

function ticket(
  id: string,
  number: string,
  subject: string,
  description: string,
  lastActivityAt: Date,
  more: { subjects?: Record<string, string>; unitId?: string; buildingId?: string } = {},
) {
  return {
    id,
    number,
    typeId: 'general',
    fields: {},
    subject,
    description,
    createdByUserId: 'user-1',
    clientId: `client-${id}`,
    lastActivityAt,
    createdAt: lastActivityAt,
    ...more,
  };
}

function message(id: string, ticketId: string, body: string) {
  return { id, ticketId, body, authorUserId: 'user-1', createdAt: at(0) };
}

/** The reference searches: words in any field, umlauts with and without dots, compounds, wildcards. */
const searches = [
  'feuchtigkeit', // description, any case
  'schimmelflecken', // a message
  'T-0003', // the number
  'Keller Schimmel', // every word, in different places of one ticket
  'zz Feuchtigkeit', // a short word beside a long one is ignored
  'beleuchtung', // inside a German compound
  'Kellertür',
  'kellertur', // diacritics removed on both sides
  'KELLERTÜR',
  'prüfen',
  'PRUEFEN',
  'Fenster', // two tickets, newest activity first
  'Heating', // the subject in another language
  'Värme',
  'Müller WE-0012', // who filed it and where
  'Hauptstraße',
  'schließt',
  'Geheimwort', // a system line is no message
  '00%', // LIKE wildcards are literal text
  'o_e',
  '"%_*',
];

describe.skipIf(gate.skip)(`PostgreSQL migrations and inbox search${gate.label}`, () => {
  let server: PgServer;
  let pool: pg.Pool;
  let pgDb: NodePgDatabase<typeof pgSchema>;
  let sqliteDir: string;
  let sqliteDb: Db;

  beforeAll(async () => {
    server = await startPgServer();
    pool = new pg.Pool({ connectionString: server.url, max: 2 });
    pgDb = drizzle({ client: pool, schema: pgSchema, casing: 'snake_case' });
    await migrate(pgDb, {
      migrationsFolder: fileURLToPath(new URL('../../db/migrations-pg', import.meta.url)),
    });
    sqliteDir = mkdtempSync(join(tmpdir(), 'portier-parity-'));
    sqliteDb = openDatabase(join(sqliteDir, 'portier.sqlite'));
    for (const key of Object.keys(rows) as (keyof typeof rows)[]) {
      await pgDb.insert(pgSchema[key]).values(rows[key]);
      sqliteDb.insert(sqliteSchema[key]).values(rows[key]).run();
    }
    await indexBoth();
  }, 120_000);

  afterAll(async () => {
    await pool?.end();
    await server?.stop();
    sqliteDb?.$client.close();
    if (sqliteDir) rmSync(sqliteDir, { recursive: true, force: true });
  });

  async function indexBoth() {
    await pool.query('select ticket_search_index_pending(1000)');
    await inTransaction(sqliteDb, async (tx) => await indexPendingTickets(tx, 1000));
  }

  async function searchPg(q: string): Promise<string[]> {
    const { tickets, ticketSearchDocs } = pgSchema;
    const found = await pgDb
      .select({ id: tickets.id })
      .from(tickets)
      .innerJoin(ticketSearchDocs, eq(ticketSearchDocs.ticketId, tickets.id))
      .where(
        and(
          ...searchWordsOf(q).map(
            (word) => sql`ticket_search_fold(${ticketSearchDocs.text}) like ticket_search_pattern(${word})`,
          ),
        ),
      )
      .orderBy(desc(tickets.lastActivityAt), desc(tickets.id));
    return found.map((row) => row.id);
  }

  function searchSqlite(q: string): string[] {
    // The FTS5 phrases of server/services/tickets/staff-inbox.ts searchFilter.
    const phrases = searchWordsOf(q).map((word) => `"${word.replace(/"/g, '""')}"`);
    const { tickets } = sqliteSchema;
    return sqliteDb
      .select({ id: tickets.id })
      .from(tickets)
      .where(searchHits(phrases))
      .orderBy(desc(tickets.lastActivityAt), desc(tickets.id))
      .all()
      .map((row) => row.id);
  }

  it('creates every table of the PostgreSQL schema module', async () => {
    const expected = Object.values(pgSchema)
      .flatMap((value: unknown) => (is(value, PgTable) ? [getTableName(value)] : []))
      .sort();
    const { rows: found } = await pool.query<{ name: string }>(
      `select table_name as name from information_schema.tables
       where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> '__drizzle_migrations'`,
    );
    expect(found.map((row) => row.name).sort()).toEqual(expected);
    expect(expected).toContain('ticket_search_docs');
    expect(expected.length).toBeGreaterThan(40);
  });

  it('round-trips the native types (timestamps, booleans, JSON, money, binary)', async () => {
    const { tickets, ticketTypes } = pgSchema;
    const [row] = await pgDb.select().from(tickets).where(eq(tickets.id, 't-light'));
    expect(row?.lastActivityAt).toEqual(at(2));
    expect(row?.subjects).toEqual({ de: 'Heizung Fenster', en: 'Heating window', sv: 'Värme fönster' });
    const [type] = await pgDb.select().from(ticketTypes).where(eq(ticketTypes.id, 'general'));
    expect(type?.active).toBe(false);
    const hash = Buffer.from([0, 1, 254, 255]);
    await pgDb.insert(pgSchema.sessions).values({
      id: 'session-1',
      userId: 'user-1',
      secretHash: hash,
      lastVerifiedAt: at(5),
      expiresAt: at(50),
    });
    const [session] = await pgDb.select().from(pgSchema.sessions);
    expect(Buffer.compare(session!.secretHash, hash)).toBe(0);
  });

  it('answers the reference searches as SQLite does', async () => {
    for (const q of searches) {
      expect(await searchPg(q), q).toEqual(searchSqlite(q));
    }
    expect(await searchPg('beleuchtung')).toEqual(['t-light']);
    expect(await searchPg('kellertur')).toEqual(['t-door']);
    expect(await searchPg('Fenster')).toEqual(['t-window', 't-light']);
    expect(await searchPg('Müller WE-0012')).toEqual(['t-window']);
    expect(await searchPg('00%')).toEqual(['t-door']);
    expect(await searchPg('o_e')).toEqual([]);
    expect(await searchPg('Geheimwort')).toEqual([]);
  });

  it('follows changes through the triggers: messages, renamed people, deleted messages', async () => {
    await pgDb.insert(pgSchema.ticketMessages).values(message('m-5', 't-light', 'Aufzug steckt fest'));
    sqliteDb
      .insert(sqliteSchema.ticketMessages)
      .values(message('m-5', 't-light', 'Aufzug steckt fest'))
      .run();
    await pgDb
      .update(pgSchema.persons)
      .set({ lastName: 'Schäfer' })
      .where(eq(pgSchema.persons.id, 'person-1'));
    sqliteDb
      .update(sqliteSchema.persons)
      .set({ lastName: 'Schäfer' })
      .where(eq(sqliteSchema.persons.id, 'person-1'))
      .run();
    await pgDb.delete(pgSchema.ticketMessages).where(eq(pgSchema.ticketMessages.id, 'm-2'));
    sqliteDb.delete(sqliteSchema.ticketMessages).where(eq(sqliteSchema.ticketMessages.id, 'm-2')).run();
    // Noted, not yet rebuilt: the documents still hold the old text until the indexer runs.
    expect(await searchPg('Aufzug')).toEqual([]);
    await indexBoth();
    const { rows: pending } = await pool.query('select ticket_id from ticket_search_pending');
    expect(pending).toEqual([]);
    for (const q of ['Aufzug', 'Schäfer', 'schafer', 'Müller', 'Kellertür', 'prüfen']) {
      expect(await searchPg(q), q).toEqual(searchSqlite(q));
    }
    expect(await searchPg('Aufzug')).toEqual(['t-light']);
    expect(await searchPg('Müller')).toEqual([]);
    expect(await searchPg('Kellertür')).toEqual([]);
  });

  it('reads the trigram index for a search instead of every document', async () => {
    const client = await pool.connect();
    try {
      await client.query('begin');
      // Four documents are cheaper to scan than to look up: make the planner show the index path.
      await client.query('set local enable_seqscan = off');
      const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(
        `explain select ticket_id from ticket_search_docs
         where ticket_search_fold(text) like ticket_search_pattern('Beleuchtung')`,
      );
      expect(plan.map((line) => line['QUERY PLAN']).join('\n')).toContain('ticket_search_docs_trgm_idx');
      await client.query('rollback');
    } finally {
      client.release();
    }
  });
});
