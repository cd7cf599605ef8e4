// A generated landlord as the ERP exports it (issue 14 "Performance"): CSV files in the import's
// layout, written as a stream so the generator itself needs little memory. Deterministic: the
// same scale gives the same files.
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';

export interface LandlordScale {
  units: number;
  contracts: number;
  persons: number;
  ledgerEntries: number;
  invoices: number;
}

/** The landlord: 50,000 units, 55,000 contracts, 80,000 persons, 1.3 M ledger entries, 660,000 invoices. */
export const fullScale: LandlordScale = {
  units: 50_000,
  contracts: 55_000,
  persons: 80_000,
  ledgerEntries: 1_300_000,
  invoices: 660_000,
};

export const scaled = (factor: number): LandlordScale => ({
  units: Math.round(fullScale.units * factor),
  contracts: Math.round(fullScale.contracts * factor),
  persons: Math.round(fullScale.persons * factor),
  ledgerEntries: Math.round(fullScale.ledgerEntries * factor),
  invoices: Math.round(fullScale.invoices * factor),
});

class CsvFile {
  private readonly out;
  private pending = '';
  rows = 0;
  constructor(dir: string, name: string, header: string[]) {
    this.out = createWriteStream(join(dir, `${name}.csv`));
    this.pending = `${header.join(';')}\n`;
  }
  async row(cells: (string | number)[]): Promise<void> {
    this.pending += `${cells.join(';')}\n`;
    this.rows++;
    if (this.pending.length > 1 << 16) {
      if (!this.out.write(this.pending)) await once(this.out, 'drain');
      this.pending = '';
    }
  }
  async close(): Promise<void> {
    this.out.end(this.pending);
    await once(this.out, 'finish');
  }
}

