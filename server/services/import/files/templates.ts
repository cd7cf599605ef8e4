import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { importTemplateNames, type ImportTemplateName } from '../../../../shared/api/import.ts';
import { importFileColumns } from './layout.ts';
import { convertCell } from './values.ts';

/**
 * Download templates: one CSV per file and one workbook with a sheet per file, each with the
 * header and one realistic example row, written the way a German spreadsheet writes them (`;`,
 * decimal comma, DD.MM.YYYY). The examples reference each other, so the templates load as they are.
 */

/** One example row per file, as text in the cells' German spelling (empty = optional left out). */
/** The documents manifest has no template: its rows name PDFs that only the landlord has. */
export const importTemplateExamples: Record<ImportTemplateName, Record<string, string>> = {
  estates: { externalId: 'E-100', name: 'Wohnanlage Lindenhof', city: 'Berlin', country: 'DE' },
  buildings: {
    externalId: 'B-110',
    estateExternalId: 'E-100',
    street: 'Lindenstraße',
    houseNumber: '12a',
    postalCode: '10969',
    city: 'Berlin',
    country: 'DE',
    use: 'residential',
    currency: 'EUR',
  },
  units: {
    externalId: 'W-111',
    buildingExternalId: 'B-110',
    number: '1.02',
    kind: 'flat',
    floor: '1',
    areaSqm: '72,5',
    rooms: '3',
  },
  persons: {
    externalId: 'P-1001',
    kind: 'natural',
    salutation: 'Frau',
    firstName: 'Anna',
    lastName: 'Müller',
    organisationName: '',
    organisationNumber: '',
    customerNumber: 'K-1001',
    email: 'anna.mueller@example.org',
    phone: '+49 30 1234567',
    language: 'de',
  },
  contracts: {
    externalId: 'V-5001',
    number: '5001',
    kind: 'residential',
    startDate: '01.04.2024',
    endDate: '',
    currency: 'EUR',
    paymentMethod: 'direct_debit',
    iban: 'DE89 3704 0044 0532 0130 00',
    accountHolder: 'Anna Müller',
    mandateReference: 'M-5001-01',
    mandateSignedOn: '15.03.2024',
    depositAmount: '1.830,00',
  },
  contract_units: { contractExternalId: 'V-5001', unitExternalId: 'W-111' },
  contract_parties: { contractExternalId: 'V-5001', personExternalId: 'P-1001', role: 'main_tenant' },
  rent_components: {
    contractExternalId: 'V-5001',
    kind: 'net_rent',
    amount: '610,00',
    validFrom: '01.04.2024',
    validTo: '',
    label: 'Nettokaltmiete',
  },
  ledger_entries: {
    externalId: 'L-900001',
    contractExternalId: 'V-5001',
    bookedOn: '01.05.2024',
    kind: 'charge',
    description: 'Miete Mai 2024',
    amount: '610,00',
    invoiceExternalId: 'R-2024-05-5001',
  },
  invoices: {
    externalId: 'R-2024-05-5001',
    contractExternalId: 'V-5001',
    number: '2024-05-5001',
    periodStart: '01.05.2024',
    periodEnd: '31.05.2024',
    issuedOn: '25.04.2024',
    dueOn: '03.05.2024',
    amount: '610,00',
    currency: 'EUR',
    paymentReference: 'RE 2024-05-5001',
    paidOn: '03.05.2024',
  },
  contractors: {
    externalId: 'H-300',
    name: 'Muster Sanitär GmbH',
    trades: 'plumbing; heating',
    contactPerson: 'Max Muster',
    phone: '+49 30 7654321',
    email: 'auftrag@muster-sanitaer.example',
    language: 'de',
    buildingExternalIds: 'B-110',
    active: '',
  },
};

function csvCell(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV template: UTF-8 with BOM (so Excel opens umlauts right), `;` separated, CRLF lines. */
export function csvTemplate(name: ImportTemplateName): Buffer {
  const columns = importFileColumns[name].map((column) => column.name);
  const example = importTemplateExamples[name];
  const lines = [columns, columns.map((column) => example[column] ?? '')].map((cells) =>
    cells.map(csvCell).join(';'),
  );
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

/** The workbook template: a sheet per file, typed cells (dates as dates, money as numbers). */
export async function xlsxTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const name of importTemplateNames) {
    const sheet = workbook.addWorksheet(name);
    const columns = importFileColumns[name];
    sheet.columns = columns.map((column) => ({
      header: column.name,
      key: column.name,
      width: Math.max(14, column.name.length + 4),
      style:
        column.type === 'date'
          ? { numFmt: 'dd.mm.yyyy' }
          : column.type === 'money'
            ? { numFmt: '#,##0.00' }
            : column.type === 'text'
              ? { numFmt: '@' }
              : {},
    }));
    sheet.getRow(1).font = { bold: true };
    const example = importTemplateExamples[name];
    const row: Record<string, string | number | Date> = {};
    for (const column of columns) {
      const text = example[column.name] ?? '';
      const converted = convertCell(text, column.type);
      if (!converted.ok || converted.value === undefined) continue;
      row[column.name] =
        column.type === 'date'
          ? new Date(`${converted.value}T00:00:00Z`)
          : column.type === 'money'
            ? Number(converted.value) / 100 // cents to a number cell; read back exactly (610.5 → 61050)
            : converted.value;
    }
    sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes `csv/<name>.csv` for every file and `import-template.xlsx` into `dir`; returns the paths. */
export async function writeImportTemplates(dir: string): Promise<string[]> {
  const csvDir = join(dir, 'csv');
  await mkdir(csvDir, { recursive: true });
  const paths: string[] = [];
  for (const name of importTemplateNames) {
    const path = join(csvDir, `${name}.csv`);
    await writeFile(path, csvTemplate(name));
    paths.push(path);
  }
  const workbookPath = join(dir, 'import-template.xlsx');
  await writeFile(workbookPath, await xlsxTemplate());
  paths.push(workbookPath);
  return paths;
}
