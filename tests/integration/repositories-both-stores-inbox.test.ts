import { describe, expect, it } from 'vitest';
import { type Db } from '../../db/client.ts';
import { tablesOf } from '../../db/dialect.ts';
import { countBadgeParts } from '../../db/repositories/badge.ts';
import {
  newestEvent,
  notificationBacklog,
  storeKind,
  webhookBacklog,
} from '../../db/repositories/metrics.ts';
import {
  countOpenTicketsByAge,
  countRatings,
  countReportTickets,
  countTicketsByBuilding,
  countTicketsByType,
  countTicketsPerSlice,
  findReportBuilding,
  listIncidentFigures,
  listReportBuildings,
  listReportRows,
  listReportTeams,
  slaClockCounts,
  type ReportTicketFilter,
} from '../../db/repositories/reports.ts';
import {
  countInboxViews,
  explainInboxQuery,
  inboxTuning,
  listInboxTickets,
  listInboxUrgentFirst,
  listScopeBuildings,
  listSortedInboxTickets,
  listTeamsByName,
  type InboxRow,
  type InboxScope,
} from '../../db/repositories/staff-inbox.ts';
import {
  countSavedViewsOfUser,
  deleteSavedViewOfUser,
  insertSavedView,
  listSavedViewsOfUser,
} from '../../db/repositories/staff-views.ts';
import { hasPendingSearchWork, indexPendingTickets } from '../../db/repositories/ticket-search.ts';
import { postgresMissing } from '../helpers/pg-server.ts';
import { bothStores } from '../helpers/both-stores.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * The staff inbox, its search, the reports, the app badge, saved views and the health figures
 * answer the same on SQLite and on a real PostgreSQL: each case runs on each store over the same
 * rows and is held to the same expected answer.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 6, 9, minutes));
const now = at(600);
const minutes = (n: number) => n * 60_000;

/** An FTS5 phrase as the inbox service builds it from a search word. */
const phrase = (word: string) => `"${word.replace(/"/g, '""')}"`;

interface TicketSeed {
  id: string;
  subject: string;
  description: string;
  status: 'new' | 'in_progress' | 'waiting_tenant' | 'resolved' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  created: number;
  activity: number;
  more?: Record<string, unknown>;
}

const ticketSeeds: TicketSeed[] = [
  {
    id: 't-1',
    subject: 'Heizung kalt',
    description: 'Die Heizung im Bad bleibt kalt',
    status: 'new',
    priority: 'urgent',
    created: 0,
    activity: 10,
    more: {
      buildingId: 'building-1',
      unitId: 'unit-1',
      contractId: 'contract-1',
      teamId: 'team-1',
      firstResponseDueAt: at(60),
      resolutionDueAt: at(2000),
    },
  },
  {
    id: 't-2',
    subject: 'Fenster',
    description: 'Das Fenster schließt nicht',
    status: 'in_progress',
    priority: 'high',
    created: 5,
    activity: 30,
    more: {
      buildingId: 'building-1',
      assigneeId: 'user-staff',
      firstRespondedAt: at(20),
      firstResponseDueAt: at(30),
      resolutionDueAt: at(100),
    },
  },
  {
    id: 't-3',
    subject: 'Kellertür',
    description: 'Die Kellertür klemmt',
    status: 'waiting_tenant',
    priority: 'normal',
    created: 10,
    // The same activity instant as t-2: pages must break the tie by id on both stores.
    activity: 30,
    more: {
      buildingId: 'building-2',
      contractId: 'contract-2',
      createdByUserId: 'user-other',
      firstRespondedAt: at(15),
      firstResponseDueAt: at(60),
      resolutionDueAt: at(500),
    },
  },
  {
    id: 't-4',
    subject: 'Heizung laut',
    description: 'Die Heizung macht Geräusche',
    status: 'resolved',
    priority: 'low',
    created: 20,
    activity: 200,
    more: {
      typeId: 'damage',
      buildingId: 'building-2',
      firstRespondedAt: at(50),
      firstResponseDueAt: at(40),
      resolutionDueAt: at(300),
      resolvedAt: at(200),
      rating: 4,
    },
  },
  {
    id: 't-5',
    subject: 'Aufzug',
    description: 'Der Aufzug steht',
    status: 'closed',
    priority: 'normal',
    created: 30,
    activity: 400,
    more: {
      incidentId: 'incident-1',
      firstRespondedAt: at(35),
      firstResponseDueAt: at(100),
      resolutionDueAt: at(300),
      updatedAt: at(400),
      rating: 5,
    },
  },
  {
    id: 't-6',
    subject: 'Frage',
    description: 'Eine allgemeine Frage',
    status: 'closed',
    priority: 'normal',
    created: 40,
    activity: 40,
  },
];

