import type { Deps } from '../../server/deps.ts';
import { hashPassword } from '../../server/auth/password-hash.ts';
import { hashRegistrationCode } from '../../server/auth/registration-code.ts';
import { currentConsentVersion } from '../../server/services/accounts/common.ts';
import { inTransaction, type Tx } from '../transaction.ts';
import { ownerships, persons, users as usersTable } from '../schema/index.ts';
import { insertBuildings, insertEstates, insertUnits } from '../repositories/estates.ts';
import {
  insertContractParties,
  insertContracts,
  insertContractUnits,
  insertRentComponents,
} from '../repositories/contracts.ts';
import { insertInvoices } from '../repositories/invoices.ts';
import { insertLedgerEntries } from '../repositories/ledger.ts';
import { insertConsents } from '../repositories/consents.ts';
import { insertRegistrationCode } from '../repositories/registration-codes.ts';
import { putSetting } from '../repositories/settings.ts';
import {
  insertBuildingContacts,
  insertCannedReplies,
  insertTeamMembers,
  insertTeams,
  insertTeamScopes,
} from '../repositories/staff.ts';
import { insertTickets, insertTicketStatusChanges, insertTicketTypes } from '../repositories/tickets.ts';
import { insertTicketMessages, insertTicketReads } from '../repositories/ticket-messages.ts';
import { insertNotices } from '../repositories/notices.ts';
import {
  insertIncidentFollowers,
  insertIncidents,
  insertIncidentUpdates,
} from '../repositories/incidents.ts';
import { createSeedContext, type SeedContext } from './context.ts';
import { daysBefore } from './calendar.ts';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_INVOICE_MONTHS,
  DEMO_PASSWORD,
  DEMO_REGISTRATION_CODE,
  type DemoLogin,
} from './demo-constants.ts';
import { planEstates, type EstatePlan } from './estates.ts';
import {
  planFixedPeople,
  planUsers,
  attachCommercialLogin,
  type FixedPeople,
  type PersonInsert,
  type UserInsert,
} from './people.ts';
import { findContract, planContracts, type ContractsPlan } from './contracts.ts';
import { planLedger, planOperatingCostStatement, type LedgerPlan } from './ledger.ts';
import { insertStoredDocuments, storeDocuments, type StoredDocument } from './documents.ts';
import { planTenantDocuments } from './documents-tenant.ts';
import { planBuildingDocuments } from './documents-building.ts';
import { planStaff, type StaffPlan } from './staff.ts';
import { planTickets, type TicketsPlan } from './tickets.ts';
import { planNoticeBoard, type NoticeBoardPlan } from './notices.ts';
import { planOnCall, planTicketTypeSlas } from './on-call.ts';
import { insertOnCallShifts, insertTicketTypeSlas } from '../repositories/on-call.ts';

interface DemoPlan {
  estates: EstatePlan;
  people: FixedPeople;
  users: UserInsert[];
  usersByLogin: Record<DemoLogin, UserInsert>;
  contracts: ContractsPlan;
  ledger: LedgerPlan;
  documents: StoredDocument[];
  staff: StaffPlan;
  tickets: TicketsPlan;
  board: NoticeBoardPlan;
}

/**
 * Loads the deterministic demo of API.md into a freshly migrated, empty database. Everything is
 * planned in memory first (the PDFs rendered and stored), then written in one transaction.
 * The ledger covers the 24 months up to `deps.now()`, so the demo always looks current; the rest
 * is the same on every run for the same date.
 */
