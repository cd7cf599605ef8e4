import type { Deps } from '../deps.ts';
import { hashPassword } from '../auth/password-hash.ts';
import { hashRegistrationCode } from '../auth/registration-code.ts';
import { currentConsentVersion } from '../services/accounts/common.ts';
import { inTransaction, type Tx } from '../../db/transaction.ts';
import { insertPersons, setPersonMobile } from '../../db/repositories/persons.ts';
import { insertUsers } from '../../db/repositories/users.ts';
import { setCooperativeShares } from '../../db/repositories/contracts.ts';
import { updateHouseholdAccess } from '../../db/repositories/household.ts';
import { insertConsents } from '../../db/repositories/consents.ts';
import { insertRegistrationCode } from '../../db/repositories/registration-codes.ts';
import { putSetting } from '../../db/repositories/settings.ts';
import {
  insertBuildingContacts,
  insertCannedReplies,
  insertTeamMembers,
  insertTeams,
  insertTeamScopes,
} from '../../db/repositories/staff.ts';
import {
  insertTickets,
  insertTicketStatusChanges,
  insertTicketTypes,
} from '../../db/repositories/tickets.ts';
import { insertTicketMessages, insertTicketReads } from '../../db/repositories/ticket-messages.ts';
import { insertNotices } from '../../db/repositories/notices.ts';
import {
  insertIncidentFollowers,
  insertIncidents,
  insertIncidentUpdates,
} from '../../db/repositories/incidents.ts';
import { createSeedContext, type SeedContext } from './context.ts';
import { daysBefore } from './calendar.ts';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_INVOICE_MONTHS,
  DEMO_PASSWORD,
  DEMO_REGISTRATION_CODE,
  type DemoLogin,
} from './demo-constants.ts';
import { planEstates } from './estates.ts';
import {
  planFixedPeople,
  planUsers,
  attachCommercialLogin,
  type FixedPeople,
  type UserInsert,
} from './people.ts';
import { findContract, planContracts, type ContractsPlan } from './contracts.ts';
import { planLedger, planOperatingCostStatement } from './ledger.ts';
import { insertStoredDocuments, storeDocuments, type StoredDocument } from './documents.ts';
import { planTenantDocuments } from './documents-tenant.ts';
import { planBuildingDocuments } from './documents-building.ts';
import { planOwnerAccounts, type OwnerAccountPlan } from './owners.ts';
import {
  insertHausgeldAdvances,
  insertOwnerAccountEntries,
  insertOwnerships,
} from '../../db/repositories/owners.ts';
import { planStaff, type StaffPlan } from './staff.ts';
import { planTickets, type TicketsPlan } from './tickets.ts';
import { planNoticeBoard, type NoticeBoardPlan } from './notices.ts';
import { planOnCall, planTicketTypeSlas } from './on-call.ts';
import { adoptImportedIds, importErpLoad, isErpPerson, planErpLoad, type ErpLoad } from './erp-load.ts';
import { insertOnCallShifts, insertTicketTypeSlas } from '../../db/repositories/on-call.ts';
import { insertDemoContractors, planContractors } from './contractors.ts';

interface DemoPlan {
  people: FixedPeople;
  users: UserInsert[];
  usersByLogin: Record<DemoLogin, UserInsert>;
  contracts: ContractsPlan;
  documents: StoredDocument[];
  staff: StaffPlan;
  tickets: TicketsPlan;
  board: NoticeBoardPlan;
  ownerAccounts: OwnerAccountPlan;
}

/**
 * Loads the deterministic demo of API.md into a freshly migrated, empty database. What a
 * landlord's ERP owns (estates to rent account) is planned first and goes in through the importer
 * as one load (erp-load.ts), the one path data comes in by; the rest (logins, staff, documents,
 * tickets, notices) is then planned against the rows it wrote, its PDFs rendered and stored, and
 * written in one transaction. The ledger covers the 24 months up to `deps.now()`, so the demo
 * always looks current; the rest is the same on every run for the same date.
 */
export async function seedDemo(deps: Deps): Promise<void> {
  const context = createSeedContext(deps.now(), DEMO_INVOICE_MONTHS);
  // One argon2 hash for every demo login keeps seeding fast; the password is public anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const { estates, people, users, contracts, statement, ledger } = planUpToTheLoad(context, passwordHash);
  const erp = { estates, people, contracts, ledger };
  const moved = await importErpLoad(deps, planErpLoad(erp));
  adoptImportedIds({ ...erp, users: Object.values(users), ownerships: contracts.ownerships }, moved);
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
  // Planned last, from its own id stream: the ids above stay as they were before owner accounts.
  const ownerAccounts = planOwnerAccounts({
    context,
    estates,
    people,
    users,
    statement,
    ownerships: contracts.ownerships,
  });
  const documents = await storeDocuments(deps.files, [...documentSpecs, ...ownerAccounts.documents]);

  const plan: DemoPlan = {
    people,
    users: Object.values(users),
    usersByLogin: users,
    contracts,
    documents,
    staff,
    tickets,
    board,
    ownerAccounts,
  };
  await inTransaction(deps.db, async (tx) => await writePlan(tx, context, plan));
  // The contractor directory (issue 20) on the buildings as the load stored them; ids of its own.
  await inTransaction(
    deps.db,
    async (tx) => await insertDemoContractors(tx, context, planContractors(estates)),
  );
}

