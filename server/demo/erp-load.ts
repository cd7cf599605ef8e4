import { composeIBAN, friendlyFormatIBAN } from 'ibantools';
import { findIdsByExternalIds, type ExternalTable } from '../../db/repositories/erp-import.ts';
import type { Deps } from '../deps.ts';
import { runImport } from '../services/import/run.ts';
import { bodySource } from '../services/import/validate.ts';
import type { ImportRecords } from '../../shared/api/import.ts';
import { isoDateOf } from './calendar.ts';
import type { ContractsPlan } from './contracts.ts';
import type { EstatePlan, UnitPlan } from './estates.ts';
import type { LedgerPlan } from './ledger.ts';
import type { FixedPeople, OwnershipInsert, PersonInsert, UserInsert } from './people.ts';
import { createIdSource } from './random.ts';

/**
 * The part of the demo a landlord's ERP owns (API.md "Integration": estates, buildings, units,
 * tenants, contracts with their units, parties and rent, invoices, the rent account) goes in as
 * one load through the importer, as a landlord's first load would: the console's import history
 * shows it as load 1, and the same load again changes nothing. Its keys are what an ERP sends:
 * estate and building codes, unit numbers, customer numbers, contract and invoice numbers.
 */

/** The load's name in the import history (a file name there, so no comma). */
export const DEMO_LOAD_LABEL = 'Demo data';

// Its own seeded stream: the rows the load creates get the same ids on every reset, and the
// ids of everything else the seed plans (drawn from the context's stream) stay as they were.
const erpIdSeed = 4712;

export interface ErpPart {
  estates: EstatePlan;
  people: FixedPeople;
  contracts: ContractsPlan;
  ledger: LedgerPlan;
}

/** The planned objects behind one record: its id is replaced by the one the importer gave. */
interface Planned {
  entity: ExternalTable;
  externalId: string;
  plannedId: string;
}

export interface ErpLoad {
  records: Omit<ImportRecords, 'documents' | 'contractors'>;
  planned: Planned[];
}

/** "1.02" in house 1001 → "1001-02"; "0101" in 2006 → "2006-0101" (the contract numbers' prefix). */
const unitKey = (unit: UnitPlan) => `${unit.building.code}-${unit.row.number.split('.').pop()}`;

/** The ERP knows people by their customer number; staff have none and are the portal's own. */
export const isErpPerson = (person: PersonInsert) => Boolean(person.customerNumber);

function personKey(person: PersonInsert): string {
  if (!person.customerNumber) throw new Error(`demo tenant ${person.id} has no customer number`);
  return person.customerNumber;
}

const defined = <T extends Record<string, unknown>>(record: T) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== null && value !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };

/**
 * A full IBAN that masks to the planned "DE89 •••• •••• •••• ••27 40": an ERP sends the whole
 * number and the portal keeps only its mask. Fictitious accounts at the bank code of the standard
 * example IBAN; two digits of the account number are chosen to give the planned check digits.
 */
export function ibanMaskedAs(masked: string): string {
  const compact = masked.replace(/[\s•]/g, '');
  const countryCode = compact.slice(0, 2);
  const checkDigits = compact.slice(2, 4);
  const last = compact.slice(-4);
  for (let filler = 0; filler < 100; filler++) {
    const bban = `37040044${String(filler).padStart(2, '0')}0653${last}`;
    const iban = composeIBAN({ countryCode, bban });
    if (iban?.slice(2, 4) === checkDigits) return friendlyFormatIBAN(iban) ?? iban;
  }
  throw new Error(`no IBAN has the check digits of ${masked}`);
}

