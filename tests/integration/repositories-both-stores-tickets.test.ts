import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type Db } from '../../db/client.ts';
import { tablesOf } from '../../db/dialect.ts';
import {
  appendEvent,
  latestEventId,
  listEventsAfter,
  listEventsAfterWithRoomPrefixes,
} from '../../db/repositories/events.ts';
import {
  countOpenTicketsOfCustomer,
  findEstateOfBuilding,
  findTicketByClientId,
  findTicketPanel,
  findTicketType,
  findTicketWithEstate,
  insertTicket,
  insertTickets,
  insertTicketStatusChanges,
  insertTicketTypes,
  listActiveTicketTypes,
  listStatusHistoryOfTicket,
  listTeamScopesCoveringBuilding,
  listTicketIdsOfCustomer,
  listTicketPlacements,
  listTicketsCreatedBy,
  takeTicketNumber,
  listTicketsMergedInto,
  listTicketsOfCustomer,
  listTicketsWithoutSubjects,
  setTicketSubjects,
  touchTicketAfterMessage,
  updateTicket,
} from '../../db/repositories/tickets.ts';
import {
  findMessageByClientId,
  findMessageOfTicket,
  findMessageVisibility,
  insertTicketMessage,
  insertTicketMessages,
  insertTicketReads,
  latestStaffReadAt,
  listAttachmentsOfMessages,
  listAttachmentsOfTicket,
  listMessagePageWithAuthorRole,
  listMessagesOfTicket,
  listMessagesWithAuthorRole,
  upsertTicketRead,
} from '../../db/repositories/ticket-messages.ts';
import type { Ticket, TicketInsert } from '../../db/repositories/tickets.ts';
import {
  claimDueNotifications,
  findNotification,
  insertNotifications,
  listNotificationsOfUser,
  listPreferencesOfUsers,
  listRecipients,
  listUserIdsInPlaces,
  listUserIdsOfContracts,
  listUserIdsOfPersons,
  listUsersPushedSince,
  listUsersWithPushSubscription,
  markNotificationFailed,
  markNotificationSent,
  type NotificationInsert,
} from '../../db/repositories/notifications.ts';
import {
  claimDueDeliveries,
  deleteFinishedDeliveriesBefore,
  findActiveWebhook,
  findDeliveryOfWebhook,
  findTicketNumber,
  findTicketReferences,
  insertWebhook,
  insertWebhookDeliveries,
  killOpenDeliveriesOfWebhook,
  listActiveWebhooks,
  listDeliveriesOfWebhook,
  listWebhooksByIds,
  listWebhookSubscriptions,
  markDeliveryDelivered,
  markDeliveryFailed,
  requeueDelivery,
  setWebhookSecret,
  softDeleteWebhook,
} from '../../db/repositories/webhooks.ts';
import {
  deleteHouseholdInvitations,
  endHouseholdMembership,
  findOpenHouseholdInvitation,
  insertHouseholdMember,
  listDeadHouseholdInvitations,
  listHouseholdOfContract,
  listOpenHouseholdInvitations,
  listOpenHouseholdInvitationsOfContracts,
  listPendingRemovalPersonIds,
  revokeHouseholdInvitationsOf,
  updateHouseholdAccess,
} from '../../db/repositories/household.ts';
import { postgresMissing } from '../helpers/pg-server.ts';
import { bothStores } from '../helpers/both-stores.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * The ticket, dialog, event-log, outbox, webhook and household repositories answer the same on
 * SQLite and on a real PostgreSQL: each case runs on each store, over the same few rows.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 6, 9, minutes));

/** The rows every case reads: an estate with two buildings, a tenant on a contract, a staff member. */
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
    { id: 'person-org', kind: 'organisation', organisationName: 'Öresund Design AB' },
  ]);
  await db.insert(t.users).values([
    { id: 'user-tenant', personId: 'person-tenant', loginEmail: 'erika@example.test', role: 'customer' },
    { id: 'user-staff', personId: 'person-staff', loginEmail: 'sven@example.test', role: 'staff' },
    { id: 'user-other', personId: 'person-other', loginEmail: 'ole@example.test', role: 'customer' },
  ]);
  await db.insert(t.contracts).values([
    {
      id: 'contract-1',
      number: 'V-100',
      kind: 'residential',
      startDate: '2020-01-01',
      currency: 'EUR',
      paymentMethod: 'transfer',
    },
    {
      id: 'contract-2',
      number: 'V-200',
      kind: 'residential',
      startDate: '2021-01-01',
      currency: 'EUR',
      paymentMethod: 'transfer',
    },
  ]);
  await db.insert(t.contractUnits).values([
    { contractId: 'contract-1', unitId: 'unit-1' },
    { contractId: 'contract-2', unitId: 'unit-2' },
  ]);
  await db.insert(t.contractParties).values([
    { contractId: 'contract-1', personId: 'person-tenant', role: 'main_tenant' },
    { contractId: 'contract-2', personId: 'person-other', role: 'main_tenant' },
  ]);
  await db.insert(t.teams).values({ id: 'team-1', name: 'Hausmeister Nord' });
  await db.insert(t.teamScopes).values([
    { teamId: 'team-1', kind: 'building', buildingId: 'building-1' },
    { teamId: 'team-1', kind: 'estate', estateId: 'estate-1' },
  ]);
}