/**
 * The plan as far as the ERP's load needs it, in the order it always had: the logins are planned
 * between the people and their contracts, so the ids the seed draws for what it writes itself
 * (logins, staff, documents, tickets) stay as they were.
 */
function planUpToTheLoad(context: SeedContext, passwordHash: string) {
  const estates = planEstates(context);
  const people = planFixedPeople(context);
  const users = planUsers(context, people, passwordHash);
  const contracts = planContracts(context, estates, people);
  attachCommercialLogin(users, contracts.tenants);
  const statement = planOperatingCostStatement(context);
  const ledger = planLedger(context, contracts.contracts, statement);
  return { estates, people, users, contracts, statement, ledger };
}

/** The ERP's load of the demo for `now`, record for record as `seedDemo` applies it. */
export function planDemoErpLoad(now: Date): ErpLoad {
  const { estates, people, contracts, ledger } = planUpToTheLoad(
    createSeedContext(now, DEMO_INVOICE_MONTHS),
    '',
  );
  return planErpLoad({ estates, people, contracts, ledger });
}

/** Everything but the ERP's load, which the importer wrote already. */
async function writePlan(tx: Tx, context: SeedContext, plan: DemoPlan): Promise<void> {
  const { people, contracts, staff, tickets, board } = plan;

  // Staff are the portal's own people: the ERP's load does not name them.
  await insertPersons(
    tx,
    Object.values(people).filter((person) => !isErpPerson(person)),
  );
  await writePortalSideOfErpRows(tx, plan);
  await insertOwnerships(tx, contracts.ownerships);
  await insertHausgeldAdvances(tx, plan.ownerAccounts.advances);
  await insertOwnerAccountEntries(tx, plan.ownerAccounts.entries);
  await insertUsers(tx, plan.users);
  const consentVersion = await currentConsentVersion(tx);
  for (const user of plan.users) {
    if (user.role !== 'customer') continue;
    await insertConsents(
      tx,
      user.id,
      ['privacy', 'terms', 'electronic_delivery'],
      consentVersion,
      user.createdAt ?? context.now,
    );
  }
  // API.md: the unregistered tenant's letter carries DEMO-2026-REG1; only its hash is stored.
  await insertRegistrationCode(tx, {
    id: context.newId(),
    personId: people.hannah.id,
    codeHash: hashRegistrationCode(DEMO_REGISTRATION_CODE),
    purpose: 'letter',
    createdAt: daysBefore(context.now, 30),
  });

  await insertStoredDocuments(tx, context, plan.documents);

  await insertTeams(tx, Object.values(staff.teams));
  await insertTeamScopes(tx, staff.scopes);
  await insertTeamMembers(tx, staff.members);
  await insertBuildingContacts(tx, staff.contacts);
  await insertCannedReplies(tx, staff.cannedReplies);
  await putSetting(tx, 'branding', staff.branding, context.now);

  await insertTicketTypes(tx, tickets.types);
  await insertTicketTypeSlas(tx, planTicketTypeSlas());
  await insertOnCallShifts(tx, planOnCall(context, staff, plan.usersByLogin));
  await insertTickets(tx, tickets.tickets);
  await insertTicketMessages(tx, tickets.messages);
  await insertTicketStatusChanges(tx, tickets.history);
  await insertTicketReads(tx, tickets.reads);

  await insertNotices(tx, board.notices);
  await insertIncidents(tx, board.incidents);
  await insertIncidentUpdates(tx, board.updates);
  await insertIncidentFollowers(tx, board.followers);
}

/**
 * What the import records cannot say, set on the rows the load wrote: a mobile number the tenant
 * added in the portal, a household member's read-only access (the tenant's choice, DESIGN.md
 * roles), and a cooperative's shares. None of it is compared by the importer, so the same load
 * again still changes nothing.
 */
async function writePortalSideOfErpRows(tx: Tx, plan: DemoPlan): Promise<void> {
  const { people, contracts } = plan;
  for (const person of new Set([...Object.values(people), ...contracts.tenants]))
    if (person.mobile && isErpPerson(person)) await setPersonMobile(tx, person.id, person.mobile);
  for (const { row, parties } of contracts.contracts) {
    for (const party of parties)
      if (party.access === 'read') await updateHouseholdAccess(tx, row.id, party.personId, 'read');
    if (row.cooperativeShares != null)
      await setCooperativeShares(tx, row.id, {
        cooperativeShares: row.cooperativeShares,
        cooperativeShareValue: row.cooperativeShareValue,
      });
  }
}