/** The ERP part of the plan as the records of one load (API.md "Integration"). */
export function planErpLoad(part: ErpPart): ErpLoad {
  const { estates, people, contracts, ledger } = part;
  const planned: Planned[] = [];
  const keep = (entity: ExternalTable, externalId: string, plannedId: string) => {
    planned.push({ entity, externalId, plannedId });
    return externalId;
  };

  const estateKeys = new Map<string, string>();
  for (const building of estates.buildings) estateKeys.set(building.row.estateId, building.code.slice(0, 2));
  const buildingKeys = new Map(estates.buildings.map((building) => [building.row.id, building.code]));

  const persons = new Map<string, PersonInsert>();
  for (const person of [...Object.values(people), ...contracts.tenants])
    if (isErpPerson(person)) persons.set(person.id, person);

  const contractNumbers = new Map(
    contracts.contracts.map((contract) => [contract.row.id, contract.row.number]),
  );
  const invoiceNumbers = new Map(ledger.invoices.map((invoice) => [invoice.id, invoice.number]));
  const bookings = new Map<string, number>();

  const records: ErpLoad['records'] = {
    estates: estates.estates.map((estate) => ({
      externalId: keep('estates', estateKeys.get(estate.id)!, estate.id),
      name: estate.name,
      city: estate.city,
      country: estate.country,
    })),
    buildings: estates.buildings.map(({ row, code }) => ({
      externalId: keep('buildings', code, row.id),
      estateExternalId: estateKeys.get(row.estateId)!,
      street: row.street,
      houseNumber: row.houseNumber,
      postalCode: row.postalCode,
      city: row.city,
      country: row.country,
      use: row.use,
      currency: row.currency,
    })),
    units: estates.units.map((unit) => ({
      externalId: keep('units', unitKey(unit), unit.row.id),
      buildingExternalId: buildingKeys.get(unit.row.buildingId)!,
      ...defined({
        number: unit.row.number,
        kind: unit.row.kind,
        floor: unit.row.floor,
        areaSqm: unit.row.areaSqm,
        rooms: unit.row.rooms,
      }),
    })),
    persons: [...persons.values()].map((person) => ({
      externalId: keep('persons', personKey(person), person.id),
      kind: person.kind,
      ...defined({
        salutation: person.salutation,
        firstName: person.firstName,
        lastName: person.lastName,
        organisationName: person.organisationName,
        organisationNumber: person.organisationNumber,
        customerNumber: person.customerNumber,
        email: person.email,
        phone: person.phone,
        language: person.language,
      }),
    })),
    contracts: contracts.contracts.map(({ row, unit, parties, components }) => ({
      externalId: keep('contracts', row.number, row.id),
      number: row.number,
      kind: row.kind,
      unitExternalIds: [unitKey(unit)],
      parties: parties.map((party) => ({ personExternalId: personKey(party.person), role: party.role })),
      startDate: row.startDate,
      currency: row.currency,
      // A standing order travels as a transfer the tenant pays by their own standing order.
      paymentMethod: row.paymentMethod === 'standing_order' ? 'transfer' : row.paymentMethod,
      ...defined({
        endDate: row.endDate,
        iban: row.ibanMasked ? ibanMaskedAs(row.ibanMasked) : null,
        accountHolder: row.accountHolder,
        mandateReference: row.mandateReference,
        mandateSignedOn: row.mandateSignedOn,
        standingOrder: row.paymentMethod === 'standing_order' ? true : null,
        depositAmount: row.depositAmount,
      }),
      rentComponents: components.map((component) => ({
        kind: component.kind,
        amount: component.amount,
        validFrom: component.validFrom,
        ...defined({ validTo: component.validTo, label: component.label }),
      })),
    })),
    invoices: ledger.invoices.map((invoice) => ({
      externalId: keep('invoices', invoice.number, invoice.id),
      contractExternalId: contractNumbers.get(invoice.contractId)!,
      number: invoice.number,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      issuedOn: invoice.issuedOn,
      dueOn: invoice.dueOn,
      amount: invoice.amount,
      currency: invoice.currency,
      paymentReference: invoice.paymentReference,
      ...(invoice.paidAt && { paidOn: isoDateOf(invoice.paidAt) }),
    })),
    // The ERP's booking numbers: the contract's number and a running number of its bookings.
    ledgerEntries: ledger.entries.map((entry) => {
      const contractNumber = contractNumbers.get(entry.contractId)!;
      const booking = (bookings.get(contractNumber) ?? 0) + 1;
      bookings.set(contractNumber, booking);
      return {
        externalId: keep('ledgerEntries', `${contractNumber}-B${String(booking).padStart(3, '0')}`, entry.id),
        contractExternalId: contractNumber,
        bookedOn: entry.bookedOn,
        kind: entry.kind,
        description: entry.description,
        amount: entry.amount,
        ...(entry.invoiceId && { invoiceExternalId: invoiceNumbers.get(entry.invoiceId)! }),
      };
    }),
  };
  return { records, planned };
}