/** The rows every case reads: an estate with two buildings, a tenant, a neighbour, a staff member. */
async function seed(db: Db): Promise<void> {
  const t = tablesOf(db);
  await db.insert(t.estates).values({ id: 'estate-1', name: 'Am Park', city: 'Köln', country: 'DE' });
  await db.insert(t.buildings).values(
    ['building-1', 'building-2'].map((id, index) => ({
      id,
      estateId: 'estate-1',
      street: 'Parkstraße',
      houseNumber: String(index + 1),
      postalCode: '50667',
      city: 'Köln',
      country: 'DE',
      use: 'residential' as const,
      currency: 'EUR',
    })),
  );
  await db.insert(t.units).values([
    { id: 'unit-1', buildingId: 'building-1', number: '1.01', kind: 'flat' },
    { id: 'unit-2', buildingId: 'building-2', number: '2.01', kind: 'flat' },
  ]);
  await db.insert(t.persons).values([
    {
      id: 'person-tenant',
      kind: 'natural',
      firstName: 'Erika',
      lastName: 'Mustermann',
      customerNumber: 'K-1',
    },
    { id: 'person-staff', kind: 'natural', firstName: 'Sven', lastName: 'Åberg' },
    { id: 'person-other', kind: 'natural', firstName: 'Ole', lastName: 'Other' },
  ]);
  await db.insert(t.users).values([
    { id: 'user-tenant', personId: 'person-tenant', loginEmail: 'erika@example.test', role: 'customer' },
    { id: 'user-staff', personId: 'person-staff', loginEmail: 'sven@example.test', role: 'staff' },
    { id: 'user-other', personId: 'person-other', loginEmail: 'ole@example.test', role: 'customer' },
  ]);
  await db.insert(t.contracts).values(
    ['contract-1', 'contract-2'].map((id, index) => ({
      id,
      number: `V-${index + 1}00`,
      kind: 'residential' as const,
      startDate: '2020-01-01',
      currency: 'EUR',
      paymentMethod: 'transfer' as const,
    })),
  );
  await db.insert(t.contractUnits).values([
    { contractId: 'contract-1', unitId: 'unit-1' },
    { contractId: 'contract-2', unitId: 'unit-2' },
  ]);
  await db.insert(t.contractParties).values([
    { contractId: 'contract-1', personId: 'person-tenant', role: 'main_tenant' },
    { contractId: 'contract-2', personId: 'person-other', role: 'main_tenant' },
  ]);
  await db.insert(t.teams).values({ id: 'team-1', name: 'Hausmeister Nord' });
  await db.insert(t.ticketTypes).values([
    { id: 'general', form: {}, slaFirstResponseHours: 24, slaResolutionHours: 120 },
    { id: 'damage', form: {}, slaFirstResponseHours: 8, slaResolutionHours: 72 },
  ]);
  await db.insert(t.incidents).values([
    {
      id: 'incident-1',
      title: 'Aufzug defekt',
      body: 'Der Aufzug steht',
      kind: 'emergency',
      scope: 'building',
      buildingId: 'building-1',
      createdAt: at(50),
    },
    {
      id: 'incident-2',
      title: 'Wasser abgestellt',
      body: 'Wartung',
      kind: 'planned',
      scope: 'estate',
      estateId: 'estate-1',
      createdAt: at(60),
    },
  ]);
  await db.insert(t.incidentFollowers).values([
    { incidentId: 'incident-1', userId: 'user-tenant', createdAt: at(51) },
    { incidentId: 'incident-1', userId: 'user-other', createdAt: at(52) },
  ]);
  await db.insert(t.tickets).values(
    ticketSeeds.map((seed, index) => ({
      id: seed.id,
      number: `T-000${index + 1}`,
      typeId: 'general',
      fields: {},
      subject: seed.subject,
      description: seed.description,
      status: seed.status,
      priority: seed.priority,
      createdByUserId: 'user-tenant',
      clientId: `client-${seed.id}`,
      createdAt: at(seed.created),
      lastActivityAt: at(seed.activity),
      ...seed.more,
    })),
  );
  await db.insert(t.ticketMessages).values([
    {
      id: 'm-1',
      ticketId: 't-1',
      body: 'Wir kommen morgen vorbei',
      authorUserId: 'user-staff',
      visibility: 'public',
      createdAt: at(8),
    },
    {
      id: 'm-2',
      ticketId: 't-1',
      body: 'Danke, die Heizung ist immer noch kalt',
      authorUserId: 'user-tenant',
      visibility: 'public',
      createdAt: at(10),
    },
    {
      id: 'm-3',
      ticketId: 't-2',
      body: 'Ersatzteil bestellt',
      authorUserId: 'user-staff',
      visibility: 'internal',
      createdAt: at(25),
    },
  ]);
  await db.insert(t.ticketReads).values([
    { ticketId: 't-1', userId: 'user-tenant', readAt: at(5) },
    { ticketId: 't-1', userId: 'user-staff', readAt: at(9) },
    { ticketId: 't-2', userId: 'user-staff', readAt: at(40) },
  ]);
  await db.insert(t.files).values({ id: 'file-1', sha256: 'ab', mime: 'application/pdf', size: 1 });
  await db.insert(t.documents).values([
    {
      id: 'doc-1',
      type: 'letter',
      title: 'Brief',
      scope: 'contract',
      contractId: 'contract-1',
      fileId: 'file-1',
      publishedAt: at(1),
    },
    {
      id: 'doc-2',
      type: 'house_rules',
      title: 'Hausordnung',
      scope: 'building',
      buildingId: 'building-1',
      audience: 'all',
      fileId: 'file-1',
      publishedAt: at(2),
    },
    // Not yet published.
    {
      id: 'doc-3',
      type: 'letter',
      title: 'Später',
      scope: 'contract',
      contractId: 'contract-1',
      fileId: 'file-1',
      publishedAt: at(9000),
    },
  ]);
  await db
    .insert(t.documentReads)
    .values({ documentId: 'doc-2', userId: 'user-tenant', firstOpenedAt: at(3) });
  const notice = (id: string, important: boolean, more: Record<string, unknown> = {}) => ({
    id,
    scope: 'building' as const,
    buildingId: 'building-1',
    category: 'general' as const,
    title: id,
    body: id,
    publishAt: at(0),
    important,
    ...more,
  });
  await db
    .insert(t.notices)
    .values([
      notice('notice-important', true),
      notice('notice-read', true),
      notice('notice-plain', false),
      notice('notice-expired', true, { validTo: at(100) }),
      notice('notice-later', true, { publishAt: at(9000) }),
    ]);
  await db.insert(t.noticeReads).values({ noticeId: 'notice-read', userId: 'user-tenant', readAt: at(1) });
  await db.insert(t.staffSavedViews).values({
    id: 'view-old',
    userId: 'user-staff',
    name: 'Dringend',
    query: { priority: 'urgent' },
    createdAt: at(1),
  });
  const notification = (id: string, status: 'pending' | 'sending' | 'sent', created: number) => ({
    id,
    userId: 'user-tenant',
    channel: 'email' as const,
    category: 'ticket_replies' as const,
    template: 'ticket-reply',
    data: {},
    language: 'de',
    status,
    nextAttemptAt: at(created),
    createdAt: at(created),
  });
  await db
    .insert(t.notifications)
    .values([
      notification('n-1', 'sent', 1),
      notification('n-2', 'pending', 3),
      notification('n-3', 'sending', 4),
    ]);
  await db
    .insert(t.webhooks)
    .values({ id: 'hook-1', url: 'https://example.test/hook', events: ['ticket.created'], secret: 's' });
  const delivery = (id: string, state: 'pending' | 'failed' | 'delivered', created: number) => ({
    id,
    webhookId: 'hook-1',
    type: 'ticket.created' as const,
    payload: '{}',
    state,
    createdAt: at(created),
  });
  await db
    .insert(t.webhookDeliveries)
    .values([delivery('d-1', 'delivered', 1), delivery('d-2', 'failed', 6), delivery('d-3', 'pending', 7)]);
}

