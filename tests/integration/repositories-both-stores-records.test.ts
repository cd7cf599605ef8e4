import { describe, expect, it } from 'vitest';
import { type Db } from '../../db/client.ts';
import { tablesOf } from '../../db/dialect.ts';
import { listContractPlacementsOfPerson, listOwnedUnitsOfPerson } from '../../db/repositories/access.ts';
import {
  countTeamDependents,
  deleteTeam,
  findUsersByIds,
  insertTeam,
  listAllTeamMembers,
  listAllTeamScopes,
  listAllTicketTypes,
  listBuildingsForAdmin,
  listEstatesForAdmin,
  listMemberIdsOfTeam,
  listStaffAccountsForAdmin,
  listTeams,
  renameTeam,
  replaceTeamMembers,
  replaceTeamScopes,
  replaceTeamsOfUser,
  updateTicketType,
  updateUserRole,
} from '../../db/repositories/admin.ts';
import {
  insertApiKey,
  findActiveApiKey,
  listActiveApiKeys,
  revokeApiKey,
  touchApiKey,
} from '../../db/repositories/api-keys.ts';
import {
  insertAuditEntry,
  listAuditEntriesFor,
  listAuditEntriesWithActor,
} from '../../db/repositories/audit.ts';
import {
  consumeAuthToken,
  deleteAuthTokensExpiredBefore,
  deleteUnusedAuthTokens,
  findAuthToken,
  findPendingEmailChange,
  findPendingEmailChangeDetails,
  hasLiveAuthToken,
  insertAuthToken,
} from '../../db/repositories/auth-tokens.ts';
import { deleteConsentsOfUser, insertConsents, listConsentsOfUser } from '../../db/repositories/consents.ts';
import {
  deleteContractor,
  findContractor,
  findContractorsByExternalIds,
  findExistingBuildingIds,
  insertContractor,
  isContractorReferenced,
  listActiveContractorsFor,
  listActiveErpContractorsNotIn,
  listBuildingAddresses,
  listContractors,
  replaceContractorBuildings,
  replaceContractorTrades,
  updateContractor,
} from '../../db/repositories/contractors.ts';
import {
  findContractById,
  findContractByNumber,
  insertContractParties,
  insertContracts,
  insertContractUnits,
  insertRentComponents,
  listContractsByIds,
  listContractsForPerson,
  listPartiesOfContract,
  listPartyNamesOfContract,
  listRentComponentsOfContractsValidOn,
  listRentComponentsValidOn,
  listRentHistory,
  listTicketsLinkedToContract,
  listUnitsOfContract,
  listUnitsOfContracts,
  setCooperativeShares,
  setSignedContractFile,
} from '../../db/repositories/contracts.ts';
import {
  findBuilding,
  insertBuildings,
  insertEstates,
  insertUnits,
  listBuildingsOfEstate,
} from '../../db/repositories/estates.ts';
import {
  claimAttachments,
  countAttachmentsOfFile,
  findAttachment,
  findAttachmentWithFiles,
  findFileById,
  findFileBySha,
  findOrInsertFile,
  insertAttachment,
  insertFile,
} from '../../db/repositories/files.ts';
import {
  deleteIncidentFollower,
  findIncident,
  findTicketIdsByNumbers,
  insertIncident,
  insertIncidentFollowers,
  insertIncidents,
  insertIncidentUpdates,
  listFollowedIncidentIds,
  listIncidentsForPlaces,
  listIncidentsForStaff,
  listOpenIncidentsMatching,
  listOpenIncidentsOfBuilding,
  listTicketsOfIncidents,
  listUpdatesOfIncidents,
  updateIncident,
} from '../../db/repositories/incidents.ts';
import {
  findInvoice,
  findInvoiceWithContract,
  insertInvoices,
  listInvoicesForContract,
  listInvoicesOfContracts,
  listLedgerEntriesOfInvoices,
  summariseUnpaidInvoices,
} from '../../db/repositories/invoices.ts';
import {
  findJobLink,
  insertJobLink,
  revokeJobLink,
  revokeJobLinksOfTicket,
} from '../../db/repositories/job-links.ts';
import {
  insertLedgerEntries,
  listLedgerEntries,
  listLedgerWithRunningBalance,
  rentAccountBalance,
  rentAccountBalancesOf,
  sumRentAccountBalances,
} from '../../db/repositories/ledger.ts';
import {
  findLetterRequest,
  insertLetterRequest,
  listLetterRequests,
  markLetterRequestDone,
} from '../../db/repositories/letter-requests.ts';
import {
  countNoticeReads,
  findBuildingPlace,
  findEstate,
  findNotice,
  insertNotice,
  insertNotices,
  insertNoticeUnits,
  listCurrentNoticesForPlaces,
  listDueUnannouncedNotices,
  listNoticesForStaff,
  listPlacesOfUnits,
  listReadNoticeIds,
  listStaffPlaces,
  listUnitIdsOfNotices,
  markNoticeAnnounced,
  markNoticeRead,
  updateNotice,
} from '../../db/repositories/notices.ts';
import {
  completeNumberSignup,
  countWrongSignupCode,
  deleteNumberSignupsExpiredBefore,
  endOpenNumberSignupsOf,
  findNumberSignup,
  insertNumberSignup,
  listSignupCandidates,
  setNumberSignupCode,
} from '../../db/repositories/number-signups.ts';
import {
  claimEmergencyAlert,
  findEmergencyAlertOfTicket,
  findTicketTypeSla,
  insertOnCallShifts,
  insertTicketTypeSlas,
  listActiveMemberIdsOfTeam,
  listShiftsOfTeam,
  listTicketTypeSlas,
  replaceShiftsOfTeam,
  replaceTicketTypeSlas,
} from '../../db/repositories/on-call.ts';
import {
  findCurrentHausgeldAdvances,
  insertHausgeldAdvances,
  insertOwnerAccountEntries,
  insertOwnerships,
  listCurrentOwnershipOptions,
  listOwnerAccountWithRunningBalance,
  listOwnershipsWithUnits,
  ownerPersonsOfOwnerships,
  sumOwnerAccountBalances,
} from '../../db/repositories/owners.ts';
import {
  findPerson,
  insertPerson,
  insertPersons,
  listBuildingsInScope,
  listOwnedUnitsWithBuildings,
  listTenantDirectoryRows,
  setPersonMobile,
  updatePersonContact,
} from '../../db/repositories/persons.ts';
import {
  listNotificationPreferences,
  replaceNotificationPreferences,
  setNotificationPreference,
} from '../../db/repositories/preferences.ts';
import {
  deletePushSubscription,
  deletePushSubscriptionOfUser,
  deletePushSubscriptionOfUserByEndpoint,
  deletePushSubscriptionsOfUser,
  findPushSubscriptionByEndpoint,
  insertPushSubscription,
  listPushSubscriptionsOfUser,
  markPushSubscriptionSucceeded,
  upsertPushSubscription,
} from '../../db/repositories/push-subscriptions.ts';
import { deleteExpiredRateLimits, rateLimitTable } from '../../db/repositories/rate-limits.ts';
import {
  findRegistrationCodeByHash,
  insertRegistrationCode,
  listPersonIdsWithOpenLetterCode,
  markRegistrationCodeUsed,
  revokeOpenLetterCodes,
} from '../../db/repositories/registration-codes.ts';
import {
  deleteCannedReply,
  findCannedReply,
  findTeam,
  insertBuildingContacts,
  insertCannedReplies,
  insertCannedReply,
  insertTeamMembers,
  insertTeams,
  insertTeamScopes,
  listBuildingContacts,
  listBuildingContactsOfBuildings,
  listBuildingIdsOfEstates,
  listCannedReplies,
  listScopesOfAllMembers,
  listStaffAccounts,
  listTeamIdsOfUser,
  listTeamScopesOfUser,
  updateCannedReply,
} from '../../db/repositories/staff.ts';
import {
  countOpenTicketsOfPersonForStaff,
  listContractUnitsOfPerson,
  listHouseholdOfContracts,
  listTicketsOfPersonForStaff,
  summariseOverdueInvoicesOf,
} from '../../db/repositories/tenant-record.ts';
import { postgresMissing } from '../helpers/pg-server.ts';
import { bothStores } from '../helpers/both-stores.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * The record repositories (contracts, money, people, staff, notices, incidents, sign-ups, files,
 * contractors and the small tables) answer the same on SQLite and on a real PostgreSQL: every
 * branch of raw SQL (id lists as one JSON parameter, sums and counts as numbers, NULL ordering,
 * case-insensitive search, the thumbnail alias, insertion order) and a read and a write of each.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 6, 9, minutes));
