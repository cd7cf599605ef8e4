import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, eq, sql } from 'drizzle-orm';
import { createTestWorld, testStore, type TestWorld } from '../helpers/context.ts';
import { testTables as schema } from '../helpers/tables.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_CUSTOMER_NUMBERS,
  DEMO_INCIDENT_TITLE,
  DEMO_INVOICE_MONTHS,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  DEMO_REGISTRATION_CODE,
  DEMO_ROLES,
  DEMO_TENANT_UNIT,
  DEMO_TENANT_UNPAID_INVOICES,
  DEMO_TICKET_SUBJECTS,
  type DemoLogin,
} from '../../server/demo/demo-constants.ts';
import type { Db } from '../../db/client.ts';
import { rawRows } from '../../db/dialect.ts';
import { findAccountByLoginEmail, findUserByPersonId } from '../../db/repositories/users.ts';
import { findRegistrationCodeByHash } from '../../db/repositories/registration-codes.ts';
import {
  findContractByNumber,
  listContractsForPerson,
  listPartiesOfContract,
  listRentComponentsValidOn,
  listRentHistory,
  listUnitsOfContract,
} from '../../db/repositories/contracts.ts';
import { listInvoicesForContract } from '../../db/repositories/invoices.ts';
import { rentAccountBalance } from '../../db/repositories/ledger.ts';
import { findDocumentWithFile } from '../../db/repositories/documents.ts';
import { listActiveTicketTypes, listTicketsCreatedBy } from '../../db/repositories/tickets.ts';
import { listMessagesOfTicket } from '../../db/repositories/ticket-messages.ts';
import { listOpenIncidentsOfBuilding } from '../../db/repositories/incidents.ts';
import { listBuildingContacts, listTeamScopesOfUser } from '../../db/repositories/staff.ts';
import { verifyPassword } from '../../server/auth/password-hash.ts';
import { hashRegistrationCode } from '../../server/auth/registration-code.ts';
import { isValidOcr, luhnCheckDigit } from '../../server/pdf/ocr.ts';
import { projectPath } from '../../server/lib/paths.ts';
import {
  fieldsSchema,
  findTicketTypeDefinition,
  ticketTypeFormSchema,
  ticketTypeI18nKeys,
  ticketTypeIds,
} from '../../shared/ticket-types.ts';

// One clock for both databases, so "the same date" holds even across midnight.
const now = new Date();
const today = now.toISOString().slice(0, 10);
const currentMonthStart = `${today.slice(0, 7)}-01`;

let first: TestWorld;
let second: TestWorld;
let db: Db;
let seedMilliseconds = 0;

beforeAll(async () => {
  first = await createTestWorld();
  second = await createTestWorld();
  first.deps.now = () => now;
  second.deps.now = () => now;
  const started = performance.now();
  await seedDemo(first.deps);
  seedMilliseconds = performance.now() - started;
  await seedDemo(second.deps);
  db = first.deps.db;
});

afterAll(async () => {
  await first?.close();
  await second?.close();
});

async function account(login: DemoLogin) {
  const found = await findAccountByLoginEmail(db, DEMO_LOGINS[login]);
  if (!found) throw new Error(`no demo account ${login}`);
  return found;
}

async function contract(number: string) {
  const found = await findContractByNumber(db, number);
  if (!found) throw new Error(`no demo contract ${number}`);
  return found;
}

