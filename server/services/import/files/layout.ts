import { importTemplateNames, type ImportEntity } from '../../../../shared/api/import.ts';

/**
 * The files of an import load (API.md "Integration"): one CSV file per name in a folder, or one
 * sheet per name in a workbook. Columns are named as the record fields; the lists nested in a
 * contract (units, parties, rent components) are files of their own keyed by the contract's
 * externalId, so a spreadsheet never needs a list inside a cell.
 */

/** How a cell is read: text as it is, money to integer minor units, numbers, calendar days. */
export type ColumnType = 'text' | 'money' | 'decimal' | 'integer' | 'date';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  required: boolean;
}

/**
 * The files (CSV) and sheets (XLSX) of a load, named as API.md names them, and `documents`: the
 * manifest of the PDFs that come with the load (issue 14 item 4).
 */
export const importFileNames = [...importTemplateNames, 'documents'] as const;
export type ImportFileName = (typeof importFileNames)[number];

const text = (name: string, required = true): ColumnSpec => ({ name, type: 'text', required });
const optional = (name: string, type: ColumnType = 'text'): ColumnSpec => ({ name, type, required: false });
const typed = (name: string, type: ColumnType): ColumnSpec => ({ name, type, required: true });

/**
 * Columns per file. Required means the column must be present and every cell filled; a person's
 * `lastName` / `organisationName` are optional columns because which one is needed depends on `kind`
 * (the record schema says which is missing).
 */
export const importFileColumns: Record<ImportFileName, readonly ColumnSpec[]> = {
  estates: [text('externalId'), text('name'), text('city'), text('country')],
  buildings: [
    text('externalId'),
    text('estateExternalId'),
    text('street'),
    text('houseNumber'),
    text('postalCode'),
    text('city'),
    text('country'),
    text('use'),
    text('currency'),
  ],
  units: [
    text('externalId'),
    text('buildingExternalId'),
    text('number'),
    text('kind'),
    optional('floor', 'integer'),
    optional('areaSqm', 'decimal'),
    optional('rooms', 'decimal'),
  ],
  persons: [
    text('externalId'),
    text('kind'),
    optional('salutation'),
    optional('firstName'),
    optional('lastName'),
    optional('organisationName'),
    optional('organisationNumber'),
    optional('customerNumber'),
    optional('email'),
    optional('phone'),
    optional('language'),
  ],
  contracts: [
    text('externalId'),
    text('number'),
    text('kind'),
    typed('startDate', 'date'),
    optional('endDate', 'date'),
    text('currency'),
    text('paymentMethod'),
    optional('iban'),
    optional('accountHolder'),
    optional('mandateReference'),
    optional('mandateSignedOn', 'date'),
    optional('standingOrder'),
    optional('depositAmount', 'money'),
  ],
  contract_units: [text('contractExternalId'), text('unitExternalId')],
  contract_parties: [text('contractExternalId'), text('personExternalId'), text('role')],
  rent_components: [
    text('contractExternalId'),
    text('kind'),
    typed('amount', 'money'),
    typed('validFrom', 'date'),
    optional('validTo', 'date'),
    optional('label'),
  ],
  ledger_entries: [
    text('externalId'),
    text('contractExternalId'),
    typed('bookedOn', 'date'),
    text('kind'),
    text('description'),
    typed('amount', 'money'),
    optional('invoiceExternalId'),
  ],
  documents: [
    text('externalId'),
    text('file'),
    text('recipientKind'),
    text('recipientExternalId'),
    text('type'),
    text('title'),
    optional('date', 'date'),
    optional('audience'),
  ],
  invoices: [
    text('externalId'),
    text('contractExternalId'),
    text('number'),
    typed('periodStart', 'date'),
    typed('periodEnd', 'date'),
    typed('issuedOn', 'date'),
    typed('dueOn', 'date'),
    typed('amount', 'money'),
    text('currency'),
    text('paymentReference'),
    optional('paidOn', 'date'),
  ],
  // `trades` and `buildingExternalIds` are lists in one cell, separated by `;`, `,` or `|`.
  contractors: [
    text('externalId'),
    text('name'),
    text('trades'),
    optional('contactPerson'),
    optional('phone'),
    optional('email'),
    optional('language'),
    optional('buildingExternalIds'),
    optional('active'),
  ],
};

/** The record entity a file feeds: the nested files feed their contract. */
export const importFileEntity: Record<ImportFileName, ImportEntity> = {
  estates: 'estates',
  buildings: 'buildings',
  units: 'units',
  persons: 'persons',
  contracts: 'contracts',
  contract_units: 'contracts',
  contract_parties: 'contracts',
  rent_components: 'contracts',
  ledger_entries: 'ledgerEntries',
  invoices: 'invoices',
  documents: 'documents',
  contractors: 'contractors',
};

/** The file name a spreadsheet user may spell in any case (`Units.csv`, sheet `UNITS`). */
export function importFileNameOf(name: string): ImportFileName | null {
  const lower = name.trim().toLowerCase();
  return (importFileNames as readonly string[]).includes(lower) ? (lower as ImportFileName) : null;
}