const ids = (rows: readonly { id: string }[]) => rows.map((row) => row.id);

/** The places, people, contracts, money and tickets every case reads; the same rows on both stores. */
async function seed(db: Db): Promise<void> {
  const t = tablesOf(db);
  await insertEstates(db, [
    { id: 'e-1', name: 'Sonnenhof', city: 'Berlin', country: 'DE' },
    { id: 'e-2', name: 'Sjöstaden', city: 'Stockholm', country: 'SE' },
  ]);
  const building = (id: string, estateId: string, street: string, houseNumber: string, currency = 'EUR') => ({
    id,
    estateId,
    street,
    houseNumber,
    postalCode: '10115',
    city: currency === 'EUR' ? 'Berlin' : 'Stockholm',
    country: currency === 'EUR' ? 'DE' : 'SE',
    use: 'residential' as const,
    currency,
  });
  await insertBuildings(db, [
    building('b-1', 'e-1', 'Ahornweg', '1'),
    building('b-2', 'e-1', 'Birkenweg', '2'),
    building('b-3', 'e-2', 'Hammarby allé', '10', 'SEK'),
  ]);
  await insertUnits(db, [
    { id: 'un-1', buildingId: 'b-1', number: '0.01', kind: 'flat' },
    { id: 'un-2', buildingId: 'b-1', number: '1.01', kind: 'flat' },
    { id: 'un-3', buildingId: 'b-3', number: '1201', kind: 'flat' },
  ]);
  await insertPersons(db, [
    { id: 'p-erika', kind: 'natural', firstName: 'Erika', lastName: 'Mustermann', customerNumber: 'K-100' },
    {
      id: 'p-org',
      kind: 'organisation',
      organisationName: 'Öresund Design AB',
      organisationNumber: '556677-8899',
    },
    { id: 'p-ada', kind: 'natural', firstName: 'Ada', lastName: 'Admin' },
    { id: 'p-sam', kind: 'natural', firstName: 'Sam', lastName: 'Staff' },
    { id: 'p-desk', kind: 'organisation', organisationName: 'Hauswart GmbH' },
  ]);
  await db.insert(t.users).values([
    { id: 'u-erika', personId: 'p-erika', loginEmail: 'erika@example.test', role: 'customer' },
    { id: 'u-ada', personId: 'p-ada', loginEmail: 'ada@example.test', role: 'admin' },
    { id: 'u-sam', personId: 'p-sam', loginEmail: 'sam@example.test', role: 'staff' },
    { id: 'u-desk', personId: 'p-desk', loginEmail: 'desk@example.test', role: 'staff' },
  ]);
  const contract = (id: string, number: string, startDate: string, currency = 'EUR', endDate?: string) => ({
    id,
    number,
    kind: 'residential' as const,
    startDate,
    endDate: endDate ?? null,
    currency,
    paymentMethod: 'transfer' as const,
  });
  await insertContracts(db, [
    contract('c-1', 'V-1', '2020-01-01'),
    contract('c-2', 'V-2', '2022-05-01', 'SEK'),
    contract('c-old', 'V-0', '2010-01-01', 'EUR', '2019-12-31'),
  ]);
  await insertContractUnits(db, [
    { contractId: 'c-1', unitId: 'un-2' },
    { contractId: 'c-1', unitId: 'un-1' },
    { contractId: 'c-2', unitId: 'un-3' },
    { contractId: 'c-old', unitId: 'un-2' },
  ]);
  await insertContractParties(db, [
    { contractId: 'c-1', personId: 'p-erika', role: 'main_tenant' },
    { contractId: 'c-1', personId: 'p-ada', role: 'co_tenant' },
    { contractId: 'c-1', personId: 'p-org', role: 'co_tenant', access: 'read' },
    { contractId: 'c-1', personId: 'p-sam', role: 'guarantor' },
    { contractId: 'c-2', personId: 'p-erika', role: 'main_tenant' },
    { contractId: 'c-old', personId: 'p-erika', role: 'main_tenant' },
  ]);
  await insertRentComponents(db, [
    {
      id: 'r-1',
      contractId: 'c-1',
      kind: 'net_rent',
      amount: 80_000,
      validFrom: '2020-01-01',
      validTo: '2023-12-31',
    },
    { id: 'r-2', contractId: 'c-1', kind: 'net_rent', amount: 85_000, validFrom: '2024-01-01' },
    { id: 'r-3', contractId: 'c-1', kind: 'service_charge_advance', amount: 20_000, validFrom: '2020-01-01' },
    { id: 'r-4', contractId: 'c-2', kind: 'net_rent', amount: 900_000, validFrom: '2022-05-01' },
  ]);
  const invoice = (id: string, contractId: string, month: string, amount: number, currency = 'EUR') => ({
    id,
    contractId,
    number: `R-${id}`,
    periodStart: `2026-${month}-01`,
    periodEnd: `2026-${month}-28`,
    issuedOn: `2026-${month}-01`,
    dueOn: `2026-${month}-03`,
    amount,
    currency,
    paymentReference: `REF ${id}`,
  });
  await insertInvoices(db, [
    { ...invoice('i-1', 'c-1', '10', 105_000), paidAmount: 5_000 },
    invoice('i-2', 'c-1', '11', 105_000),
    { ...invoice('i-3', 'c-1', '09', 105_000), paidAt: at(0), paidAmount: 105_000 },
    { ...invoice('i-4', 'c-2', '11', 900_000, 'SEK'), dueOn: '2026-11-30' },
  ]);
  await insertLedgerEntries(db, [
    {
      id: 'l-1',
      contractId: 'c-1',
      bookedOn: '2026-10-01',
      kind: 'charge',
      description: 'Miete',
      amount: 105_000,
      invoiceId: 'i-1',
      createdAt: at(1),
    },
    {
      id: 'l-2',
      contractId: 'c-1',
      bookedOn: '2026-10-05',
      kind: 'payment',
      description: 'Zahlung',
      amount: -5_000,
      invoiceId: 'i-1',
      createdAt: at(2),
    },
    {
      id: 'l-3',
      contractId: 'c-1',
      bookedOn: '2026-11-01',
      kind: 'charge',
      description: 'Miete',
      amount: 105_000,
      invoiceId: 'i-2',
      createdAt: at(3),
    },
    {
      id: 'l-4',
      contractId: 'c-2',
      bookedOn: '2026-11-01',
      kind: 'charge',
      description: 'Hyra',
      amount: 900_000,
      invoiceId: 'i-4',
      createdAt: at(4),
    },
  ]);
  await insertOwnerships(db, [
    { id: 'o-1', unitId: 'un-1', personId: 'p-org', sharePerMille: 120 },
    { id: 'o-2', unitId: 'un-3', personId: 'p-org', until: '2020-01-01' },
  ]);
  await insertOwnerAccountEntries(db, [
    {
      id: 'oa-1',
      ownershipId: 'o-1',
      bookedOn: '2026-01-01',
      kind: 'charge',
      description: 'Hausgeld',
      amount: 30_000,
      createdAt: at(1),
    },
    {
      id: 'oa-2',
      ownershipId: 'o-1',
      bookedOn: '2026-01-05',
      kind: 'payment',
      description: 'Zahlung',
      amount: -30_000,
      createdAt: at(2),
    },
    {
      id: 'oa-3',
      ownershipId: 'o-1',
      bookedOn: '2026-02-01',
      kind: 'charge',
      description: 'Hausgeld',
      amount: 31_000,
      createdAt: at(3),
    },
  ]);
  await insertHausgeldAdvances(db, [
    { id: 'h-1', ownershipId: 'o-1', amount: 30_000, validFrom: '2025-01-01', validTo: '2025-12-31' },
    { id: 'h-2', ownershipId: 'o-1', amount: 31_000, validFrom: '2026-01-01' },
  ]);
  await insertTeams(db, [{ id: 't-1', name: 'Hausverwaltung Berlin' }]);
  await insertTeamMembers(db, [{ teamId: 't-1', userId: 'u-sam' }]);
  await insertTeamScopes(db, [
    { id: 'ts-1', teamId: 't-1', kind: 'building', buildingId: 'b-1' },
    { id: 'ts-2', teamId: 't-1', kind: 'estate', estateId: 'e-2' },
  ]);
  await db.insert(t.ticketTypes).values([
    {
      id: 'damage_report',
      form: {},
      slaFirstResponseHours: 24,
      slaResolutionHours: 120,
      active: true,
      sort: 1,
    },
    {
      id: 'general',
      form: {},
      slaFirstResponseHours: 48,
      slaResolutionHours: 240,
      routingTeamId: 't-1',
      sort: 0,
    },
  ]);
  await insertIncidents(db, [
    {
      id: 'inc-1',
      title: 'Heizung',
      body: 'Ausfall',
      kind: 'emergency',
      scope: 'building',
      buildingId: 'b-1',
      component: 'heating',
      createdAt: at(5),
    },
    {
      id: 'inc-2',
      title: 'Wasser',
      body: 'Arbeiten',
      kind: 'planned',
      status: 'resolved',
      scope: 'estate',
      estateId: 'e-1',
      createdAt: at(6),
      resolvedAt: at(7),
    },
    {
      id: 'inc-3',
      title: 'Aufzug',
      body: 'Störung',
      kind: 'emergency',
      scope: 'building',
      buildingId: 'b-3',
      createdAt: at(8),
    },
  ]);
  const ticket = (id: string, number: string, createdByUserId: string, lastActivityAt: Date) => ({
    id,
    number,
    typeId: 'damage_report',
    fields: {},
    subject: `Betreff ${number}`,
    description: 'Beschreibung',
    createdByUserId,
    clientId: `client-${id}`,
    lastActivityAt,
  });
  await db.insert(t.tickets).values([
    { ...ticket('tk-1', 'T-1', 'u-erika', at(10)), contractId: 'c-1', buildingId: 'b-1', teamId: 't-1' },
    {
      ...ticket('tk-2', 'T-2', 'u-erika', at(20)),
      contractId: 'c-2',
      buildingId: 'b-3',
      status: 'closed' as const,
    },
    {
      ...ticket('tk-3', 'T-3', 'u-sam', at(15)),
      buildingId: 'b-2',
      status: 'in_progress' as const,
      incidentId: 'inc-1',
    },
  ]);
}