describe('demo logins', () => {
  it('has the API.md logins with their roles, verified and with the demo password', async () => {
    for (const login of Object.keys(DEMO_LOGINS) as DemoLogin[]) {
      const { user } = await account(login);
      expect(user.role, login).toBe(DEMO_ROLES[login]);
      expect(user.emailVerifiedAt, login).toBeInstanceOf(Date);
      expect(await verifyPassword(user.passwordHash ?? '', DEMO_PASSWORD), login).toBe(true);
    }
    expect(await verifyPassword((await account('tenant')).user.passwordHash ?? '', 'Portier-Demo-2025')).toBe(
      false,
    );
    expect(DEMO_ROLES).toMatchObject({
      tenant: 'customer',
      neighbour: 'customer',
      staff: 'staff',
      admin: 'admin',
    });
  });

  it('matches the table in API.md where the handbook is present', () => {
    const apiMd = projectPath('..', 'shared', 'API.md');
    if (!existsSync(apiMd)) return;
    const text = readFileSync(apiMd, 'utf8');
    const table = [...text.matchAll(/^\| `([^`]+@[^`]+)` \| `([^`]+)` \|/gm)];
    expect(table.length).toBeGreaterThanOrEqual(4);
    for (const [, email, password] of table) {
      expect(Object.values(DEMO_LOGINS)).toContain(email);
      expect(password).toBe(DEMO_PASSWORD);
    }
    expect(text).toContain(DEMO_REGISTRATION_CODE);
  });

  it('gives staff the scope "all" and the Malmö colleague only his estate', async () => {
    expect(
      (await listTeamScopesOfUser(db, (await account('staff')).user.id)).map((scope) => scope.kind),
    ).toContain('all');
    expect(
      (await listTeamScopesOfUser(db, (await account('staffMalmo')).user.id)).map((scope) => scope.kind),
    ).toEqual(['estate']);
  });
});

describe("Erika's contract", () => {
  it('is hers, for flat 1.02 in Musterstraße 1, Berlin', async () => {
    const { person } = await account('tenant');
    expect(person).toMatchObject({
      firstName: 'Erika',
      lastName: 'Mustermann',
      customerNumber: DEMO_CUSTOMER_NUMBERS.tenant,
    });
    const contracts = await listContractsForPerson(db, person.id);
    expect(contracts).toHaveLength(1);
    expect(contracts[0]).toMatchObject({ role: 'main_tenant', access: 'full' });
    expect(contracts[0]?.contract.number).toBe(DEMO_CONTRACT_NUMBERS.tenant);
    const units = await listUnitsOfContract(db, contracts[0]?.contract.id ?? '');
    expect(units).toHaveLength(1);
    expect(units[0]?.unit.number).toBe(DEMO_TENANT_UNIT.unitNumber);
    expect(units[0]?.building).toMatchObject({
      street: DEMO_TENANT_UNIT.street,
      houseNumber: DEMO_TENANT_UNIT.houseNumber,
      postalCode: '10115',
      city: 'Berlin',
      country: 'DE',
      currency: 'EUR',
    });
  });

  it('has rent components summing to the current rent, and a rent history', async () => {
    const tenantContract = await contract(DEMO_CONTRACT_NUMBERS.tenant);
    const components = await listRentComponentsValidOn(db, tenantContract.id, today);
    expect(components.map((component) => component.kind)).toEqual(
      expect.arrayContaining(['net_rent', 'service_charge_advance', 'heating_advance', 'surcharge']),
    );
    const current = (await listInvoicesForContract(db, tenantContract.id))[0];
    expect(current?.periodStart).toBe(currentMonthStart);
    expect(components.reduce((sum, component) => sum + component.amount, 0)).toBe(current?.amount);

    const netRents = (await listRentHistory(db, tenantContract.id)).filter((row) => row.kind === 'net_rent');
    expect(netRents).toHaveLength(2);
    const [older, newer] = netRents;
    expect(older?.validTo).not.toBeNull();
    expect(newer?.validTo).toBeNull();
    expect(newer?.amount).toBeGreaterThan(older?.amount ?? Infinity);
    expect(new Date(`${older?.validTo}T00:00:00Z`).getTime() + 86_400_000).toBe(
      new Date(`${newer?.validFrom}T00:00:00Z`).getTime(),
    );
    expect(tenantContract.paymentMethod).toBe('direct_debit');
    // The last four digits stay, so the tenant recognises the account ("DE•• •••• 2740").
    expect(tenantContract.ibanMasked).toMatch(/^DE\d{2}( ••••){3} ••\d{2} \d{2}$/);
    expect(tenantContract.mandateReference).toBe(`M-${tenantContract.number}-01`);
    expect(tenantContract.mandateSignedOn! < tenantContract.startDate).toBe(true);
  });

  it('has 24 invoices, the newest two unpaid, and the rent account in arrears by exactly those', async () => {
    const tenantContract = await contract(DEMO_CONTRACT_NUMBERS.tenant);
    const invoices = await listInvoicesForContract(db, tenantContract.id);
    expect(invoices).toHaveLength(DEMO_INVOICE_MONTHS);
    const unpaid = await listInvoicesForContract(db, tenantContract.id, { unpaidOnly: true });
    expect(unpaid).toHaveLength(DEMO_TENANT_UNPAID_INVOICES);
    expect(unpaid.map((invoice) => invoice.id)).toEqual(invoices.slice(0, 2).map((invoice) => invoice.id));
    for (const invoice of invoices) {
      expect(invoice.currency).toBe('EUR');
      expect(invoice.paymentReference).toBe(
        `RE-${invoice.periodStart.slice(0, 4)}-${invoice.periodStart.slice(5, 7)}-${DEMO_CUSTOMER_NUMBERS.tenant}`,
      );
      expect(invoice.issuedOn < invoice.periodStart && invoice.periodStart < invoice.dueOn).toBe(true);
    }
    const balance = await rentAccountBalance(db, tenantContract.id);
    expect(balance).toBeGreaterThan(0);
    expect(balance).toBe(unpaid.reduce((sum, invoice) => sum + invoice.amount, 0));
  });

  it('has Jonas as a read-only household member with his own login', async () => {
    const parties = await listPartiesOfContract(db, (await contract(DEMO_CONTRACT_NUMBERS.tenant)).id);
    const jonasPersonId = (await account('householdMember')).person.id;
    const jonas = parties.find((party) => party.personId === jonasPersonId);
    expect(jonas).toMatchObject({ role: 'household_member', access: 'read' });
  });
});

describe('other demo people', () => {
  it('has the neighbour in the same building, with a credit on his rent account', async () => {
    const [neighbourContract] = await listContractsForPerson(db, (await account('neighbour')).person.id);
    expect(neighbourContract?.role).toBe('main_tenant');
    const building = (await listUnitsOfContract(db, neighbourContract?.contract.id ?? ''))[0]?.building;
    const tenantBuilding = (
      await listUnitsOfContract(db, (await contract(DEMO_CONTRACT_NUMBERS.tenant)).id)
    )[0]?.building;
    expect(building?.id).toBe(tenantBuilding?.id);
    expect(await rentAccountBalance(db, neighbourContract?.contract.id ?? '')).toBeLessThan(0);
  });

  it('has an unregistered tenant in Musterstraße 3 whose letter code is stored only as a hash', async () => {
    const code = await findRegistrationCodeByHash(db, hashRegistrationCode(DEMO_REGISTRATION_CODE));
    expect(code).toMatchObject({ purpose: 'letter', expiresAt: null, usedAt: null, revokedAt: null });
    expect(code?.codeHash).not.toContain('DEMO');
    expect(await findUserByPersonId(db, code?.personId ?? '')).toBeUndefined();
    const [unregistered] = await listContractsForPerson(db, code?.personId ?? '');
    expect(unregistered?.contract.number).toBe(DEMO_CONTRACT_NUMBERS.unregistered);
    expect((await listUnitsOfContract(db, unregistered?.contract.id ?? ''))[0]?.building.houseNumber).toBe(
      '3',
    );
  });

  it('has an owner with ownerships and a cooperative contract with shares', async () => {
    const owned = await db
      .select()
      .from(schema.ownerships)
      .where(eq(schema.ownerships.personId, (await account('owner')).person.id));
    expect(owned.length).toBeGreaterThan(0);
    const cooperative = await contract(DEMO_CONTRACT_NUMBERS.cooperative);
    expect(cooperative.kind).toBe('cooperative');
    expect(cooperative.cooperativeShares).toBeGreaterThan(0);
  });
});

describe('estates, invoices and ledger', () => {
  it('has about 40 units in three Berlin houses and one Malmö building', async () => {
    const units = await db.select().from(schema.units);
    expect(units.length).toBeGreaterThanOrEqual(36);
    expect(units.length).toBeLessThanOrEqual(44);
    const buildings = await db.select().from(schema.buildings).orderBy(asc(schema.buildings.city));
    expect(
      buildings.filter((b) => b.city === 'Berlin' && b.use === 'residential' && b.currency === 'EUR'),
    ).toHaveLength(3);
    expect(
      buildings.filter((b) => b.city === 'Malmö' && b.country === 'SE' && b.currency === 'SEK'),
    ).toHaveLength(1);
    const kinds = new Set(units.map((unit) => unit.kind));
    expect([...kinds].sort()).toEqual(['commercial', 'flat', 'parking']);
  });

  it('invoices every contract for 24 months with the rent valid then', async () => {
    const contracts = await db.select().from(schema.contracts);
    expect(contracts.length).toBeGreaterThan(30);
    for (const row of contracts) {
      const invoices = await listInvoicesForContract(db, row.id);
      expect(invoices, row.number).toHaveLength(DEMO_INVOICE_MONTHS);
      for (const invoice of invoices) {
        const components = await listRentComponentsValidOn(db, row.id, invoice.periodStart);
        expect(invoice.amount, invoice.number).toBe(
          components.reduce((sum, component) => sum + component.amount, 0),
        );
        expect(invoice.currency).toBe(row.currency);
        if (invoice.paidAt) expect(invoice.paidAt.getTime()).toBeLessThanOrEqual(now.getTime());
      }
    }
    const numbers = await db.select({ number: schema.invoices.number }).from(schema.invoices);
    expect(new Set(numbers.map((row) => row.number)).size).toBe(numbers.length);
  });

  it('bills Malmö in SEK with valid OCR numbers to organisations', async () => {
    const lease = await contract(DEMO_CONTRACT_NUMBERS.malmoCommercial);
    expect(lease).toMatchObject({ currency: 'SEK', kind: 'commercial' });
    const [tenant] = await listPartiesOfContract(db, lease.id);
    const person = (
      await db
        .select()
        .from(schema.persons)
        .where(eq(schema.persons.id, tenant?.personId ?? ''))
    )[0];
    expect(person?.kind).toBe('organisation');
    const orgDigits = person?.organisationNumber?.replace('-', '') ?? '';
    expect(orgDigits).toMatch(/^\d{10}$/);
    expect(luhnCheckDigit(orgDigits.slice(0, 9))).toBe(Number(orgDigits.slice(9)));

    const swedish = await db.select().from(schema.invoices).where(eq(schema.invoices.currency, 'SEK'));
    expect(swedish.length).toBeGreaterThan(0);
    for (const invoice of swedish)
      expect(isValidOcr(invoice.paymentReference), invoice.paymentReference).toBe(true);
    expect(new Set(swedish.map((invoice) => invoice.paymentReference)).size).toBe(swedish.length);
  });
});

describe('documents', () => {
  it('stores every document as a real PDF in the file store', async () => {
    const documents = await db.select().from(schema.documents);
    expect(new Set(documents.map((document) => document.scope))).toEqual(
      new Set(['person', 'contract', 'building', 'estate', 'ownership']),
    );
    expect(documents.some((document) => document.audience === 'owners')).toBe(true);
    for (const document of documents) {
      const found = await findDocumentWithFile(db, document.id);
      expect(found?.file.mime).toBe('application/pdf');
      const bytes = await first.deps.files.read(found?.file.sha256 ?? '');
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(bytes.byteLength).toBe(found?.file.size);
    }
  });

  it("links Erika's signed contract and marks only it as opened", async () => {
    const tenantContract = await contract(DEMO_CONTRACT_NUMBERS.tenant);
    const signed = await db.select().from(schema.documents).where(eq(schema.documents.type, 'contract'));
    expect(signed.map((document) => document.fileId)).toContain(tenantContract.signedFileId);
    const reads = await db.select().from(schema.documentReads);
    expect(reads).toHaveLength(1);
    expect(reads[0]?.userId).toBe((await account('tenant')).user.id);
    const types = (
      await db
        .select({ type: schema.documents.type })
        .from(schema.documents)
        .where(eq(schema.documents.contractId, tenantContract.id))
    ).map((row) => row.type);
    expect(types).toEqual(expect.arrayContaining(['contract', 'operating_cost_statement']));
  });
});

describe('ticket types', () => {
  it('are seeded from the shared definitions', async () => {
    const rows = await listActiveTicketTypes(db);
    expect(rows.map((row) => row.id).sort()).toEqual([...ticketTypeIds].sort());
    for (const row of rows) expect(() => ticketTypeFormSchema.parse(row.form), row.id).not.toThrow();
  });

  it('validate fields with one schema: required, cascading options, stale values, IBAN', () => {
    const damage = findTicketTypeDefinition('damage_report');
    if (!damage) throw new Error('damage_report missing');
    const schema = fieldsSchema(damage);
    const valid = {
      location: 'flat',
      room: 'kitchen',
      component: 'tap',
      urgency: 'normal',
      permission_to_enter: true,
    };
    expect(schema.safeParse(valid).success).toBe(true);
    expect(schema.safeParse({ ...valid, room: 'laundry_room' }).success).toBe(false);
    expect(
      schema.safeParse({ location: 'flat', room: 'kitchen', component: 'tap', urgency: 'normal' }).success,
    ).toBe(false);
    expect(schema.safeParse({ ...valid, unknown: 1 }).success).toBe(false);
    const staircase = schema.parse({
      location: 'staircase',
      room: 'stairs',
      component: 'lighting',
      urgency: 'urgent',
      permission_to_enter: true,
    });
    expect(staircase).not.toHaveProperty('permission_to_enter');

    const change = findTicketTypeDefinition('contract_change');
    if (!change) throw new Error('contract_change missing');
    const bank = {
      contract_change_kind: 'bank_details',
      account_holder: 'Erika Mustermann',
      sepa_mandate: true,
    };
    expect(fieldsSchema(change).parse({ ...bank, iban: 'de89 3704 0044 0532 0130 00' })).toMatchObject({
      iban: 'DE89370400440532013000',
    });
    expect(fieldsSchema(change).safeParse({ ...bank, iban: 'DE89 3704 0044 0532 0130 01' }).success).toBe(
      false,
    );
  });

  it('name every i18n key from ids', () => {
    const keys = ticketTypeI18nKeys();
    expect(keys).toEqual(
      expect.arrayContaining(['ticket_type_damage_report', 'field_location', 'option_location_flat']),
    );
    expect(keys.every((key) => /^[a-z0-9_]+$/.test(key))).toBe(true);
  });
});

describe('tickets, notices and incidents', () => {
  it('gives Erika three requests in three states, with a dialog and an internal note', async () => {
    const tickets = await listTicketsCreatedBy(db, (await account('tenant')).user.id);
    expect(tickets.map((ticket) => ticket.status).sort()).toEqual(['in_progress', 'new', 'resolved']);
    for (const ticket of tickets) {
      expect(ticket.number).toMatch(/^\d{4}-\d{6}$/);
      const type = findTicketTypeDefinition(ticket.typeId);
      expect(type && fieldsSchema(type).safeParse(ticket.fields).success, ticket.subject).toBe(true);
    }
    const tap = tickets.find((ticket) => ticket.title === DEMO_TICKET_SUBJECTS.leakingTap);
    const messages = await listMessagesOfTicket(db, tap?.id ?? '');
    expect(messages.filter((message) => message.visibility === 'public')).toHaveLength(3);
    expect(messages.filter((message) => message.visibility === 'internal')).toHaveLength(1);
    const history = await db
      .select()
      .from(schema.ticketStatusHistory)
      .where(eq(schema.ticketStatusHistory.ticketId, tap?.id ?? ''));
    expect(history.map((change) => change.toStatus)).toEqual(['new', 'in_progress']);
    expect(await listTicketsCreatedBy(db, (await account('neighbour')).user.id)).toHaveLength(1);
  });

  it('has a notice board for Musterstraße 1, an open planned water shut-off and contacts', async () => {
    const tenantBuilding = (
      await listUnitsOfContract(db, (await contract(DEMO_CONTRACT_NUMBERS.tenant)).id)
    )[0]?.building;
    const buildingId = tenantBuilding?.id ?? '';
    const notices = await db.select().from(schema.notices).where(eq(schema.notices.buildingId, buildingId));
    expect(notices.some((notice) => notice.pinned)).toBe(true);
    expect(notices.some((notice) => notice.important)).toBe(true);
    expect(notices.some((notice) => notice.validTo && notice.validTo < now)).toBe(true);
    expect(
      (await db.select().from(schema.notices).where(eq(schema.notices.scope, 'estate'))).length,
    ).toBeGreaterThan(0);

    const [incident] = await listOpenIncidentsOfBuilding(db, buildingId);
    expect(incident).toMatchObject({
      title: DEMO_INCIDENT_TITLE,
      kind: 'planned',
      scope: 'building',
      component: 'water',
    });
    expect(incident?.startsAt?.getTime()).toBeGreaterThan(now.getTime());
    const updates = await db
      .select()
      .from(schema.incidentUpdates)
      .where(eq(schema.incidentUpdates.incidentId, incident?.id ?? ''));
    expect(updates.length).toBeGreaterThan(0);

    const roles = (await listBuildingContacts(db, buildingId)).map((contact) => contact.role);
    expect(roles).toEqual(expect.arrayContaining(['account_manager', 'caretaker']));
  });
});

describe('determinism and speed', () => {
  const tableNames = async (context: TestWorld) =>
    (
      await rawRows<{ name: string }>(
        context.deps.db,
        testStore === 'postgres'
          ? sql`select table_name as name from information_schema.tables
              where table_schema = current_schema() and table_type = 'BASE TABLE'
                and table_name not like '__drizzle%'`
          : sql`select name from sqlite_master
              where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'`,
      )
    ).map((row) => row.name);
  const rowCounts = async (context: TestWorld) => {
    const counts: Record<string, number> = {};
    for (const name of await tableNames(context)) {
      const [row] = await rawRows<{ count: number | string }>(
        context.deps.db,
        sql`select count(*) as count from ${sql.identifier(name)}`,
      );
      counts[name] = Number(row?.count);
    }
    return counts;
  };

  it('produces the same rows, numbers and files from the same date', async () => {
    const counts = await rowCounts(first);
    expect(Object.values(counts).some((count) => count > 0)).toBe(true);
    expect(await rowCounts(second)).toEqual(counts);
    const contractsOf = async (context: TestWorld) =>
      await context.deps.db
        .select({ id: schema.contracts.id, number: schema.contracts.number })
        .from(schema.contracts)
        .orderBy(asc(schema.contracts.number));
    expect(await contractsOf(second)).toEqual(await contractsOf(first));
    const invoicesOf = async (context: TestWorld) =>
      await context.deps.db
        .select({
          number: schema.invoices.number,
          amount: schema.invoices.amount,
          ref: schema.invoices.paymentReference,
        })
        .from(schema.invoices)
        .orderBy(asc(schema.invoices.number));
    expect(await invoicesOf(second)).toEqual(await invoicesOf(first));
    const filesOf = async (context: TestWorld) =>
      await context.deps.db
        .select({ sha256: schema.files.sha256 })
        .from(schema.files)
        .orderBy(asc(schema.files.sha256));
    expect(await filesOf(second)).toEqual(await filesOf(first));
  });

  // The demo (`npm run demo`) runs on SQLite; on PostgreSQL every statement of the seed is a round
  // trip to the server (vitest.config.ts gives that project longer limits for it).
  it.runIf(testStore === 'sqlite')('seeds well under ten seconds', () => {
    expect(seedMilliseconds).toBeLessThan(10_000);
  });
});