const money = (cents: number) => `${Math.floor(cents / 100)},${String(cents % 100).padStart(2, '0')}`;
const day = (year: number, month: number, date = 1) =>
  `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;

/**
 * Units in buildings of 20, buildings in estates of 10. Every unit has a running contract since
 * 2020; the contracts beyond the units are earlier, ended contracts on the first units. Persons
 * beyond one per contract are co-tenants. Invoices are the last months of the running contracts,
 * ledger entries a charge and a payment per invoice and the rest earlier charges.
 */
export async function generateLandlordCsv(dir: string, scale: LandlordScale): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const buildingsCount = Math.ceil(scale.units / 20);
  const estatesCount = Math.ceil(buildingsCount / 10);
  const estates = new CsvFile(dir, 'estates', ['externalId', 'name', 'city', 'country']);
  for (let e = 0; e < estatesCount; e++) await estates.row([`E${e}`, `Quartier ${e}`, 'Berlin', 'DE']);
  await estates.close();
  const buildings = new CsvFile(dir, 'buildings', [
    'externalId',
    'estateExternalId',
    'street',
    'houseNumber',
    'postalCode',
    'city',
    'country',
    'use',
    'currency',
  ]);
  for (let b = 0; b < buildingsCount; b++)
    await buildings.row([
      `B${b}`,
      `E${Math.floor(b / 10)}`,
      `Straße ${Math.floor(b / 50)}`,
      String((b % 50) + 1),
      '10115',
      'Berlin',
      'DE',
      'residential',
      'EUR',
    ]);
  await buildings.close();
  const units = new CsvFile(dir, 'units', [
    'externalId',
    'buildingExternalId',
    'number',
    'kind',
    'floor',
    'areaSqm',
    'rooms',
  ]);
  for (let u = 0; u < scale.units; u++)
    await units.row([
      `U${u}`,
      `B${Math.floor(u / 20)}`,
      `${Math.floor((u % 20) / 4)}.${String((u % 4) + 1).padStart(2, '0')}`,
      'flat',
      Math.floor((u % 20) / 4),
      `${50 + (u % 40)},5`,
      2 + (u % 3),
    ]);
  await units.close();
  const persons = new CsvFile(dir, 'persons', [
    'externalId',
    'kind',
    'firstName',
    'lastName',
    'email',
    'customerNumber',
  ]);
  for (let p = 0; p < scale.persons; p++)
    await persons.row([
      `P${p}`,
      'natural',
      `Vorname${p % 97}`,
      `Nachname${p}`,
      `mieter${p}@example.org`,
      `K${100000 + p}`,
    ]);
  await persons.close();

  const contracts = new CsvFile(dir, 'contracts', [
    'externalId',
    'number',
    'kind',
    'startDate',
    'endDate',
    'currency',
    'paymentMethod',
    'iban',
  ]);
  const contractUnits = new CsvFile(dir, 'contract_units', ['contractExternalId', 'unitExternalId']);
  const parties = new CsvFile(dir, 'contract_parties', ['contractExternalId', 'personExternalId', 'role']);
  const rent = new CsvFile(dir, 'rent_components', [
    'contractExternalId',
    'kind',
    'amount',
    'validFrom',
    'validTo',
  ]);
  const running = Math.min(scale.units, scale.contracts);
  let nextPerson = 0;
  for (let c = 0; c < scale.contracts; c++) {
    const unit = c < running ? c : c - running;
    const ended = c >= running;
    await contracts.row([
      `C${c}`,
      `MV-${c}`,
      'residential',
      ended ? '2015-01-01' : '2020-01-01',
      ended ? '2019-12-31' : '',
      'EUR',
      c % 3 === 0 ? 'transfer' : 'direct_debit',
      c % 3 === 0 ? '' : 'DE89370400440532013000',
    ]);
    await contractUnits.row([`C${c}`, `U${unit}`]);
    await parties.row([`C${c}`, `P${nextPerson++ % scale.persons}`, 'main_tenant']);
    // The persons beyond one per contract are co-tenants of the running contracts.
    if (!ended && nextPerson < scale.persons && c < scale.persons - scale.contracts)
      await parties.row([`C${c}`, `P${nextPerson++}`, 'co_tenant']);
    await rent.row([
      `C${c}`,
      'net_rent',
      money(50_000 + (c % 500) * 100),
      ended ? '2015-01-01' : '2020-01-01',
      ended ? '2019-12-31' : '',
    ]);
    await rent.row([
      `C${c}`,
      'service_charge_advance',
      money(15_000 + (c % 50) * 100),
      ended ? '2015-01-01' : '2020-01-01',
      ended ? '2019-12-31' : '',
    ]);
  }
  await Promise.all([contracts.close(), contractUnits.close(), parties.close(), rent.close()]);

  const invoices = new CsvFile(dir, 'invoices', [
    'externalId',
    'contractExternalId',
    'number',
    'periodStart',
    'periodEnd',
    'issuedOn',
    'dueOn',
    'amount',
    'currency',
    'paymentReference',
    'paidOn',
  ]);
  const ledger = new CsvFile(dir, 'ledger_entries', [
    'externalId',
    'contractExternalId',
    'bookedOn',
    'kind',
    'description',
    'amount',
  ]);
  const perContract = Math.ceil(scale.invoices / running);
  let ledgerRows = 0;
  for (let i = 0; i < scale.invoices; i++) {
    const c = i % running;
    const month = Math.floor(i / running);
    const year = 2026 - Math.floor(month / 12);
    const m = 12 - (month % 12);
    const amount = 65_000 + (c % 500) * 100;
    await invoices.row([
      `I${i}`,
      `C${c}`,
      `RE-${i}`,
      day(year, m),
      day(year, m, 28),
      day(year, m),
      day(year, m, 3),
      money(amount),
      'EUR',
      `MV-${c} ${m}/${year}`,
      month > 0 ? day(year, m, 2) : '',
    ]);
    if (ledgerRows < scale.ledgerEntries) {
      await ledger.row([
        `L${ledgerRows++}`,
        `C${c}`,
        day(year, m),
        'charge',
        `Miete ${m}/${year}`,
        money(amount),
      ]);
    }
    if (ledgerRows < scale.ledgerEntries) {
      await ledger.row([
        `L${ledgerRows++}`,
        `C${c}`,
        day(year, m, 2),
        'payment',
        'Zahlung',
        `-${money(amount)}`,
      ]);
    }
  }
  void perContract;
  for (let older = 0; ledgerRows < scale.ledgerEntries; older++) {
    const c = older % running;
    await ledger.row([
      `L${ledgerRows++}`,
      `C${c}`,
      day(2019, 1 + (older % 12)),
      'charge',
      'Altforderung',
      money(1000 + (older % 100)),
    ]);
  }
  await Promise.all([invoices.close(), ledger.close()]);
}