describe.skipIf(gate.skip)(`record repositories on both stores${gate.label}`, () => {
  const stores = bothStores(seed);

  describe.each(stores)('%s', (name, store) => {
    it('contracts: reads by number, person, ids and date, parties by name, and writes shares and the signed file', async () => {
      const db = store();
      expect((await findContractByNumber(db, 'V-2'))?.id).toBe('c-2');
      expect(await findContractByNumber(db, 'V-404')).toBeUndefined();
      expect((await listContractsForPerson(db, 'p-erika')).map((row) => row.contract.id)).toEqual([
        'c-old',
        'c-1',
        'c-2',
      ]);
      expect((await listPartiesOfContract(db, 'c-1')).map((row) => row.personId).sort()).toEqual([
        'p-ada',
        'p-erika',
        'p-org',
        'p-sam',
      ]);
      expect(
        (await listUnitsOfContract(db, 'c-1')).map((row) => [row.unit.id, row.building.currency]),
      ).toEqual([
        ['un-1', 'EUR'],
        ['un-2', 'EUR'],
      ]);
      expect(ids(await listRentComponentsValidOn(db, 'c-1', '2026-12-06'))).toEqual(['r-2', 'r-3']);
      expect(ids(await listRentComponentsValidOn(db, 'c-1', '2023-12-31'))).toEqual(['r-1', 'r-3']);
      expect(ids(await listRentHistory(db, 'c-1'))).toEqual(['r-1', 'r-2', 'r-3']);
      expect((await findContractById(db, 'c-1'))?.number).toBe('V-1');
      expect(await findContractById(db, 'c-404')).toBeUndefined();

      // The id lists travel as one JSON parameter: unknown ids match nothing, order is the query's.
      expect(ids(await listContractsByIds(db, ['c-2', 'c-404', 'c-1']))).toEqual(['c-1', 'c-2']);
      expect(await listContractsByIds(db, [])).toEqual([]);
      expect(
        (await listUnitsOfContracts(db, ['c-1', 'c-2'])).map((row) => [row.contractId, row.unit.id]),
      ).toEqual([
        ['c-1', 'un-1'],
        ['c-1', 'un-2'],
        ['c-2', 'un-3'],
      ]);
      expect(
        ids(await listRentComponentsOfContractsValidOn(db, ['c-1', 'c-2'], '2026-12-06')).sort(),
      ).toEqual(['r-2', 'r-3', 'r-4']);

      // An organisation (no last name) sorts before named parties of its role on both stores.
      expect(
        (await listPartyNamesOfContract(db, 'c-1')).map((row) => [row.role, row.personId, row.lastName]),
      ).toEqual([
        ['co_tenant', 'p-org', null],
        ['co_tenant', 'p-ada', 'Admin'],
        ['guarantor', 'p-sam', 'Staff'],
        ['main_tenant', 'p-erika', 'Mustermann'],
      ]);
      expect((await listTicketsLinkedToContract(db, 'c-1')).map((row) => row.number)).toEqual(['T-1']);
      expect(await listTicketsLinkedToContract(db, 'c-1', 0)).toEqual([]);

      await setCooperativeShares(db, 'c-2', { cooperativeShares: 3, cooperativeShareValue: 50_000 });
      await setSignedContractFile(db, 'c-2', 'file-signed', at(30));
      expect(await findContractById(db, 'c-2')).toMatchObject({
        cooperativeShares: 3,
        cooperativeShareValue: 50_000,
        signedFileId: 'file-signed',
        updatedAt: at(30),
      });
    });

    it('ledger and invoices: balances and open sums are numbers, running balances add up', async () => {
      const db = store();
      expect(await rentAccountBalance(db, 'c-1')).toBe(205_000);
      expect(await rentAccountBalance(db, 'c-404')).toBe(0);
      expect([...(await rentAccountBalancesOf(db, ['c-1', 'c-2', 'c-old']))].sort()).toEqual([
        ['c-1', 205_000],
        ['c-2', 900_000],
      ]);
      expect(ids(await listLedgerEntries(db, 'c-1'))).toEqual(['l-1', 'l-2', 'l-3']);
      expect(
        (await listLedgerWithRunningBalance(db, 'c-1')).map((row) => [row.id, row.balanceAfter]),
      ).toEqual([
        ['l-3', 205_000],
        ['l-2', 100_000],
        ['l-1', 105_000],
      ]);
      expect(await sumRentAccountBalances(db, ['c-1', 'c-2', 'c-old'])).toEqual([
        { currency: 'EUR', amount: 205_000 },
        { currency: 'SEK', amount: 900_000 },
      ]);

      expect(ids(await listInvoicesForContract(db, 'c-1'))).toEqual(['i-2', 'i-1', 'i-3']);
      expect(ids(await listInvoicesForContract(db, 'c-1', { unpaidOnly: true }))).toEqual(['i-2', 'i-1']);
      expect((await findInvoice(db, 'i-3'))?.paidAt).toEqual(at(0));
      expect(
        (await listInvoicesOfContracts(db, ['c-1', 'c-2'])).map((row) => [
          row.invoice.id,
          row.contractNumber,
        ]),
      ).toEqual([
        ['i-4', 'V-2'],
        ['i-2', 'V-1'],
        ['i-1', 'V-1'],
        ['i-3', 'V-1'],
      ]);
      expect(
        (await listInvoicesOfContracts(db, ['c-1'], { unpaidOnly: true })).map((row) => row.invoice.id),
      ).toEqual(['i-2', 'i-1']);
      const withContract = await findInvoiceWithContract(db, 'i-4');
      expect([withContract?.invoice.amount, withContract?.contract.number]).toEqual([900_000, 'V-2']);
      expect(await summariseUnpaidInvoices(db, ['c-1', 'c-2'])).toEqual([
        { currency: 'EUR', count: 2, total: 205_000 },
        { currency: 'SEK', count: 1, total: 900_000 },
      ]);
      expect(await listLedgerEntriesOfInvoices(db, ['c-1'], ['i-1', 'i-4'])).toEqual([
        { invoiceId: 'i-1', bookedOn: '2026-10-01', kind: 'charge', amount: 105_000 },
        { invoiceId: 'i-1', bookedOn: '2026-10-05', kind: 'payment', amount: -5_000 },
      ]);
    });

    it('tenant record: contracts, arrears, household and tickets under each staff scope', async () => {
      const db = store();
      expect(
        (await listContractUnitsOfPerson(db, 'p-erika')).map((row) => [row.contractId, row.unitId]),
      ).toEqual([
        ['c-2', 'un-3'],
        ['c-1', 'un-1'],
        ['c-1', 'un-2'],
        ['c-old', 'un-2'],
      ]);
      expect([...(await summariseOverdueInvoicesOf(db, ['c-1', 'c-2'], '2026-11-10'))]).toEqual([
        ['c-1', { count: 2, amount: 205_000 }],
      ]);
      expect(
        (await listHouseholdOfContracts(db, ['c-1'])).map((row) => [row.role, row.personId, row.userId]),
      ).toEqual([
        ['co_tenant', 'p-org', null],
        ['co_tenant', 'p-ada', 'u-ada'],
        ['main_tenant', 'p-erika', 'u-erika'],
      ]);

      const erika = { userId: 'u-erika', contractIds: ['c-1', 'c-2'] };
      const everything = { buildingIds: null, estateIds: null };
      expect(ids(await listTicketsOfPersonForStaff(db, erika, everything, 10))).toEqual(['tk-2', 'tk-1']);
      expect(
        ids(await listTicketsOfPersonForStaff(db, erika, { buildingIds: [], estateIds: ['e-2'] }, 10)),
      ).toEqual(['tk-2']);
      expect(await listTicketsOfPersonForStaff(db, erika, { buildingIds: [], estateIds: [] }, 10)).toEqual(
        [],
      );
      expect(
        await listTicketsOfPersonForStaff(db, { userId: null, contractIds: [] }, everything, 10),
      ).toEqual([]);
      expect(
        ids(await listTicketsOfPersonForStaff(db, { userId: null, contractIds: ['c-1'] }, everything, 10)),
      ).toEqual(['tk-1']);
      expect(await countOpenTicketsOfPersonForStaff(db, erika, everything)).toBe(1);
      expect(await countOpenTicketsOfPersonForStaff(db, erika, { buildingIds: ['b-3'], estateIds: [] })).toBe(
        0,
      );
    });

    it('persons and owners: directory search ignores case, owner accounts sum as numbers', async () => {
      const db = store();
      expect((await findPerson(db, 'p-org'))?.organisationName).toBe('Öresund Design AB');
      expect(await findPerson(db, 'p-404')).toBeUndefined();
      const inserted = await insertPerson(db, {
        id: 'p-new',
        kind: 'natural',
        firstName: 'Nils',
        lastName: 'Neu',
      });
      expect(inserted.createdAt).toBeInstanceOf(Date);
      await setPersonMobile(db, 'p-new', '+49 170 0000000');
      await updatePersonContact(db, 'p-new', { email: 'nils@example.test' }, at(31));
      expect(await findPerson(db, 'p-new')).toMatchObject({
        mobile: '+49 170 0000000',
        email: 'nils@example.test',
        updatedAt: at(31),
      });

      const today = '2026-06-01';
      const everything = { buildingIds: null, estateIds: null };
      const directory = await listTenantDirectoryRows(db, everything, today);
      expect(directory.map((row) => [row.unitNumber, row.person.id])).toEqual([
        ['0.01', 'p-org'],
        ['0.01', 'p-ada'],
        ['0.01', 'p-erika'],
        ['1.01', 'p-org'],
        ['1.01', 'p-ada'],
        ['1.01', 'p-erika'],
        ['1201', 'p-erika'],
      ]);
      expect(directory.find((row) => row.person.id === 'p-erika')?.userId).toBe('u-erika');
      const search = async (q: string) => [
        ...new Set(
          (await listTenantDirectoryRows(db, { ...everything, q }, today)).map((row) => row.person.id),
        ),
      ];
      expect(await search('erika MUSTERMANN')).toEqual(['p-erika']);
      expect(await search('Design')).toEqual(['p-org']);
      expect(await search('v-2')).toEqual(['p-erika']);
      expect(await search('Ahorn%')).toEqual([]);
      expect(
        (await listTenantDirectoryRows(db, { ...everything, personIds: ['p-ada', 'p-404'] }, today)).map(
          (row) => row.unitNumber,
        ),
      ).toEqual(['0.01', '1.01']);
      expect(
        (await listTenantDirectoryRows(db, { ...everything, contractIds: ['c-2'], limit: 1 }, today)).length,
      ).toBe(1);
      expect(await listTenantDirectoryRows(db, { buildingIds: [], estateIds: [] }, today)).toEqual([]);
      expect(
        (await listTenantDirectoryRows(db, { buildingIds: [], estateIds: ['e-2'], buildingId: 'b-3' }, today))
          .length,
      ).toBe(1);
      expect(ids(await listBuildingsInScope(db, everything))).toEqual(['b-1', 'b-2', 'b-3']);
      expect(ids(await listBuildingsInScope(db, { buildingIds: ['b-2'], estateIds: ['e-2'] }))).toEqual([
        'b-2',
        'b-3',
      ]);
      expect(await listBuildingsInScope(db, { buildingIds: [], estateIds: [] })).toEqual([]);
      expect((await listOwnedUnitsWithBuildings(db, 'p-org')).map((row) => [row.unit.id, row.until])).toEqual(
        [
          ['un-1', null],
          ['un-3', '2020-01-01'],
        ],
      );

      expect((await listOwnershipsWithUnits(db, ['o-2', 'o-1'])).map((row) => row.ownership.id)).toEqual([
        'o-1',
        'o-2',
      ]);
      expect([...(await sumOwnerAccountBalances(db, ['o-1', 'o-2']))]).toEqual([['o-1', 31_000]]);
      expect([...(await findCurrentHausgeldAdvances(db, ['o-1'], '2026-06-01'))]).toEqual([['o-1', 31_000]]);
      expect([...(await findCurrentHausgeldAdvances(db, ['o-1'], '2025-06-01'))]).toEqual([['o-1', 30_000]]);
      expect(
        (await listOwnerAccountWithRunningBalance(db, 'o-1')).map((row) => [row.id, row.balanceAfter]),
      ).toEqual([
        ['oa-3', 31_000],
        ['oa-2', 0],
        ['oa-1', 30_000],
      ]);
      expect([...(await ownerPersonsOfOwnerships(db, ['o-1']))]).toEqual([['o-1', 'p-org']]);
      expect((await listCurrentOwnershipOptions(db, today)).map((row) => row.ownershipId)).toEqual(['o-1']);
    });

    it('access: a person’s contract placements and owned units', async () => {
      const db = store();
      expect(
        (await listContractPlacementsOfPerson(db, 'p-erika'))
          .map((row) => `${row.contractId}/${row.unitId}/${row.estateId}`)
          .sort(),
      ).toEqual(['c-1/un-1/e-1', 'c-1/un-2/e-1', 'c-2/un-3/e-2', 'c-old/un-2/e-1']);
      expect((await listOwnedUnitsOfPerson(db, 'p-org')).map((row) => row.ownershipId).sort()).toEqual([
        'o-1',
        'o-2',
      ]);
      expect(await listOwnedUnitsOfPerson(db, 'p-erika')).toEqual([]);
    });

    it('notices: the board by place, reads, staff scope, and the announcement once', async () => {
      const db = store();
      const notice = (id: string, minutes: number) => ({
        id,
        category: 'general' as const,
        title: `Aushang ${id}`,
        body: 'Text',
        publishAt: at(minutes),
      });
      await insertNotices(db, [
        { ...notice('n-1', 0), scope: 'building', buildingId: 'b-1' },
        { ...notice('n-2', 1), scope: 'estate', estateId: 'e-1', pinned: true },
        { ...notice('n-3', 2), scope: 'units' },
        { ...notice('n-4', 50), scope: 'building', buildingId: 'b-1' },
        { ...notice('n-5', 3), scope: 'building', buildingId: 'b-2', deletedAt: at(4) },
        { ...notice('n-6', 4), scope: 'building', buildingId: 'b-1', validTo: at(5) },
      ]);
      await insertNoticeUnits(db, 'n-3', ['un-3']);
      const places = { buildingIds: ['b-1'], estateIds: ['e-1'], unitIds: ['un-3'] };
      expect(ids(await listCurrentNoticesForPlaces(db, places, at(30)))).toEqual(['n-2', 'n-3', 'n-1']);
      expect(ids(await listCurrentNoticesForPlaces(db, places, at(30), 1))).toEqual(['n-2']);
      expect(
        await listCurrentNoticesForPlaces(db, { buildingIds: [], estateIds: [], unitIds: [] }, at(30)),
      ).toEqual([]);

      await markNoticeRead(db, 'n-1', 'u-erika', at(31));
      await markNoticeRead(db, 'n-1', 'u-erika', at(32));
      await markNoticeRead(db, 'n-1', 'u-ada', at(32));
      expect([...(await listReadNoticeIds(db, 'u-erika', ['n-1', 'n-2']))]).toEqual(['n-1']);
      expect([...(await countNoticeReads(db, ['n-1', 'n-2']))]).toEqual([['n-1', 2]]);
      expect([...(await listUnitIdsOfNotices(db, ['n-3', 'n-1']))]).toEqual([['n-3', ['un-3']]]);

      expect(ids(await listNoticesForStaff(db, { buildingIds: ['b-2'], estateIds: [] }))).toEqual([]);
      expect(ids(await listNoticesForStaff(db, { buildingIds: [], estateIds: ['e-1'] }))).toEqual([
        'n-4',
        'n-6',
        'n-2',
        'n-1',
      ]);
      expect(ids(await listNoticesForStaff(db, { buildingIds: null, estateIds: null }))).toEqual([
        'n-4',
        'n-6',
        'n-3',
        'n-2',
        'n-1',
      ]);
      expect(await listNoticesForStaff(db, { buildingIds: [], estateIds: [] })).toEqual([]);

      expect(ids(await listDueUnannouncedNotices(db, at(30)))).toEqual(['n-1', 'n-2', 'n-3', 'n-6']);
      expect(await markNoticeAnnounced(db, 'n-1', at(33))).toBe(true);
      expect(await markNoticeAnnounced(db, 'n-1', at(34))).toBe(false);
      expect((await findNotice(db, 'n-1'))?.announcedAt).toEqual(at(33));

      const created = await insertNotice(db, { ...notice('n-7', 35), scope: 'building', buildingId: 'b-2' });
      expect(created).toMatchObject({ id: 'n-7', pinned: false, publishAt: at(35) });
      expect(await updateNotice(db, 'n-7', { pinned: true, title: 'Neu' })).toMatchObject({
        pinned: true,
        title: 'Neu',
      });

      expect(await listPlacesOfUnits(db, ['un-3'])).toEqual([
        { unitId: 'un-3', buildingId: 'b-3', estateId: 'e-2' },
      ]);
      const staffPlaces = await listStaffPlaces(db, { buildingIds: ['b-3'], estateIds: ['e-1'] });
      expect([ids(staffPlaces.estates), ids(staffPlaces.buildings)]).toEqual([
        ['e-1'],
        ['b-1', 'b-2', 'b-3'],
      ]);
      const onlyBuilding = await listStaffPlaces(db, { buildingIds: ['b-3'], estateIds: [] });
      expect([ids(onlyBuilding.estates), ids(onlyBuilding.buildings)]).toEqual([[], ['b-3']]);
      expect(ids((await listStaffPlaces(db, { buildingIds: null, estateIds: null })).estates)).toEqual([
        'e-2',
        'e-1',
      ]);
      expect(await findBuildingPlace(db, 'b-3')).toEqual({ id: 'b-3', estateId: 'e-2' });
      expect(await findEstate(db, 'e-404')).toBeUndefined();
    });

    it('incidents: by place and component, followers once, staff scope and linked tickets', async () => {
      const db = store();
      expect(ids(await listOpenIncidentsOfBuilding(db, 'b-1'))).toEqual(['inc-1']);
      const berlin = { buildingIds: ['b-1'], estateIds: ['e-1'] };
      expect(ids(await listIncidentsForPlaces(db, berlin, at(0)))).toEqual(['inc-2', 'inc-1']);
      expect(ids(await listIncidentsForPlaces(db, berlin, at(8)))).toEqual(['inc-1']);
      expect(await listIncidentsForPlaces(db, { buildingIds: [], estateIds: [] }, at(0))).toEqual([]);
      const both = { buildingIds: ['b-1', 'b-3'], estateIds: [] };
      expect(ids(await listOpenIncidentsMatching(db, both, 'heating'))).toEqual(['inc-3', 'inc-1']);
      expect(ids(await listOpenIncidentsMatching(db, both, 'lift'))).toEqual(['inc-3']);
      expect(ids(await listOpenIncidentsMatching(db, both))).toEqual(['inc-3', 'inc-1']);

      await insertIncidentUpdates(db, [
        { id: 'iu-2', incidentId: 'inc-1', body: 'Techniker da', createdAt: at(12) },
        { id: 'iu-1', incidentId: 'inc-1', body: 'Gemeldet', createdAt: at(11) },
      ]);
      expect(ids(await listUpdatesOfIncidents(db, ['inc-1', 'inc-2']))).toEqual(['iu-1', 'iu-2']);
      await insertIncidentFollowers(db, [{ incidentId: 'inc-1', userId: 'u-erika' }]);
      await insertIncidentFollowers(db, [
        { incidentId: 'inc-1', userId: 'u-erika' },
        { incidentId: 'inc-3', userId: 'u-erika' },
      ]);
      expect([...(await listFollowedIncidentIds(db, 'u-erika', ['inc-1', 'inc-2', 'inc-3']))].sort()).toEqual(
        ['inc-1', 'inc-3'],
      );
      await deleteIncidentFollower(db, 'inc-3', 'u-erika');
      expect([...(await listFollowedIncidentIds(db, 'u-erika', ['inc-3']))]).toEqual([]);

      const created = await insertIncident(db, {
        id: 'inc-4',
        title: 'Strom',
        body: 'Wartung',
        kind: 'planned',
        scope: 'building',
        buildingId: 'b-2',
        createdAt: at(9),
      });
      expect(created.status).toBe('open');
      expect(await updateIncident(db, 'inc-4', { status: 'resolved', resolvedAt: at(13) })).toMatchObject({
        status: 'resolved',
        resolvedAt: at(13),
      });
      expect((await findIncident(db, 'inc-4'))?.resolvedAt).toEqual(at(13));
      expect(ids(await listIncidentsForStaff(db, { buildingIds: [], estateIds: ['e-1'] }))).toEqual([
        'inc-4',
        'inc-2',
        'inc-1',
      ]);
      expect(ids(await listIncidentsForStaff(db, { buildingIds: null, estateIds: null }, 2))).toEqual([
        'inc-4',
        'inc-3',
      ]);
      expect(await listIncidentsForStaff(db, { buildingIds: [], estateIds: [] })).toEqual([]);
      expect((await listTicketsOfIncidents(db, ['inc-1'])).map((row) => row.number)).toEqual(['T-3']);
      expect((await findTicketIdsByNumbers(db, ['T-2', 'T-404'])).map((row) => row.id)).toEqual(['tk-2']);
    });

    it('staff: scopes, contacts, estates expanded to buildings, names sorted alike, canned replies', async () => {
      const db = store();
      expect(ids(await listTeamScopesOfUser(db, 'u-sam')).sort()).toEqual(['ts-1', 'ts-2']);
      expect(await listTeamScopesOfUser(db, 'u-erika')).toEqual([]);
      await insertBuildingContacts(db, [
        { id: 'bc-2', buildingId: 'b-1', role: 'caretaker', name: 'Hausmeister', sort: 2 },
        { id: 'bc-1', buildingId: 'b-1', role: 'account_manager', name: 'Verwalterin', sort: 1 },
        { id: 'bc-3', buildingId: 'b-3', role: 'technician', name: 'Tekniker', sort: 0 },
      ]);
      expect(ids(await listBuildingContacts(db, 'b-1'))).toEqual(['bc-1', 'bc-2']);
      expect(
        (await listBuildingContactsOfBuildings(db, ['b-3', 'b-1'])).map((row) => row.contact.id),
      ).toEqual(['bc-1', 'bc-2', 'bc-3']);
      expect((await listBuildingIdsOfEstates(db, ['e-1', 'e-404'])).sort()).toEqual(['b-1', 'b-2']);
      expect(await listBuildingIdsOfEstates(db, [])).toEqual([]);
      expect(await listTeamIdsOfUser(db, 'u-sam')).toEqual(['t-1']);
      expect((await findTeam(db, 't-1'))?.name).toBe('Hausverwaltung Berlin');
      // An account whose person has no name (an organisation) sorts first on both stores.
      expect(ids(await listStaffAccounts(db))).toEqual(['u-desk', 'u-ada', 'u-sam']);

      await insertCannedReplies(db, [
        { id: 'cr-1', teamId: null, title: 'Danke', body: 'Vielen Dank.' },
        { id: 'cr-2', teamId: 't-1', title: 'Auftrag', body: 'Wir beauftragen.' },
      ]);
      expect(ids(await listCannedReplies(db, null))).toEqual(['cr-2', 'cr-1']);
      expect(ids(await listCannedReplies(db, []))).toEqual(['cr-1']);
      expect(ids(await listCannedReplies(db, ['t-1']))).toEqual(['cr-2', 'cr-1']);
      const reply = await insertCannedReply(db, { id: 'cr-3', title: 'Termin', body: 'Bitte Termin.' });
      expect(reply.createdAt).toBeInstanceOf(Date);
      expect(await updateCannedReply(db, 'cr-3', { body: 'Neuer Text', updatedAt: at(36) })).toMatchObject({
        body: 'Neuer Text',
        updatedAt: at(36),
      });
      expect(await updateCannedReply(db, 'cr-404', { body: 'x' })).toBeUndefined();
      await deleteCannedReply(db, 'cr-3');
      expect(await findCannedReply(db, 'cr-3')).toBeUndefined();
      expect((await listScopesOfAllMembers(db)).map((row) => `${row.userId}/${row.id}`).sort()).toEqual([
        'u-sam/ts-1',
        'u-sam/ts-2',
      ]);
    });

    it('admin: ticket types, teams with members and scopes, dependents counted as numbers', async () => {
      const db = store();
      expect(ids(await listAllTicketTypes(db))).toEqual(['general', 'damage_report']);
      expect(await updateTicketType(db, 'general', { active: true, slaResolutionHours: 200 })).toMatchObject({
        active: true,
        slaResolutionHours: 200,
      });
      const team = await insertTeam(db, { id: 't-2', name: 'Technik' });
      expect(team.name).toBe('Technik');
      expect((await renameTeam(db, 't-2', 'Haustechnik'))?.name).toBe('Haustechnik');
      expect(ids(await listTeams(db))).toEqual(['t-2', 't-1']);
      await replaceTeamMembers(db, 't-2', ['u-ada', 'u-sam']);
      expect((await listMemberIdsOfTeam(db, 't-2')).sort()).toEqual(['u-ada', 'u-sam']);
      await replaceTeamsOfUser(db, 'u-ada', ['t-1']);
      expect((await listAllTeamMembers(db)).map((row) => `${row.teamId}/${row.userId}`).sort()).toEqual([
        't-1/u-ada',
        't-1/u-sam',
        't-2/u-sam',
      ]);
      await replaceTeamScopes(db, 't-2', [{ id: 'ts-3', kind: 'all' }]);
      expect(ids(await listAllTeamScopes(db)).sort()).toEqual(['ts-1', 'ts-2', 'ts-3']);
      expect(await countTeamDependents(db, 't-1')).toEqual({ routedTypes: 1, tickets: 1, members: 2 });
      expect(await countTeamDependents(db, 't-2')).toEqual({ routedTypes: 0, tickets: 0, members: 1 });
      await deleteTeam(db, 't-2');
      expect(ids(await listTeams(db))).toEqual(['t-1']);
      expect(ids(await listAllTeamScopes(db)).sort()).toEqual(['ts-1', 'ts-2']);
      await replaceTeamsOfUser(db, 'u-ada', []);

      expect(ids(await listEstatesForAdmin(db)).sort()).toEqual(['e-1', 'e-2']);
      expect(ids(await listBuildingsForAdmin(db))).toEqual(['b-1', 'b-2', 'b-3']);
      expect((await listStaffAccountsForAdmin(db)).map((row) => row.user.id)).toEqual([
        'u-desk',
        'u-ada',
        'u-sam',
      ]);
      await updateUserRole(db, 'u-desk', 'admin');
      expect(await findUsersByIds(db, ['u-desk', 'u-404'])).toEqual([{ id: 'u-desk', role: 'admin' }]);
      await updateUserRole(db, 'u-desk', 'staff');
    });

    it('auth tokens: single use, newest only, and the pending e-mail change by time', async () => {
      const db = store();
      const token = (
        id: string,
        purpose: 'verify_email' | 'change_email',
        createdAt: Date,
        expiresAt: Date,
      ) => ({
        id,
        userId: 'u-erika',
        purpose,
        secretHash: Buffer.from(`hash-${id}`),
        email: purpose === 'change_email' ? `${id}@example.test` : null,
        createdAt,
        expiresAt,
      });
      await insertAuthToken(db, token('at-1', 'verify_email', at(0), at(30)));
      await insertAuthToken(db, token('at-2', 'change_email', at(1), at(40)));
      await insertAuthToken(db, token('at-3', 'change_email', at(2), at(20)));
      expect((await findAuthToken(db, 'at-1', 'verify_email'))?.secretHash).toEqual(Buffer.from('hash-at-1'));
      expect(await findAuthToken(db, 'at-1', 'change_email')).toBeUndefined();
      expect(await hasLiveAuthToken(db, 'u-erika', 'verify_email', at(10))).toBe(true);
      expect(await hasLiveAuthToken(db, 'u-erika', 'verify_email', at(30))).toBe(false);

      // The newest unexpired change wins; past its expiry the older one is still pending.
      expect(await findPendingEmailChangeDetails(db, 'u-erika', at(10))).toEqual({
        email: 'at-3@example.test',
        createdAt: at(2),
        expiresAt: at(20),
      });
      expect(await findPendingEmailChange(db, 'u-erika', at(25))).toBe('at-2@example.test');
      expect(await findPendingEmailChange(db, 'u-erika', at(45))).toBeNull();

      expect(await consumeAuthToken(db, 'at-1', at(11))).toBe(true);
      expect(await consumeAuthToken(db, 'at-1', at(12))).toBe(false);
      expect(await hasLiveAuthToken(db, 'u-erika', 'verify_email', at(12))).toBe(false);
      expect(await deleteUnusedAuthTokens(db, 'u-erika', 'change_email')).toBe(2);
      expect(await deleteAuthTokensExpiredBefore(db, at(31))).toBe(1);
      expect(await findAuthToken(db, 'at-1', 'verify_email')).toBeUndefined();
    });

    it('number sign-ups: numbers matched without spaces and dashes, codes counted, used once', async () => {
      const db = store();
      const today = '2026-06-01';
      expect((await listSignupCandidates(db, 'organisation', '5566778899', today)).map((p) => p.id)).toEqual([
        'p-org',
      ]);
      expect((await listSignupCandidates(db, 'customer', 'K100', today)).map((p) => p.id)).toEqual([
        'p-erika',
      ]);
      expect(await listSignupCandidates(db, 'organisation', 'K100', today)).toEqual([]);
      expect(await listSignupCandidates(db, 'customer', 'K100', '2000-01-01')).toEqual([]);

      await insertNumberSignup(db, {
        id: 'ns-1',
        secretHash: Buffer.from('ns-secret'),
        personId: 'p-erika',
        loginEmail: 'erika.neu@example.test',
        passwordHash: 'hash',
        language: 'de',
        expiresAt: at(30),
      });
      await setNumberSignupCode(db, 'ns-1', { channel: 'sms', codeHash: 'code', codeExpiresAt: at(10) });
      await setNumberSignupCode(db, 'ns-1', { channel: 'email', codeHash: 'code2', codeExpiresAt: at(11) });
      await countWrongSignupCode(db, 'ns-1');
      expect(await findNumberSignup(db, 'ns-1')).toMatchObject({
        channel: 'email',
        codesSent: 2,
        wrongCodes: 1,
        codeExpiresAt: at(11),
        electronicDelivery: false,
      });
      await endOpenNumberSignupsOf(db, 'p-erika', at(20));
      expect((await findNumberSignup(db, 'ns-1'))?.expiresAt).toEqual(at(20));
      expect(await completeNumberSignup(db, 'ns-1', at(21))).toBe(true);
      expect(await completeNumberSignup(db, 'ns-1', at(22))).toBe(false);
      expect(await deleteNumberSignupsExpiredBefore(db, at(20))).toBe(0);
      expect(await deleteNumberSignupsExpiredBefore(db, at(21))).toBe(1);
      expect(await findNumberSignup(db, 'ns-1')).toBeUndefined();
    });

    it('on call: shifts, active members, one alert per ticket, SLA targets', async () => {
      const db = store();
      const shift = (id: string, sort: number) => ({
        id,
        teamId: 't-1',
        userId: 'u-sam',
        kind: 'weekly' as const,
        weekday: 1,
        startTime: '18:00',
        endTime: '23:59',
        sort,
      });
      await insertOnCallShifts(db, [shift('sh-1', 1)]);
      await replaceShiftsOfTeam(db, 't-1', [shift('sh-3', 2), shift('sh-2', 0)]);
      expect(ids(await listShiftsOfTeam(db, 't-1'))).toEqual(['sh-2', 'sh-3']);
      expect(await listActiveMemberIdsOfTeam(db, 't-1')).toEqual(['u-sam']);

      const alert = { ticketId: 'tk-1', teamId: 't-1', audience: 'team' as const, recipientCount: 1 };
      expect(await claimEmergencyAlert(db, alert)).toBe(true);
      expect(await claimEmergencyAlert(db, { ...alert, recipientCount: 2 })).toBe(false);
      expect((await findEmergencyAlertOfTicket(db, 'tk-1'))?.recipientCount).toBe(1);

      const sla = (priority: 'normal' | 'urgent', hours: number) => ({
        typeId: 'damage_report',
        priority,
        firstResponseHours: hours,
        resolutionHours: hours * 4,
        clock: 'always' as const,
      });
      await insertTicketTypeSlas(db, [sla('normal', 24), sla('urgent', 2)]);
      expect((await findTicketTypeSla(db, 'damage_report', 'urgent'))?.firstResponseHours).toBe(2);
      await replaceTicketTypeSlas(db, ['damage_report'], [sla('urgent', 1)]);
      expect((await listTicketTypeSlas(db)).map((row) => [row.priority, row.firstResponseHours])).toEqual([
        ['urgent', 1],
      ]);
    });

    it('files: one row per content, attachments with and without thumbnail, claimed once', async () => {
      const db = store();
      const file = await insertFile(db, { id: 'f-1', sha256: 'sha-1', mime: 'image/jpeg', size: 2048 });
      expect(file.size).toBe(2048);
      await insertFile(db, { id: 'f-thumb', sha256: 'sha-thumb', mime: 'image/webp', size: 128 });
      const again = await findOrInsertFile(db, {
        id: 'f-dup',
        sha256: 'sha-1',
        mime: 'image/jpeg',
        size: 2048,
      });
      expect(again.id).toBe('f-1');
      expect(
        (await findOrInsertFile(db, { id: 'f-2', sha256: 'sha-2', mime: 'application/pdf', size: 9 })).id,
      ).toBe('f-2');
      expect((await findFileBySha(db, 'sha-2'))?.id).toBe('f-2');
      expect(await findFileById(db, 'f-dup')).toBeUndefined();

      await insertAttachment(db, {
        id: 'a-1',
        fileId: 'f-1',
        thumbnailFileId: 'f-thumb',
        ownerUserId: 'u-erika',
      });
      await insertAttachment(db, {
        id: 'a-2',
        fileId: 'f-2',
        ownerUserId: 'u-erika',
        originalName: 'Mietvertrag.pdf',
      });
      const withThumb = await findAttachmentWithFiles(db, 'a-1');
      expect([withThumb?.file.id, withThumb?.thumbnail?.id, withThumb?.thumbnail?.mime]).toEqual([
        'f-1',
        'f-thumb',
        'image/webp',
      ]);
      const withoutThumb = await findAttachmentWithFiles(db, 'a-2');
      expect([withoutThumb?.file.id, withoutThumb?.thumbnail]).toEqual(['f-2', null]);
      expect(await findAttachmentWithFiles(db, 'a-404')).toBeUndefined();
      expect(await countAttachmentsOfFile(db, 'f-1')).toBe(1);

      const claim = { ownerUserId: 'u-erika', ticketId: 'tk-1', messageId: null };
      expect(await claimAttachments(db, { ...claim, attachmentIds: ['a-1', 'a-2', 'a-404'] })).toBe(2);
      expect(await claimAttachments(db, { ...claim, attachmentIds: ['a-1'] })).toBe(0);
      expect(await claimAttachments(db, { ...claim, attachmentIds: [] })).toBe(0);
      expect((await findAttachment(db, 'a-2'))?.ticketId).toBe('tk-1');
    });

    it('registration codes, consents, letter requests and preferences', async () => {
      const db = store();
      const code = await insertRegistrationCode(db, {
        id: 'rc-1',
        personId: 'p-erika',
        codeHash: 'code-hash-1',
        expiresAt: at(30),
      });
      expect(code.purpose).toBe('letter');
      await insertRegistrationCode(db, { id: 'rc-2', personId: 'p-ada', codeHash: 'code-hash-2' });
      expect((await findRegistrationCodeByHash(db, 'code-hash-1'))?.id).toBe('rc-1');
      expect([...(await listPersonIdsWithOpenLetterCode(db, ['p-erika', 'p-ada'], at(10)))].sort()).toEqual([
        'p-ada',
        'p-erika',
      ]);
      expect([...(await listPersonIdsWithOpenLetterCode(db, ['p-erika', 'p-ada'], at(31)))]).toEqual([
        'p-ada',
      ]);
      await markRegistrationCodeUsed(db, 'rc-1', at(11));
      await revokeOpenLetterCodes(db, ['p-erika', 'p-ada'], at(12));
      expect((await findRegistrationCodeByHash(db, 'code-hash-1'))?.revokedAt).toBeNull();
      expect((await findRegistrationCodeByHash(db, 'code-hash-2'))?.revokedAt).toEqual(at(12));

      await insertConsents(db, 'u-erika', ['privacy', 'terms'], '2026-01', at(0));
      expect((await listConsentsOfUser(db, 'u-erika')).map((row) => row.kind).sort()).toEqual([
        'privacy',
        'terms',
      ]);
      await deleteConsentsOfUser(db, 'u-erika');
      expect(await listConsentsOfUser(db, 'u-erika')).toEqual([]);

      const request = (id: string, minutes: number) => ({
        id,
        name: 'Erika Mustermann',
        address: 'Ahornweg 1',
        language: 'de' as const,
        createdAt: at(minutes),
      });
      expect((await insertLetterRequest(db, request('lr-1', 1))).status).toBe('open');
      await insertLetterRequest(db, request('lr-2', 2));
      expect(ids(await listLetterRequests(db, 'open'))).toEqual(['lr-2', 'lr-1']);
      expect(ids(await listLetterRequests(db, 'open', 1))).toEqual(['lr-2']);
      expect(await markLetterRequestDone(db, 'lr-1', 'u-sam', at(3))).toBe(true);
      expect(await markLetterRequestDone(db, 'lr-1', 'u-sam', at(4))).toBe(false);
      expect(await findLetterRequest(db, 'lr-1')).toMatchObject({ status: 'done', handledAt: at(3) });

      await replaceNotificationPreferences(db, 'u-erika', [
        { category: 'documents', channel: 'email', enabled: false },
        { category: 'notices', channel: 'push', enabled: true },
      ]);
      await setNotificationPreference(db, {
        userId: 'u-erika',
        category: 'documents',
        channel: 'email',
        enabled: true,
      });
      await setNotificationPreference(db, {
        userId: 'u-erika',
        category: 'notices',
        channel: 'sms',
        enabled: false,
      });
      expect(
        (await listNotificationPreferences(db, 'u-erika'))
          .map((row) => `${row.category}/${row.channel}/${row.enabled}`)
          .sort(),
      ).toEqual(['documents/email/true', 'notices/push/true', 'notices/sms/false']);
    });

    it('audit: entries of one moment keep their insertion order, with the actor’s name', async () => {
      const db = store();
      for (const action of ['first', 'second', 'third', 'fourth']) {
        await insertAuditEntry(db, {
          actorUserId: action === 'third' ? null : 'u-sam',
          action,
          entityType: 'ticket',
          entityId: 'tk-1',
          data: { action },
          createdAt: at(40),
        });
      }
      await insertAuditEntry(db, {
        actorUserId: 'u-ada',
        action: 'earlier',
        entityType: 'ticket',
        entityId: 'tk-1',
        ipAddress: '192.0.2.1',
        createdAt: at(39),
      });
      const history = await listAuditEntriesWithActor(db, 'ticket', 'tk-1');
      expect(history.map((row) => [row.entry.action, row.lastName])).toEqual([
        ['earlier', 'Admin'],
        ['first', 'Staff'],
        ['second', 'Staff'],
        ['third', null],
        ['fourth', 'Staff'],
      ]);
      expect(history[1]?.entry.data).toEqual({ action: 'first' });
      const entries = await listAuditEntriesFor(db, 'ticket', 'tk-1');
      expect(entries.length).toBe(5);
      expect(entries.at(-1)?.action).toBe('earlier');
    });

    it('contractors and job links: trades in list order, buildings served, referenced ones kept', async () => {
      const db = store();
      const bauer = await insertContractor(db, { id: 'k-1', name: 'Bauer Sanitär', externalId: 'erp-1' });
      expect([bauer.active, bauer.language]).toEqual([true, 'de']);
      await insertContractor(db, { id: 'k-2', name: 'Andersson El', language: 'sv', externalId: 'erp-2' });
      await insertContractor(db, { id: 'k-3', name: 'Alt GmbH', active: false });
      await replaceContractorTrades(db, 'k-1', ['heating', 'plumbing']);
      await replaceContractorBuildings(db, 'k-1', ['b-1', 'b-2']);
      await replaceContractorTrades(db, 'k-2', ['electrical']);
      await replaceContractorBuildings(db, 'k-2', ['b-3']);
      expect(await findContractor(db, 'k-1')).toMatchObject({ trades: ['plumbing', 'heating'] });
      expect((await findContractor(db, 'k-1'))?.buildingIds.sort()).toEqual(['b-1', 'b-2']);
      expect(await findContractor(db, 'k-404')).toBeUndefined();
      expect(ids(await listContractors(db))).toEqual(['k-3', 'k-2', 'k-1']);
      expect(ids(await listActiveContractorsFor(db, {}))).toEqual(['k-2', 'k-1']);
      expect(ids(await listActiveContractorsFor(db, { buildingId: 'b-1', trade: 'heating' }))).toEqual([
        'k-1',
      ]);
      expect(ids(await listActiveContractorsFor(db, { buildingId: 'b-3', trade: 'heating' }))).toEqual([]);
      await updateContractor(db, 'k-2', { phone: '+46 8 000', updatedAt: at(41) });
      expect((await findContractor(db, 'k-2'))?.updatedAt).toEqual(at(41));
      expect([...(await findExistingBuildingIds(db, ['b-1', 'b-404']))]).toEqual(['b-1']);
      expect(ids(await listBuildingAddresses(db))).toEqual(['b-1', 'b-2', 'b-3']);
      expect(
        [...(await findContractorsByExternalIds(db, ['erp-2', 'erp-404']))].map(([key, row]) => [
          key,
          row.trades,
        ]),
      ).toEqual([['erp-2', ['electrical']]]);
      expect(ids(await listActiveErpContractorsNotIn(db, ['erp-1']))).toEqual(['k-2']);
      expect(ids(await listActiveErpContractorsNotIn(db, [])).sort()).toEqual(['k-1', 'k-2']);

      const link = await insertJobLink(db, {
        id: 'j-1',
        ticketId: 'tk-1',
        contractorId: 'k-1',
        expiresAt: at(50),
      });
      expect(link.revokedAt).toBeNull();
      await insertJobLink(db, { id: 'j-2', ticketId: 'tk-1', contractorId: 'k-1', expiresAt: at(50) });
      expect(await isContractorReferenced(db, 'k-1')).toBe(true);
      expect(await isContractorReferenced(db, 'k-3')).toBe(false);
      expect(await revokeJobLink(db, 'j-1', at(42))).toBe(true);
      expect(await revokeJobLink(db, 'j-1', at(43))).toBe(false);
      expect(await revokeJobLinksOfTicket(db, 'tk-1', at(44))).toBe(1);
      expect((await findJobLink(db, 'j-2'))?.revokedAt).toEqual(at(44));
      await deleteContractor(db, 'k-3');
      expect(await findContractor(db, 'k-3')).toBeUndefined();
    });

    it('estates, push subscriptions and API keys', async () => {
      const db = store();
      expect(ids(await listBuildingsOfEstate(db, 'e-1'))).toEqual(['b-1', 'b-2']);
      expect((await findBuilding(db, 'b-3'))?.currency).toBe('SEK');

      const device = {
        userId: 'u-erika',
        endpoint: 'https://push.example.test/1',
        p256dh: 'key',
        auth: 'auth',
      };
      await insertPushSubscription(db, {
        ...device,
        id: 'ps-1',
        endpoint: 'https://push.example.test/0',
        createdAt: at(0),
      });
      const created = await upsertPushSubscription(db, { ...device, id: 'ps-2', createdAt: at(1) });
      expect(created.id).toBe('ps-2');
      expect(ids(await listPushSubscriptionsOfUser(db, 'u-erika'))).toEqual(['ps-2', 'ps-1']);
      // The same device registered by another login moves there (one row per endpoint).
      const moved = await upsertPushSubscription(db, {
        ...device,
        id: 'ps-3',
        userId: 'u-ada',
        userAgent: 'Firefox',
      });
      expect([moved.id, moved.userId, moved.userAgent]).toEqual(['ps-2', 'u-ada', 'Firefox']);
      await markPushSubscriptionSucceeded(db, 'ps-2', at(5));
      expect((await findPushSubscriptionByEndpoint(db, device.endpoint))?.lastSuccessAt).toEqual(at(5));
      expect(await deletePushSubscriptionOfUser(db, 'u-erika', 'ps-2')).toBe(0);
      expect(await deletePushSubscriptionOfUserByEndpoint(db, 'u-erika', device.endpoint)).toBe(0);
      expect(await deletePushSubscriptionOfUserByEndpoint(db, 'u-ada', device.endpoint)).toBe(1);
      await insertPushSubscription(db, { ...device, id: 'ps-4', endpoint: 'https://push.example.test/4' });
      expect(await deletePushSubscriptionOfUser(db, 'u-erika', 'ps-4')).toBe(1);
      await deletePushSubscription(db, 'ps-1');
      expect(await deletePushSubscriptionsOfUser(db, 'u-erika')).toBe(0);

      const key = (id: string, minutes: number) => ({
        id,
        name: `Key ${id}`,
        scopes: ['import' as const],
        secretHash: Buffer.from(id),
        createdAt: at(minutes),
      });
      expect((await insertApiKey(db, key('k-a', 1))).scopes).toEqual(['import']);
      await insertApiKey(db, key('k-b', 2));
      expect(ids(await listActiveApiKeys(db))).toEqual(['k-b', 'k-a']);
      await touchApiKey(db, 'k-a', at(3));
      expect((await findActiveApiKey(db, 'k-a'))?.lastUsedAt).toEqual(at(3));
      expect(await revokeApiKey(db, 'k-a', at(4))).toBe(true);
      expect(await revokeApiKey(db, 'k-a', at(5))).toBe(false);
      expect(await findActiveApiKey(db, 'k-a')).toBeUndefined();
    });

    it('rate limits: expired rows of the embedded limiter go, live ones stay', async () => {
      const db = store();
      if (name === 'postgres') {
        // The limiter's table lives in the SQLite file only: nothing to sweep, and no error.
        await expect(deleteExpiredRateLimits(db, 1_000)).resolves.toBeUndefined();
        return;
      }
      const sqlite = db;
      sqlite.$client.exec(
        `CREATE TABLE IF NOT EXISTS ${rateLimitTable} (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)`,
      );
      sqlite.$client.exec(
        `INSERT INTO ${rateLimitTable} (key, points, expire) VALUES ('old', 1, 500), ('live', 1, 1500)`,
      );
      await deleteExpiredRateLimits(db, 1_000);
      expect(sqlite.$client.prepare(`SELECT key FROM ${rateLimitTable}`).all()).toEqual([{ key: 'live' }]);
    });

    it('writes the contract rows of a load in chunks', async () => {
      const db = store();
      await insertContracts(
        db,
        Array.from({ length: 450 }, (_, index) => ({
          id: `bulk-${index}`,
          number: `B-${String(index).padStart(4, '0')}`,
          kind: 'parking' as const,
          startDate: '2026-01-01',
          currency: 'EUR',
          paymentMethod: 'direct_debit' as const,
        })),
      );
      expect((await listContractsByIds(db, ['bulk-0', 'bulk-449'])).map((row) => row.number)).toEqual([
        'B-0000',
        'B-0449',
      ]);
    });
  });
});