/**
 * Applies the load through the importer as a landlord's load goes (same checks, same writes, an
 * import run in the history), in this process: the demo is small, and a worker thread would only
 * add its start-up. Answers each planned id with the id the importer gave its row.
 */
export async function importErpLoad(deps: Deps, load: ErpLoad): Promise<Map<string, string>> {
  const newId = createIdSource(erpIdSeed);
  const outcome = await runImport(
    { db: deps.db, now: deps.now, timeZone: deps.config.timeZone, runId: newId(), newId },
    bodySource(load.records),
    { mode: 'full', dryRun: false },
    { source: 'file', label: DEMO_LOAD_LABEL },
  );
  if (!outcome.ok)
    throw new Error(`the importer refused the demo's load: ${JSON.stringify(outcome.problems.slice(0, 5))}`);

  const moved = new Map<string, string>();
  const byEntity = new Map<ExternalTable, Planned[]>();
  for (const record of load.planned) {
    const records = byEntity.get(record.entity);
    if (records) records.push(record);
    else byEntity.set(record.entity, [record]);
  }
  for (const [entity, records] of byEntity) {
    const ids = await findIdsByExternalIds(
      deps.db,
      entity,
      records.map((record) => record.externalId),
    );
    for (const record of records) {
      const id = ids.get(record.externalId);
      if (!id) throw new Error(`the demo's load has no ${entity} ${record.externalId}`);
      moved.set(record.plannedId, id);
    }
  }
  return moved;
}

/**
 * Points the plan at the rows the importer wrote, before the rest of the demo (logins, documents,
 * tickets, staff scopes, notices) is planned from it. Rent components and bookings are not looked
 * up: nothing else refers to their ids.
 */
export function adoptImportedIds(
  part: ErpPart & { users: readonly UserInsert[]; ownerships: OwnershipInsert[] },
  moved: ReadonlyMap<string, string>,
): void {
  const to = (id: string) => moved.get(id) ?? id;
  const { estates, people, contracts, ledger } = part;
  for (const estate of estates.estates) estate.id = to(estate.id);
  for (const { row } of estates.buildings) Object.assign(row, { id: to(row.id), estateId: to(row.estateId) });
  for (const { row } of estates.units) Object.assign(row, { id: to(row.id), buildingId: to(row.buildingId) });
  // The fixed people are the same objects as the tenants they are: each is moved once.
  for (const person of new Set([...Object.values(people), ...contracts.tenants])) person.id = to(person.id);
  for (const contract of contracts.contracts) {
    contract.row.id = to(contract.row.id);
    for (const party of contract.parties)
      Object.assign(party, { contractId: contract.row.id, personId: party.person.id });
    for (const component of contract.components) component.contractId = contract.row.id;
  }
  for (const invoice of ledger.invoices)
    Object.assign(invoice, { id: to(invoice.id), contractId: to(invoice.contractId) });
  for (const entry of ledger.entries)
    Object.assign(entry, {
      contractId: to(entry.contractId),
      invoiceId: entry.invoiceId && to(entry.invoiceId),
    });
  for (const user of part.users) if (user.personId) user.personId = to(user.personId);
  for (const ownership of part.ownerships)
    Object.assign(ownership, { unitId: to(ownership.unitId), personId: to(ownership.personId) });
}