export async function seedDemo(deps: Deps): Promise<void> {
  const context = createSeedContext(deps.now(), DEMO_INVOICE_MONTHS);
  // One argon2 hash for every demo login keeps seeding fast; the password is public anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const estates = planEstates(context);
  const people = planFixedPeople(context);
  const users = planUsers(context, people, passwordHash);
  const contracts = planContracts(context, estates, people);
  attachCommercialLogin(users, contracts.tenants);
  const statement = planOperatingCostStatement(context);
  const ledger = planLedger(context, contracts.contracts, statement);
  const tenantContract = findContract(contracts, DEMO_CONTRACT_NUMBERS.tenant);
  const neighbourContract = findContract(contracts, DEMO_CONTRACT_NUMBERS.neighbour);
  const documentSpecs = [
    ...planTenantDocuments({
      context,
      estates,
      people,
      users,
      tenantContract,
      neighbourContract,
      statement,
      ledger,
    }),
    ...planBuildingDocuments({ context, estates, people, users, statement }),
  ];
  const staff = planStaff(context, estates, users);
  const tickets = planTickets({ context, users, tenantContract, neighbourContract, staff });
  const board = planNoticeBoard(context, estates, users);
  const documents = await storeDocuments(deps.files, documentSpecs);

  const plan: DemoPlan = {
    estates,
    people,
    users: Object.values(users),
    usersByLogin: users,
    contracts,
    ledger,
    documents,
    staff,
    tickets,
    board,
  };
  inTransaction(deps.db, (tx) => writePlan(tx, context, plan));
}

function writePlan(tx: Tx, context: SeedContext, plan: DemoPlan): void {
  const { estates, people, contracts, ledger, staff, tickets, board } = plan;
  insertEstates(tx, estates.estates);
  insertBuildings(
    tx,
    estates.buildings.map((building) => building.row),
  );
  insertUnits(
    tx,
    estates.units.map((unit) => unit.row),
  );

  // The seed owns the demo people outright; no persons repository exists yet, so it writes them here.
  const everyone = new Map<string, PersonInsert>();
  for (const person of [...Object.values(people), ...contracts.tenants]) everyone.set(person.id, person);
  tx.insert(persons)
    .values([...everyone.values()])
    .run();
  tx.insert(ownerships).values(contracts.ownerships).run();
  tx.insert(usersTable).values(plan.users).run();
  const consentVersion = currentConsentVersion(tx);
  for (const user of plan.users) {
    if (user.role !== 'customer') continue;
    insertConsents(
      tx,
      user.id,
      ['privacy', 'terms', 'electronic_delivery'],
      consentVersion,
      user.createdAt ?? context.now,
    );
  }
  // API.md: the unregistered tenant's letter carries DEMO-2026-REG1; only its hash is stored.
  insertRegistrationCode(tx, {
    id: context.newId(),
    personId: people.hannah.id,
    codeHash: hashRegistrationCode(DEMO_REGISTRATION_CODE),
    purpose: 'letter',
    createdAt: daysBefore(context.now, 30),
  });

  insertContracts(
    tx,
    contracts.contracts.map((contract) => contract.row),
  );
  insertContractUnits(
    tx,
    contracts.contracts.map((contract) => ({ contractId: contract.row.id, unitId: contract.unit.row.id })),
  );
  insertContractParties(
    tx,
    contracts.contracts.flatMap((contract) => contract.parties.map(({ person: _person, ...party }) => party)),
  );
  insertRentComponents(
    tx,
    contracts.contracts.flatMap((contract) => contract.components),
  );
  insertInvoices(tx, ledger.invoices);
  insertLedgerEntries(tx, ledger.entries);
  insertStoredDocuments(tx, context, plan.documents);

  insertTeams(tx, Object.values(staff.teams));
  insertTeamScopes(tx, staff.scopes);
  insertTeamMembers(tx, staff.members);
  insertBuildingContacts(tx, staff.contacts);
  insertCannedReplies(tx, staff.cannedReplies);
  putSetting(tx, 'branding', staff.branding, context.now);

  insertTicketTypes(tx, tickets.types);
  insertTicketTypeSlas(tx, planTicketTypeSlas());
  insertOnCallShifts(tx, planOnCall(context, staff, plan.usersByLogin));
  insertTickets(tx, tickets.tickets);
  insertTicketMessages(tx, tickets.messages);
  insertTicketStatusChanges(tx, tickets.history);
  insertTicketReads(tx, tickets.reads);

  insertNotices(tx, board.notices);
  insertIncidents(tx, board.incidents);
  insertIncidentUpdates(tx, board.updates);
  insertIncidentFollowers(tx, board.followers);
}