const ids = (rows: InboxRow[]) => rows.map((row) => row.ticket.id);
const everywhere = (userId = 'user-staff'): InboxScope => ({ buildingIds: null, userId, now });

describe.skipIf(gate.skip)(`inbox, search and report repositories on both stores${gate.label}`, () => {
  const stores = bothStores(seed);

  describe.each(stores)('%s', (name, store) => {
    it('tells the store and the outbox backlogs', async () => {
      const db = store();
      expect(storeKind(db)).toBe(name);
      expect(await notificationBacklog(db)).toEqual({ waiting: 2, oldestCreatedAt: at(3) });
      expect(await webhookBacklog(db)).toEqual({ waiting: 2, oldestCreatedAt: at(6) });
      expect(await newestEvent(db)).toEqual({ id: 0, createdAt: null });
      const { events } = tablesOf(db);
      await db.insert(events).values([
        { room: 'staff', type: 'ticket.created', data: {}, createdAt: at(1) },
        { room: 'staff', type: 'ticket.updated', data: {}, createdAt: at(2) },
      ]);
      const newest = await newestEvent(db);
      expect(newest.id).toBeGreaterThan(0);
      expect(newest.createdAt).toEqual(at(2));
    });

    it('keeps a staff member’s saved views, counts them and deletes only their own', async () => {
      const db = store();
      const view = await insertSavedView(db, {
        id: 'view-new',
        userId: 'user-staff',
        name: 'Meine',
        query: { view: 'mine' },
        createdAt: at(2),
      });
      expect(view).toMatchObject({ id: 'view-new', query: { view: 'mine' } });
      expect(view.createdAt).toEqual(at(2));
      expect((await listSavedViewsOfUser(db, 'user-staff')).map((row) => row.id)).toEqual([
        'view-old',
        'view-new',
      ]);
      expect(await countSavedViewsOfUser(db, 'user-staff')).toBe(2);
      expect(await countSavedViewsOfUser(db, 'user-tenant')).toBe(0);
      expect(await deleteSavedViewOfUser(db, 'user-tenant', 'view-new')).toBe(false);
      expect(await deleteSavedViewOfUser(db, 'user-staff', 'view-new')).toBe(true);
      expect(await deleteSavedViewOfUser(db, 'user-staff', 'view-new')).toBe(false);
      expect(await countSavedViewsOfUser(db, 'user-staff')).toBe(1);
    });

    it('counts the badge parts of customers only', async () => {
      const db = store();
      const parts = await countBadgeParts(
        db,
        ['user-tenant', 'user-other', 'user-staff', 'user-404'],
        now,
        '2026-12-06',
      );
      expect([...parts.keys()].sort()).toEqual(['user-other', 'user-tenant']);
      // A staff reply after the tenant's read mark; an unread published contract letter; the one
      // current, important, unread notice of their building.
      expect(parts.get('user-tenant')).toEqual({ tickets: 1, documents: 1, notices: 1 });
      expect(parts.get('user-other')).toEqual({ tickets: 0, documents: 0, notices: 0 });
      expect(await countBadgeParts(db, [], now, '2026-12-06')).toEqual(new Map());
    });

    it('counts every view and narrows by scope and filters', async () => {
      const db = store();
      expect(await countInboxViews(db, everywhere(), {})).toEqual({
        counts: { unassigned: 2, mine: 1, all: 6, overdue: 2, waiting: 1 },
        atLeast: false,
      });
      const buildingOne = { ...everywhere(), buildingIds: ['building-1'] };
      expect((await countInboxViews(db, buildingOne, {})).counts).toEqual({
        unassigned: 1,
        mine: 1,
        all: 2,
        overdue: 2,
        waiting: 0,
      });
      const nowhere = { ...everywhere(), buildingIds: [] };
      expect((await countInboxViews(db, nowhere, {})).counts.all).toBe(0);
      expect(
        (await countInboxViews(db, everywhere(), { assigneeId: null, priority: 'urgent' })).counts,
      ).toEqual({ unassigned: 1, mine: 0, all: 1, overdue: 1, waiting: 0 });
    });

    it('pages the inbox by activity, ties by id, with the row details', async () => {
      const db = store();
      const first = await listInboxTickets(db, 'all', everywhere(), {}, { limit: 2 });
      expect(ids(first)).toEqual(['t-5', 't-4']);
      const second = await listInboxTickets(
        db,
        'all',
        everywhere(),
        {},
        { limit: 2, cursor: { at: at(200).getTime(), id: 't-4' } },
      );
      expect(ids(second)).toEqual(['t-6', 't-3']);
      const third = await listInboxTickets(
        db,
        'all',
        everywhere(),
        {},
        { limit: 5, cursor: { at: at(30).getTime(), id: 't-3' } },
      );
      expect(ids(third)).toEqual(['t-2', 't-1']);
      const [two, one] = third;
      expect(one).toMatchObject({
        street: 'Parkstraße',
        houseNumber: '1',
        unitNumber: '1.01',
        contractNumber: 'V-100',
        tenant: { kind: 'natural', firstName: 'Erika', lastName: 'Mustermann' },
        assigneeFirstName: null,
        lastMessage: {
          body: 'Danke, die Heizung ist immer noch kalt',
          role: 'customer',
          internal: 0,
          at: at(10).getTime(),
        },
        unread: true,
      });
      expect(one!.ticket.lastActivityAt).toEqual(at(10));
      expect(two).toMatchObject({
        assigneeFirstName: 'Sven',
        lastMessage: { body: 'Ersatzteil bestellt', role: 'staff', internal: 1, at: at(25).getTime() },
        unread: false,
      });
      expect((second[1] as InboxRow).unread).toBe(true);
      expect((second[0] as InboxRow).lastMessage).toBeNull();

      const urgentFirst = await listInboxUrgentFirst(db, 'all', everywhere(), {}, { limit: 3 });
      expect(ids(urgentFirst)).toEqual(['t-1', 't-5', 't-4']);
      const rest = await listInboxUrgentFirst(
        db,
        'all',
        everywhere(),
        {},
        { limit: 10, cursor: { at: at(200).getTime(), id: 't-4' } },
      );
      expect(ids(rest)).toEqual(['t-6', 't-3', 't-2']);
      expect(ids(await listInboxTickets(db, 'mine', everywhere(), {}, { limit: 10 }))).toEqual(['t-2']);
      expect(ids(await listInboxTickets(db, 'waiting', everywhere(), {}, { limit: 10 }))).toEqual(['t-3']);
    });

    it('lists "overdue" alike through the SLA indexes and the activity walk', async () => {
      const db = store();
      const sorted = await listInboxTickets(db, 'overdue', everywhere(), {}, { limit: 10 });
      const limit = inboxTuning.overdueSortLimit;
      inboxTuning.overdueSortLimit = 0;
      try {
        const walked = await listInboxTickets(db, 'overdue', everywhere(), {}, { limit: 10 });
        expect(ids(walked)).toEqual(['t-2', 't-1']);
      } finally {
        inboxTuning.overdueSortLimit = limit;
      }
      expect(ids(sorted)).toEqual(['t-2', 't-1']);
    });

    it('sorts by SLA (no clock last), priority, number and age', async () => {
      const db = store();
      const sorted = async (sort: 'sla' | 'priority' | 'number' | 'age', direction: 'asc' | 'desc') =>
        ids(
          await listSortedInboxTickets(
            db,
            'all',
            everywhere(),
            {},
            { limit: 10, offset: 0, sort, direction },
          ),
        );
      expect(await sorted('sla', 'asc')).toEqual(['t-1', 't-2', 't-5', 't-4', 't-3', 't-6']);
      expect(await sorted('priority', 'desc')).toEqual(['t-1', 't-2', 't-5', 't-6', 't-3', 't-4']);
      expect(await sorted('number', 'desc')).toEqual(['t-6', 't-5', 't-4', 't-3', 't-2', 't-1']);
      expect(await sorted('age', 'asc')).toEqual(['t-1', 't-2', 't-3', 't-4', 't-5', 't-6']);
      const page = await listSortedInboxTickets(
        db,
        'all',
        everywhere(),
        {},
        { limit: 2, offset: 2, sort: 'age', direction: 'desc' },
      );
      expect(ids(page)).toEqual(['t-4', 't-3']);
    });

    it('indexes pending tickets and searches them: pages, counts, probes and sorted pages', async () => {
      const db = store();
      expect(await hasPendingSearchWork(db)).toBe(true);
      let taken = 0;
      for (let step = 0; step < 10 && (await hasPendingSearchWork(db)); step++) {
        taken += await indexPendingTickets(db, 4);
      }
      expect(taken).toBe(6);
      expect(await hasPendingSearchWork(db)).toBe(false);

      const search = (words: string[]) => ({ match: words.map(phrase) });
      const heizung = search(['heizung']);
      expect(ids(await listInboxTickets(db, 'all', everywhere(), heizung, { limit: 10 }))).toEqual([
        't-4',
        't-1',
      ]);
      expect(ids(await listInboxTickets(db, 'all', everywhere(), heizung, { limit: 1 }))).toEqual(['t-4']);
      expect(
        ids(
          await listInboxTickets(db, 'all', everywhere(), heizung, {
            limit: 1,
            cursor: { at: at(200).getTime(), id: 't-4' },
          }),
        ),
      ).toEqual(['t-1']);
      // Folded case and diacritics, several words anywhere in one ticket, message text, the number.
      expect(
        ids(await listInboxTickets(db, 'all', everywhere(), search(['KELLERTUR']), { limit: 10 })),
      ).toEqual(['t-3']);
      expect(
        ids(await listInboxTickets(db, 'all', everywhere(), search(['Heizung', 'Bad']), { limit: 10 })),
      ).toEqual(['t-1']);
      expect(
        ids(await listInboxTickets(db, 'all', everywhere(), search(['Ersatzteil']), { limit: 10 })),
      ).toEqual(['t-2']);
      expect(ids(await listInboxTickets(db, 'all', everywhere(), search(['T-0005']), { limit: 10 }))).toEqual(
        ['t-5'],
      );
      expect(ids(await listInboxTickets(db, 'all', everywhere(), search(['00%']), { limit: 10 }))).toEqual(
        [],
      );
      expect(ids(await listInboxTickets(db, 'all', everywhere(), search(['o"e']), { limit: 10 }))).toEqual(
        [],
      );
      // Overdue with a search: few candidates, each probed.
      expect(ids(await listInboxTickets(db, 'overdue', everywhere(), heizung, { limit: 10 }))).toEqual([
        't-1',
      ]);
      expect(await countInboxViews(db, everywhere(), heizung)).toEqual({
        counts: { unassigned: 1, mine: 0, all: 2, overdue: 1, waiting: 0 },
        atLeast: false,
      });
      const countLimit = inboxTuning.searchCountLimit;
      inboxTuning.searchCountLimit = 1;
      try {
        expect(await countInboxViews(db, everywhere(), heizung)).toEqual({
          counts: { unassigned: 0, mine: 0, all: 1, overdue: 0, waiting: 0 },
          atLeast: true,
        });
      } finally {
        inboxTuning.searchCountLimit = countLimit;
      }
      const sorted = await listSortedInboxTickets(db, 'all', everywhere(), heizung, {
        limit: 10,
        offset: 0,
        sort: 'number',
        direction: 'asc',
      });
      expect(ids(sorted)).toEqual(['t-1', 't-4']);
    });

    it('explains a view query and lists the filter choices', async () => {
      const db = store();
      const plan = await explainInboxQuery(db, 'unassigned', everywhere(), {});
      expect(plan.length).toBeGreaterThan(0);
      expect(plan.every((line) => typeof line.detail === 'string')).toBe(true);
      expect(await listScopeBuildings(db, null)).toEqual([
        { id: 'building-1', street: 'Parkstraße', houseNumber: '1', city: 'Köln' },
        { id: 'building-2', street: 'Parkstraße', houseNumber: '2', city: 'Köln' },
      ]);
      expect((await listScopeBuildings(db, ['building-2'])).map((row) => row.id)).toEqual(['building-2']);
      expect(await listTeamsByName(db)).toEqual([{ id: 'team-1', name: 'Hausmeister Nord' }]);
    });

    const period: ReportTicketFilter = { scopeBuildingIds: null, period: { start: at(0), end: at(1000) } };

    it('counts report tickets by scope, slice, type, building and rating', async () => {
      const db = store();
      expect(await countReportTickets(db, period)).toBe(6);
      expect(await countReportTickets(db, { ...period, scopeBuildingIds: ['building-1'] })).toBe(2);
      expect(await countReportTickets(db, { ...period, scopeBuildingIds: [] })).toBe(0);
      expect(await countReportTickets(db, { ...period, teamId: 'team-1' })).toBe(1);
      expect(await countReportTickets(db, { ...period, period: { start: at(5), end: at(20) } })).toBe(2);
      expect(
        await countTicketsPerSlice(db, period, [
          { start: at(0), end: at(15) },
          { start: at(15), end: at(35) },
          { start: at(35), end: at(60) },
          { start: at(60), end: at(90) },
        ]),
      ).toEqual([3, 2, 1, 0]);
      expect(await countTicketsPerSlice(db, period, [])).toEqual([]);
      expect(await countTicketsByType(db, period)).toEqual([
        { typeId: 'general', count: 5 },
        { typeId: 'damage', count: 1 },
      ]);
      // Two tickets each: the ones without a building first, as SQLite orders NULL.
      expect(await countTicketsByBuilding(db, period)).toEqual([
        { buildingId: null, street: null, houseNumber: null, city: null, count: 2 },
        { buildingId: 'building-1', street: 'Parkstraße', houseNumber: '1', city: 'Köln', count: 2 },
        { buildingId: 'building-2', street: 'Parkstraße', houseNumber: '2', city: 'Köln', count: 2 },
      ]);
      const ratings = await countRatings(db, period);
      expect(ratings.sort((a, b) => a.stars - b.stars)).toEqual([
        { stars: 4, count: 1 },
        { stars: 5, count: 1 },
      ]);
    });

    it('counts SLA clocks with nearest-rank percentiles and open tickets by age', async () => {
      const db = store();
      expect(await slaClockCounts(db, period, 'firstResponse', now)).toEqual({
        met: 3,
        missed: 2,
        pending: 0,
        medianMs: minutes(5),
        p90Ms: minutes(30),
      });
      // Closed without passing "resolved": its last change is when it was closed.
      expect(await slaClockCounts(db, period, 'resolution', now)).toEqual({
        met: 1,
        missed: 2,
        pending: 2,
        medianMs: minutes(180),
        p90Ms: minutes(370),
      });
      expect(await slaClockCounts(db, { ...period, scopeBuildingIds: [] }, 'resolution', now)).toEqual({
        met: 0,
        missed: 0,
        pending: 0,
        medianMs: null,
        p90Ms: null,
      });
      expect(
        await countOpenTicketsByAge(db, { scopeBuildingIds: null }, now, [0, minutes(592), minutes(598)]),
      ).toEqual([1, 1, 1]);
    });

    it('lists incidents with followers and linked tickets, and the export rows', async () => {
      const db = store();
      const figures = await listIncidentFigures(db, { scope: null, period: period.period! });
      expect(figures.map(({ id, followers, linkedTickets }) => ({ id, followers, linkedTickets }))).toEqual([
        { id: 'incident-1', followers: 2, linkedTickets: 1 },
        { id: 'incident-2', followers: 0, linkedTickets: 0 },
      ]);
      expect(figures[0]!.createdAt).toEqual(at(50));
      const scoped = (scope: { buildingIds: string[]; estateIds: string[] }) =>
        listIncidentFigures(db, { scope, period: period.period! }).then((rows) => rows.map((row) => row.id));
      expect(await scoped({ buildingIds: ['building-1'], estateIds: [] })).toEqual(['incident-1']);
      expect(await scoped({ buildingIds: [], estateIds: ['estate-1'] })).toEqual([
        'incident-1',
        'incident-2',
      ]);
      expect(await scoped({ buildingIds: [], estateIds: [] })).toEqual([]);
      const inBuildingTwo = await listIncidentFigures(db, {
        scope: null,
        building: { id: 'building-2', estateId: 'estate-1' },
        period: period.period!,
      });
      expect(inBuildingTwo.map((row) => row.id)).toEqual(['incident-2']);

      const firstPage = await listReportRows(db, period, { limit: 4 });
      expect(firstPage.map((row) => row.id)).toEqual(['t-1', 't-2', 't-3', 't-4']);
      expect(firstPage[0]).toMatchObject({
        number: 'T-0001',
        teamName: 'Hausmeister Nord',
        unitNumber: '1.01',
      });
      expect(firstPage[0]!.firstResponseDueAt).toEqual(at(60));
      expect(firstPage[1]).toMatchObject({ assigneeFirstName: 'Sven', street: 'Parkstraße' });
      const last = firstPage.at(-1)!;
      const next = await listReportRows(db, period, {
        limit: 4,
        after: { createdAt: last.createdAt, id: last.id },
      });
      expect(next.map((row) => row.id)).toEqual(['t-5', 't-6']);
      expect(await listReportTeams(db, null)).toEqual([{ id: 'team-1', name: 'Hausmeister Nord' }]);
      expect(await listReportTeams(db, [])).toEqual([]);
      expect((await listReportBuildings(db, null)).map((row) => row.id)).toEqual([
        'building-1',
        'building-2',
      ]);
      expect(await listReportBuildings(db, ['building-2'])).toEqual([
        { id: 'building-2', estateId: 'estate-1', street: 'Parkstraße', houseNumber: '2', city: 'Köln' },
      ]);
      expect(await findReportBuilding(db, 'building-1')).toEqual({ id: 'building-1', estateId: 'estate-1' });
      expect(await findReportBuilding(db, 'building-404')).toBeUndefined();
    });
  });
});