describe.skipIf(gate.skip)(`ticket and dialog repositories on both stores${gate.label}`, () => {
  const stores = bothStores(seed, { maxConnections: 4 });

  describe.each(stores)('%s', (_name, store) => {
    it('appends to the event log and replays it by room and by room prefix', async () => {
      const db = store();
      expect(await latestEventId(db)).toBe(0);
      const first = await appendEvent(db, 'ticket:t-1', 'ticket.updated', { status: 'new', note: 'ä' });
      const second = await appendEvent(db, 'user:u-1', 'badge', { unread: 2 });
      const third = await appendEvent(db, 'staff-ticket:t-1', 'note', { body: 'intern' });
      expect(typeof first.id).toBe('number');
      expect(second.id).toBeGreaterThan(first.id);
      expect(third.id).toBeGreaterThan(second.id);
      expect(await latestEventId(db)).toBe(third.id);

      expect(await listEventsAfter(db, ['ticket:t-1', 'user:u-1'], 0, 10)).toEqual([
        { id: first.id, room: 'ticket:t-1', type: 'ticket.updated', data: { status: 'new', note: 'ä' } },
        { id: second.id, room: 'user:u-1', type: 'badge', data: { unread: 2 } },
      ]);
      expect((await listEventsAfter(db, ['ticket:t-1', 'user:u-1'], first.id, 10)).map((e) => e.id)).toEqual([
        second.id,
      ]);
      expect(await listEventsAfter(db, [], 0, 10)).toEqual([]);
      expect((await listEventsAfter(db, ['ticket:t-1', 'user:u-1'], 0, 1)).map((e) => e.id)).toEqual([
        first.id,
      ]);

      const staff = await listEventsAfterWithRoomPrefixes(db, ['ticket:', 'staff-ticket:'], 0, 10);
      expect(staff.map((e) => e.room)).toEqual(['ticket:t-1', 'staff-ticket:t-1']);
      expect(await listEventsAfterWithRoomPrefixes(db, [], 0, 10)).toEqual([]);
    });

    it('stores tickets and finds them by id, client id, customer, search text and number', async () => {
      const db = store();
      await insertTicketTypes(db, [
        {
          id: 'type-damage',
          form: [],
          slaFirstResponseHours: 8,
          slaResolutionHours: 72,
          active: true,
          sort: 2,
        },
        { id: 'type-key', form: [], slaFirstResponseHours: 8, slaResolutionHours: 72, active: true, sort: 1 },
        {
          id: 'type-old',
          form: [],
          slaFirstResponseHours: 8,
          slaResolutionHours: 72,
          active: false,
          sort: 0,
        },
      ]);
      expect((await listActiveTicketTypes(db)).map((type) => type.id)).toEqual(['type-key', 'type-damage']);
      expect((await findTicketType(db, 'type-old'))?.active).toBe(false);
      expect(await findTicketType(db, 'type-404')).toBeUndefined();

      const ticket = (id: string, number: string, minutes: number, extra: Partial<TicketInsert> = {}) => ({
        id,
        number,
        typeId: 'type-damage',
        fields: { room: 'Bad' },
        subject: `Betreff ${id}`,
        description: 'Wasser tropft',
        createdByUserId: 'user-tenant',
        clientId: `client-${id}`,
        lastActivityAt: at(minutes),
        createdAt: at(minutes),
        ...extra,
      });
      const created = await insertTicket(
        db,
        ticket('t-1', '2026-000001', 1, {
          contractId: 'contract-1',
          unitId: 'unit-1',
          buildingId: 'building-1',
          teamId: 'team-1',
          subjects: { de: 'Heizung kalt', sv: 'Elementet är kallt' },
        }),
      );
      expect(created).toMatchObject({ id: 't-1', status: 'new', priority: 'normal', reopenCount: 0 });
      expect(created.lastActivityAt).toEqual(at(1));
      await insertTickets(db, [
        ticket('t-2', '2026-000002', 2, { description: 'Fenster 100%_dicht', status: 'closed' }),
        ticket('t-3', '2026-000010', 3, { createdByUserId: 'user-other', contractId: 'contract-1' }),
        ticket('t-4', '2025-000099', 4, { createdByUserId: 'user-other', contractId: 'contract-2' }),
        ticket('t-5', '2026-000003', 5, { mergedIntoId: 't-1', subject: 'Doppelt' }),
      ]);

      const withEstate = await findTicketWithEstate(db, 't-1');
      expect(withEstate).toMatchObject({
        id: 't-1',
        estateId: 'estate-1',
        subjects: { de: 'Heizung kalt', sv: 'Elementet är kallt' },
      });
      expect(withEstate?.createdAt).toEqual(at(1));
      expect((await findTicketWithEstate(db, 't-2'))?.estateId).toBeNull();
      expect(await findTicketWithEstate(db, 't-404')).toBeUndefined();
      expect((await findTicketByClientId(db, 'user-tenant', 'client-t-2'))?.id).toBe('t-2');
      expect(await findTicketByClientId(db, 'user-other', 'client-t-2')).toBeUndefined();

      expect((await listTicketsCreatedBy(db, 'user-tenant')).map((row) => row.id)).toEqual([
        't-5',
        't-2',
        't-1',
      ]);
      const ofCustomer = (q?: string, status?: Ticket['status']) =>
        listTicketsOfCustomer(db, 'user-tenant', ['contract-1'], { q, status, limit: 10 }).then((rows) =>
          rows.map((row) => row.id),
        );
      expect(await ofCustomer()).toEqual(['t-3', 't-2', 't-1']);
      expect(await ofCustomer(undefined, 'closed')).toEqual(['t-2']);
      // Case-insensitive, in the number, the subject, every language's subject and the description.
      expect(await ofCustomer('HEIZUNG')).toEqual(['t-1']);
      expect(await ofCustomer('är kallt')).toEqual(['t-1']);
      expect(await ofCustomer('2026-000010')).toEqual(['t-3']);
      expect(await ofCustomer('wasser')).toEqual(['t-3', 't-1']);
      // `%` and `_` match only themselves.
      expect(await ofCustomer('100%_')).toEqual(['t-2']);
      expect(await ofCustomer('0%d')).toEqual([]);
      expect((await listTicketsOfCustomer(db, 'user-tenant', [], { limit: 1 })).map((row) => row.id)).toEqual(
        ['t-2'],
      );

      expect((await listTicketIdsOfCustomer(db, 'user-tenant', ['contract-1'])).sort()).toEqual([
        't-1',
        't-2',
        't-3',
        't-5',
      ]);
      expect((await listTicketIdsOfCustomer(db, 'user-tenant', [])).sort()).toEqual(['t-1', 't-2', 't-5']);
      expect(await countOpenTicketsOfCustomer(db, 'user-tenant', ['contract-1'])).toBe(2);
      expect(await countOpenTicketsOfCustomer(db, 'user-tenant', [])).toBe(1);
      expect(await countOpenTicketsOfCustomer(db, 'user-staff', [])).toBe(0);

      // Tickets stored with numbers of their own moved their years' counters past them.
      expect(await takeTicketNumber(db, 2026)).toBe(11);
      expect(await takeTicketNumber(db, 2026)).toBe(12);
      expect(await takeTicketNumber(db, 2025)).toBe(100);
      expect(await takeTicketNumber(db, 2024)).toBe(1);
      expect(await takeTicketNumber(db, 2024)).toBe(2);

      expect(await listTicketPlacements(db, ['t-1', 't-2'])).toEqual(
        expect.arrayContaining([
          {
            id: 't-1',
            buildingId: 'building-1',
            estateId: 'estate-1',
            contractId: 'contract-1',
            createdByUserId: 'user-tenant',
          },
          { id: 't-2', buildingId: null, estateId: null, contractId: null, createdByUserId: 'user-tenant' },
        ]),
      );
      expect(await listTicketPlacements(db, [])).toEqual([]);
      expect((await listTicketsMergedInto(db, 't-1')).map((row) => row.id)).toEqual(['t-5']);
      expect(await findEstateOfBuilding(db, 'building-2')).toBe('estate-1');
      expect(await findEstateOfBuilding(db, 'building-404')).toBeUndefined();
      expect(
        (await listTeamScopesCoveringBuilding(db, 'building-1', 'estate-1'))
          .map((scope) => scope.kind)
          .sort(),
      ).toEqual(['building', 'estate']);
      expect(await listTeamScopesCoveringBuilding(db, 'building-2', 'estate-9')).toEqual([]);

      const panel = await findTicketPanel(db, 't-1');
      expect(panel).toMatchObject({
        person: { id: 'person-tenant', lastName: 'Mustermann', customerNumber: 'K-1' },
        loginEmail: 'erika@example.test',
        contract: { id: 'contract-1', number: 'V-100' },
        unit: { id: 'unit-1', number: '1.01' },
        building: { street: 'Parkstraße', houseNumber: '1' },
        teamName: 'Hausmeister Nord',
        incident: null,
      });
      expect(await findTicketPanel(db, 't-404')).toBeUndefined();
    });

    it('changes tickets: the message touch, a patch, status history and subjects', async () => {
      const db = store();
      await touchTicketAfterMessage(db, 't-1', at(20), false);
      let row = await findTicketWithEstate(db, 't-1');
      expect(row).toMatchObject({ lastActivityAt: at(20), updatedAt: at(20), firstRespondedAt: null });
      await touchTicketAfterMessage(db, 't-1', at(21), true);
      await touchTicketAfterMessage(db, 't-1', at(22), true);
      row = await findTicketWithEstate(db, 't-1');
      // The first staff reply stops the first-response clock; later ones leave it.
      expect(row).toMatchObject({ lastActivityAt: at(22), firstRespondedAt: at(21) });

      const updated = await updateTicket(db, 't-1', {
        status: 'in_progress',
        priority: 'high',
        updatedAt: at(23),
      });
      expect(updated).toMatchObject({
        id: 't-1',
        status: 'in_progress',
        priority: 'high',
        updatedAt: at(23),
      });
      await expect(updateTicket(db, 't-404', { status: 'closed' })).rejects.toThrow(/vanished/);

      await insertTicketStatusChanges(db, [
        { ticketId: 't-1', fromStatus: 'in_progress', toStatus: 'resolved', createdAt: at(31) },
        { ticketId: 't-1', fromStatus: 'new', toStatus: 'in_progress', createdAt: at(30) },
      ]);
      expect((await listStatusHistoryOfTicket(db, 't-1')).map((change) => change.toStatus)).toEqual([
        'in_progress',
        'resolved',
      ]);

      expect((await listTicketsWithoutSubjects(db, 2)).map((ticket) => ticket.id)).toEqual(['t-2', 't-3']);
      await setTicketSubjects(db, 't-2', { subject: 'Fenster', subjects: { de: 'Fenster', en: 'Window' } });
      expect((await findTicketWithEstate(db, 't-2'))?.subjects).toEqual({ de: 'Fenster', en: 'Window' });
      expect((await listTicketsWithoutSubjects(db, 10)).map((ticket) => ticket.id)).toEqual([
        't-3',
        't-4',
        't-5',
      ]);
    });

    it('keeps the dialog: messages in order, pages, read marks and attachments', async () => {
      const db = store();
      const sent = await insertTicketMessage(db, {
        id: 'm-1',
        ticketId: 't-1',
        authorUserId: 'user-tenant',
        body: 'Die Heizung bleibt kalt.',
        clientId: 'c-1',
        createdAt: at(40),
      });
      expect(sent).toMatchObject({ id: 'm-1', visibility: 'public', kind: 'message', clientId: 'c-1' });
      expect(sent.createdAt).toEqual(at(40));
      await insertTicketMessages(db, [
        {
          id: 'm-3',
          ticketId: 't-1',
          authorUserId: 'user-staff',
          body: 'Intern',
          visibility: 'internal',
          createdAt: at(41),
        },
        { id: 'm-2', ticketId: 't-1', authorUserId: 'user-staff', body: 'Wir kommen', createdAt: at(41) },
        { id: 'm-4', ticketId: 't-1', body: 'Status', kind: 'system', createdAt: at(42) },
      ]);
      expect((await listMessagesOfTicket(db, 't-1')).map((m) => m.id)).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
      const publicDialog = await listMessagesWithAuthorRole(db, 't-1', true);
      expect(publicDialog.map((m) => [m.id, m.authorRole, m.authorFirstName])).toEqual([
        ['m-1', 'customer', 'Erika'],
        ['m-2', 'staff', 'Sven'],
        ['m-4', null, null],
      ]);
      expect((await listMessagesWithAuthorRole(db, 't-1', false)).map((m) => m.id)).toEqual([
        'm-1',
        'm-2',
        'm-3',
        'm-4',
      ]);

      const newest = await listMessagePageWithAuthorRole(db, 't-1', {
        publicOnly: false,
        before: null,
        limit: 2,
      });
      expect(newest.messages.map((m) => m.id)).toEqual(['m-3', 'm-4']);
      expect(newest.hasOlder).toBe(true);
      const older = await listMessagePageWithAuthorRole(db, 't-1', {
        publicOnly: false,
        before: { createdAt: at(41), id: 'm-3' },
        limit: 2,
      });
      expect(older.messages.map((m) => m.id)).toEqual(['m-1', 'm-2']);
      expect(older.hasOlder).toBe(false);
      expect(older.messages[1]).toMatchObject({ authorRole: 'staff', authorFirstName: 'Sven' });

      expect((await findMessageByClientId(db, 'user-tenant', 'c-1'))?.id).toBe('m-1');
      expect(await findMessageByClientId(db, 'user-staff', 'c-1')).toBeUndefined();
      expect((await findMessageOfTicket(db, 't-1', 'm-2'))?.body).toBe('Wir kommen');
      expect(await findMessageOfTicket(db, 't-2', 'm-2')).toBeUndefined();
      expect(await findMessageVisibility(db, 'm-3')).toBe('internal');
      expect(await findMessageVisibility(db, 'm-404')).toBeUndefined();

      expect(await latestStaffReadAt(db, 't-1')).toBeNull();
      await insertTicketReads(db, [
        { ticketId: 't-1', userId: 'user-tenant', lastReadMessageId: 'm-2', readAt: at(50) },
      ]);
      expect(await latestStaffReadAt(db, 't-1')).toBeNull();
      await upsertTicketRead(db, {
        ticketId: 't-1',
        userId: 'user-staff',
        lastReadMessageId: 'm-1',
        readAt: at(43),
      });
      await upsertTicketRead(db, {
        ticketId: 't-1',
        userId: 'user-staff',
        lastReadMessageId: 'm-3',
        readAt: at(45),
      });
      expect(await latestStaffReadAt(db, 't-1')).toEqual(at(45));

      const { attachments, files } = tablesOf(db);
      await db.insert(files).values([
        { id: 'file-1', sha256: 'a'.repeat(64), mime: 'image/jpeg', size: 1000 },
        { id: 'file-1t', sha256: 'b'.repeat(64), mime: 'image/webp', size: 100 },
        { id: 'file-2', sha256: 'c'.repeat(64), mime: 'application/pdf', size: 2000 },
      ]);
      await db.insert(attachments).values([
        {
          id: 'a-1',
          fileId: 'file-1',
          thumbnailFileId: 'file-1t',
          ownerUserId: 'user-tenant',
          ticketId: 't-1',
          messageId: 'm-1',
        },
        { id: 'a-2', fileId: 'file-2', ownerUserId: 'user-staff', ticketId: 't-1', messageId: 'm-3' },
        { id: 'a-3', fileId: 'file-2', ownerUserId: 'user-tenant', ticketId: 't-1' },
        { id: 'a-4', fileId: 'file-2', ownerUserId: 'user-other', ticketId: 't-3' },
      ]);
      const all = await listAttachmentsOfTicket(db, 't-1');
      expect(
        all.map((row) => [row.attachment.id, row.file.id, row.thumbnail?.id ?? null, row.visibility]).sort(),
      ).toEqual([
        ['a-1', 'file-1', 'file-1t', 'public'],
        ['a-2', 'file-2', null, 'internal'],
        ['a-3', 'file-2', null, null],
      ]);
      const ids = async (messageIds: string[], ticketFiles: boolean) =>
        (await listAttachmentsOfMessages(db, 't-1', messageIds, ticketFiles))
          .map((row) => row.attachment.id)
          .sort();
      expect(await ids(['m-1'], false)).toEqual(['a-1']);
      expect(await ids(['m-1', 'm-3'], true)).toEqual(['a-1', 'a-2', 'a-3']);
      expect(await ids([], true)).toEqual(['a-3']);
      expect(await ids([], false)).toEqual([]);
    });

    it('keeps the outbox: claims with a lease, marks only by the own claim, finds recipients', async () => {
      const db = store();
      const note = (id: string, minutes: number, extra: Partial<NotificationInsert> = {}) => ({
        id,
        userId: 'user-tenant',
        channel: 'email' as const,
        category: 'ticket_replies' as const,
        template: 'reply',
        data: { ticket: 't-1' },
        language: 'de',
        nextAttemptAt: at(minutes),
        createdAt: at(minutes),
        ...extra,
      });
      const stored = await insertNotifications(db, [
        note('n-1', 1),
        note('n-2', 2),
        note('n-3', 50),
        note('n-4', 3, { channel: 'push', createdAt: at(30) }),
      ]);
      expect(stored.map((row) => [row.id, row.status, row.attempts])).toEqual([
        ['n-1', 'pending', 0],
        ['n-2', 'pending', 0],
        ['n-3', 'pending', 0],
        ['n-4', 'pending', 0],
      ]);
      expect(await insertNotifications(db, [])).toEqual([]);
      expect((await listNotificationsOfUser(db, 'user-tenant')).map((row) => row.id)).toEqual([
        'n-1',
        'n-2',
        'n-4',
        'n-3',
      ]);

      const claimed = await claimDueNotifications(db, at(10), at(15), 2);
      expect(claimed.map((row) => [row.id, row.status, row.attempts, row.nextAttemptAt])).toEqual([
        ['n-1', 'sending', 1, at(15)],
        ['n-2', 'sending', 1, at(15)],
      ]);
      expect(claimed.every((row) => typeof row.seq === 'number')).toBe(true);
      // Leased rows are not due again before the lease ends; then they are.
      expect((await claimDueNotifications(db, at(11), at(16), 10)).map((row) => row.id)).toEqual(['n-4']);
      const again = await claimDueNotifications(db, at(15), at(20), 10);
      expect(again.map((row) => [row.id, row.attempts])).toEqual([
        ['n-1', 2],
        ['n-2', 2],
      ]);
      // The stale first claim (attempts 1) changes nothing; the current one marks.
      await markNotificationSent(db, { id: 'n-1', attempts: 1 }, at(16));
      expect((await findNotification(db, 'n-1'))?.status).toBe('sending');
      await markNotificationSent(db, { id: 'n-1', attempts: 2 }, at(16), { scrubbed: true });
      expect(await findNotification(db, 'n-1')).toMatchObject({
        status: 'sent',
        sentAt: at(16),
        data: { scrubbed: true },
      });
      await markNotificationFailed(db, { id: 'n-2', attempts: 2 }, 'timeout', at(40));
      expect(await findNotification(db, 'n-2')).toMatchObject({
        status: 'pending',
        lastError: 'timeout',
        nextAttemptAt: at(40),
      });
      await markNotificationFailed(db, { id: 'n-4', attempts: 1 }, 'gone', null);
      expect((await findNotification(db, 'n-4'))?.status).toBe('dead');
      expect(await findNotification(db, 'n-404')).toBeUndefined();

      expect([
        ...(await listUsersPushedSince(db, ['user-tenant', 'user-other'], 'ticket_replies', at(20))),
      ]).toEqual(['user-tenant']);
      expect((await listUsersPushedSince(db, ['user-tenant'], 'ticket_replies', at(30))).size).toBe(0);
      expect((await listUsersPushedSince(db, [], 'ticket_replies', at(0))).size).toBe(0);

      const { users, pushSubscriptions, notificationPreferences, ownerships } = tablesOf(db);
      await db
        .update(users)
        .set({ emailVerifiedAt: at(0) })
        .where(eq(users.id, 'user-tenant'));
      const recipients = await listRecipients(db, ['user-tenant', 'user-staff', 'user-404']);
      expect(recipients.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
        expect.objectContaining({
          userId: 'user-staff',
          emailVerified: false,
          role: 'staff',
          firstName: 'Sven',
        }),
        expect.objectContaining({ userId: 'user-tenant', emailVerified: true, lastName: 'Mustermann' }),
      ]);
      await db
        .insert(notificationPreferences)
        .values({ userId: 'user-tenant', category: 'notices', channel: 'sms', enabled: true });
      expect(await listPreferencesOfUsers(db, ['user-tenant', 'user-other'])).toEqual([
        { userId: 'user-tenant', category: 'notices', channel: 'sms', enabled: true },
      ]);
      await db
        .insert(pushSubscriptions)
        .values({ userId: 'user-other', endpoint: 'https://push.example/1', p256dh: 'k', auth: 'a' });
      expect([...(await listUsersWithPushSubscription(db, ['user-tenant', 'user-other']))]).toEqual([
        'user-other',
      ]);

      expect((await listUserIdsOfContracts(db, ['contract-1', 'contract-2'], '2026-12-06')).sort()).toEqual([
        'user-other',
        'user-tenant',
      ]);
      expect(await listUserIdsOfContracts(db, [], '2026-12-06')).toEqual([]);
      await db.insert(ownerships).values({ id: 'own-1', unitId: 'unit-2', personId: 'person-staff' });
      const inPlaces = (
        filter: Parameters<typeof listUserIdsInPlaces>[1],
        audience?: 'all' | 'tenants' | 'owners',
      ) => listUserIdsInPlaces(db, filter, '2026-12-06', audience).then((ids) => ids.sort());
      expect(await inPlaces({ buildingIds: ['building-1'] })).toEqual(['user-tenant']);
      expect(await inPlaces({ estateIds: ['estate-1'] })).toEqual([
        'user-other',
        'user-staff',
        'user-tenant',
      ]);
      expect(await inPlaces({ unitIds: ['unit-2'] }, 'owners')).toEqual(['user-staff']);
      expect(await inPlaces({ unitIds: ['unit-2'] }, 'tenants')).toEqual(['user-other']);
      // No place at all reaches nobody.
      expect(await inPlaces({})).toEqual([]);
      expect((await listUserIdsOfPersons(db, ['person-tenant', 'person-org'])).sort()).toEqual([
        'user-tenant',
      ]);
    });

    it('keeps webhooks and their deliveries: claims with a lease token, outcomes, housekeeping', async () => {
      const db = store();
      const hook = await insertWebhook(db, {
        id: 'wh-1',
        url: 'https://erp.example/hook',
        events: ['ticket.created'],
        secret: 'v1.sealed',
        createdAt: at(0),
      });
      expect(hook).toMatchObject({ id: 'wh-1', events: ['ticket.created'], deletedAt: null });
      await insertWebhook(db, {
        id: 'wh-2',
        url: 'https://erp.example/two',
        events: [],
        secret: 'v1.x',
        createdAt: at(1),
      });
      expect((await listActiveWebhooks(db)).map((row) => row.id)).toEqual(['wh-2', 'wh-1']);
      expect(await listWebhookSubscriptions(db)).toEqual(
        expect.arrayContaining([
          { id: 'wh-1', events: ['ticket.created'] },
          { id: 'wh-2', events: [] },
        ]),
      );
      expect((await findActiveWebhook(db, 'wh-1'))?.url).toBe('https://erp.example/hook');
      expect((await listWebhooksByIds(db, ['wh-1', 'wh-404'])).map((row) => row.id)).toEqual(['wh-1']);
      expect(await listWebhooksByIds(db, [])).toEqual([]);
      expect((await setWebhookSecret(db, 'wh-1', 'v1.rotated', at(2)))?.secretRotatedAt).toEqual(at(2));
      expect(await setWebhookSecret(db, 'wh-404', 'v1.rotated', at(2))).toBeUndefined();

      const delivery = (id: string, minutes: number, webhookId = 'wh-1') => ({
        id,
        webhookId,
        type: 'ticket.created' as const,
        payload: `{"id":"${id}"}`,
        nextAttemptAt: at(minutes),
        createdAt: at(minutes),
      });
      await insertWebhookDeliveries(db, [
        delivery('d-1', 1),
        delivery('d-2', 2),
        delivery('d-3', 2),
        delivery('d-9', 1, 'wh-2'),
      ]);
      expect((await listDeliveriesOfWebhook(db, 'wh-1', 2)).map((row) => row.createdAt)).toEqual([
        at(2),
        at(2),
      ]);
      expect((await findDeliveryOfWebhook(db, 'wh-1', 'd-1'))?.payload).toBe('{"id":"d-1"}');
      expect(await findDeliveryOfWebhook(db, 'wh-2', 'd-1')).toBeUndefined();

      const claimed = await claimDueDeliveries(db, at(5), at(10), 'lease-a', 10);
      expect(claimed.map((row) => [row.id, row.attempts, row.leaseToken, row.leasedUntil]).sort()).toEqual([
        ['d-1', 1, 'lease-a', at(10)],
        ['d-2', 1, 'lease-a', at(10)],
        ['d-3', 1, 'lease-a', at(10)],
        ['d-9', 1, 'lease-a', at(10)],
      ]);
      expect(await claimDueDeliveries(db, at(6), at(11), 'lease-b', 10)).toEqual([]);
      await markDeliveryDelivered(db, { id: 'd-1', leaseToken: 'lease-other' }, 200, at(7));
      expect((await findDeliveryOfWebhook(db, 'wh-1', 'd-1'))?.state).toBe('pending');
      await markDeliveryDelivered(db, { id: 'd-1', leaseToken: 'lease-a' }, 204, at(7));
      expect(await findDeliveryOfWebhook(db, 'wh-1', 'd-1')).toMatchObject({
        state: 'delivered',
        lastStatus: 204,
        deliveredAt: at(7),
        leaseToken: null,
      });
      await markDeliveryFailed(
        db,
        { id: 'd-2', leaseToken: 'lease-a' },
        { status: 500, error: 'boom', nextAttemptAt: at(20) },
      );
      await markDeliveryFailed(
        db,
        { id: 'd-9', leaseToken: 'lease-a' },
        { status: null, error: 'refused', nextAttemptAt: null },
      );
      expect((await findDeliveryOfWebhook(db, 'wh-1', 'd-2'))?.state).toBe('failed');
      expect((await findDeliveryOfWebhook(db, 'wh-2', 'd-9'))?.state).toBe('dead');
      // The lease of d-3 ran out: taken again.
      expect(
        (await claimDueDeliveries(db, at(12), at(17), 'lease-c', 10)).map((row) => [row.id, row.attempts]),
      ).toEqual([['d-3', 2]]);
      const requeued = await requeueDelivery(db, 'd-9', at(13));
      expect(requeued).toMatchObject({
        id: 'd-9',
        state: 'pending',
        attempts: 0,
        nextAttemptAt: at(13),
        leaseToken: null,
      });

      expect(await softDeleteWebhook(db, 'wh-2', at(14))).toBe(true);
      expect(await softDeleteWebhook(db, 'wh-2', at(15))).toBe(false);
      expect(await findActiveWebhook(db, 'wh-2')).toBeUndefined();
      expect(await killOpenDeliveriesOfWebhook(db, 'wh-2', 'webhook deleted')).toBe(1);
      expect(await killOpenDeliveriesOfWebhook(db, 'wh-1', 'webhook deleted')).toBe(2);
      expect(await deleteFinishedDeliveriesBefore(db, at(2))).toBe(2);
      expect((await listDeliveriesOfWebhook(db, 'wh-1', 10)).map((row) => row.id).sort()).toEqual([
        'd-2',
        'd-3',
      ]);

      expect(await findTicketReferences(db, 't-1')).toEqual({
        contractNumber: 'V-100',
        contractExternalId: null,
        unitExternalId: null,
        buildingExternalId: null,
        reporterExternalId: null,
      });
      expect(await findTicketReferences(db, 't-404')).toBeUndefined();
      expect(await findTicketNumber(db, 't-3')).toBe('2026-000010');
      expect(await findTicketNumber(db, 't-404')).toBeUndefined();
    });

    it('keeps the household: members, invitations, removals and access', async () => {
      const db = store();
      const { registrationCodes, persons } = tablesOf(db);
      await db
        .insert(persons)
        .values({ id: 'person-invitee', kind: 'natural', firstName: 'Ina', lastName: 'Neu' });
      await insertHouseholdMember(db, {
        contractId: 'contract-1',
        personId: 'person-org',
        access: 'read',
        since: '2026-01-01',
      });
      await insertHouseholdMember(db, {
        contractId: 'contract-1',
        personId: 'person-org',
        access: 'full',
        since: '2026-02-01',
      });
      expect(
        (await listHouseholdOfContract(db, 'contract-1')).map((row) => [
          row.personId,
          row.role,
          row.access,
          row.userId,
        ]),
      ).toEqual([
        ['person-org', 'household_member', 'read', null],
        ['person-tenant', 'main_tenant', 'full', 'user-tenant'],
      ]);
      expect(await updateHouseholdAccess(db, 'contract-1', 'person-org', 'full')).toBe(1);
      expect(await endHouseholdMembership(db, 'contract-1', 'person-org', '2026-12-31', '2026-12-06')).toBe(
        true,
      );
      expect(await endHouseholdMembership(db, 'contract-1', 'person-org', '2026-12-31', '2027-01-01')).toBe(
        false,
      );

      const code = (id: string, minutes: number, extra: object = {}) => ({
        id,
        personId: 'person-invitee',
        contractId: 'contract-1',
        codeHash: `hash-${id}`,
        purpose: 'household_invitation' as const,
        access: 'read' as const,
        createdAt: at(minutes),
        ...extra,
      });
      await db
        .insert(registrationCodes)
        .values([
          code('rc-1', 1, { expiresAt: at(100) }),
          code('rc-2', 2),
          code('rc-3', 3, { expiresAt: at(5) }),
        ]);
      expect(
        (await listOpenHouseholdInvitations(db, 'contract-1', at(10))).map((row) => [row.id, row.firstName]),
      ).toEqual([
        ['rc-2', 'Ina'],
        ['rc-1', 'Ina'],
      ]);
      expect(
        (await listOpenHouseholdInvitationsOfContracts(db, ['contract-1', 'contract-2'], at(10))).map(
          (row) => row.contractId,
        ),
      ).toEqual(['contract-1', 'contract-1']);
      expect(await listOpenHouseholdInvitationsOfContracts(db, [], at(10))).toEqual([]);
      expect((await findOpenHouseholdInvitation(db, 'contract-1', 'rc-1', at(10)))?.expiresAt).toEqual(
        at(100),
      );
      expect(await findOpenHouseholdInvitation(db, 'contract-2', 'rc-1', at(10))).toBeUndefined();
      await revokeHouseholdInvitationsOf(db, 'contract-1', 'person-invitee', at(11));
      const dead = await listDeadHouseholdInvitations(db, at(12));
      expect(dead.map((row) => row.id).sort()).toEqual(['rc-1', 'rc-2', 'rc-3']);
      expect(await deleteHouseholdInvitations(db, dead)).toBe(3);
      expect(await db.select().from(persons).where(eq(persons.id, 'person-invitee'))).toEqual([]);
      expect(await deleteHouseholdInvitations(db, [])).toBe(0);

      await insertTickets(db, [
        {
          id: 't-hh',
          number: '2026-000500',
          typeId: 'type-damage',
          fields: {},
          subject: 'Entfernen',
          description: 'Bitte entfernen',
          createdByUserId: 'user-tenant',
          contractId: 'contract-1',
          clientId: 'household-removal:contract-1:person-org',
          lastActivityAt: at(60),
        },
      ]);
      expect([...(await listPendingRemovalPersonIds(db, 'contract-1'))]).toEqual(['person-org']);
      expect((await listPendingRemovalPersonIds(db, 'contract-2')).size).toBe(0);
    });
  });
});
