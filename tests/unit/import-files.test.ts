import { mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRecordSchemas } from '../../shared/api/import.ts';
import {
  csvTemplate,
  importFileColumns,
  importFileNames,
  loadImportFiles,
  writeImportTemplates,
} from '../../server/services/import/files/index.ts';

let root: string;
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'portier-import-files-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh folder with the given files (strings are written as UTF-8, buffers as they are). */
async function folder(files: Record<string, string | Buffer>): Promise<string> {
  const dir = join(root, `load-${(counter += 1)}`);
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return dir;
}

const codes = (problems: { code: string }[]) => problems.map((problem) => problem.code);

const estates = 'externalId;name;city;country\nE-1;Lindenhof;Berlin;DE\n';
const contractFiles = {
  'contracts.csv':
    'externalId;number;kind;startDate;currency;paymentMethod;depositAmount\n' +
    'V-1;1;residential;01.04.2024;EUR;transfer;1.830,00\n',
  'contract_units.csv': 'contractExternalId;unitExternalId\nV-1;W-1\n',
  'contract_parties.csv': 'contractExternalId;personExternalId;role\nV-1;P-1;main_tenant\n',
  'rent_components.csv':
    'contractExternalId;kind;amount;validFrom;validTo;label\nV-1;net_rent;610,00;01.04.2024;;Miete\n',
};

describe('templates', () => {
  it('load back through loadImportFiles with zero problems, CSV and XLSX alike', async () => {
    const dir = join(root, 'templates');
    await writeImportTemplates(dir);
    const fromCsv = await loadImportFiles(join(dir, 'csv'));
    const fromXlsx = await loadImportFiles(join(dir, 'import-template.xlsx'));
    expect(fromCsv.problems).toEqual([]);
    expect(fromXlsx.problems).toEqual([]);
    // One example record per entity; documents have no template (their PDFs are the landlord's own).
    for (const records of [fromCsv.records, fromXlsx.records])
      for (const [entity, list] of Object.entries(records))
        expect(list, entity).toHaveLength(entity === 'documents' ? 0 : 1);
    expect(fromXlsx.records).toEqual(fromCsv.records);
    expect(fromCsv.records.contracts[0]).toMatchObject({
      startDate: '2024-04-01',
      depositAmount: 183000,
      unitExternalIds: ['W-111'],
      parties: [{ personExternalId: 'P-1001', role: 'main_tenant' }],
      rentComponents: [{ kind: 'net_rent', amount: 61000, validFrom: '2024-04-01', label: 'Nettokaltmiete' }],
    });
  });

  it('CSV templates start with a BOM and are ; separated', () => {
    const text = csvTemplate('units').toString('utf8');
    expect(text.startsWith('\uFEFFexternalId;buildingExternalId;number;kind')).toBe(true);
  });

  it('every record field has a column (the file layout follows the contract)', () => {
    const nested = ['unitExternalIds', 'parties', 'rentComponents'];
    const shapes = {
      estates: importRecordSchemas.estates.shape,
      buildings: importRecordSchemas.buildings.shape,
      units: importRecordSchemas.units.shape,
      ledger_entries: importRecordSchemas.ledgerEntries.shape,
      documents: importRecordSchemas.documents.shape,
      contractors: importRecordSchemas.contractors.shape,
    } as const;
    for (const [file, shape] of Object.entries(shapes))
      expect(importFileColumns[file as keyof typeof shapes].map((column) => column.name).sort()).toEqual(
        Object.keys(shape).sort(),
      );
    expect(importFileNames).toHaveLength(12);
    expect(
      nested.every((field) => !importFileColumns.contracts.some((column) => column.name === field)),
    ).toBe(true);
  });
});

describe('CSV as German and Swedish spreadsheets write it', () => {
  it('reads Windows-1252 with ; and UTF-8 with BOM and , in one load', async () => {
    const dir = await folder({
      'persons.csv': iconv.encode(
        'externalId;kind;firstName;lastName\nP-1;natural;Jürgen;Müller-Lüdenscheidt\n',
        'win1252',
      ),
      'estates.csv': Buffer.from('\uFEFFexternalId,name,city,country\nE-1,"Gården, Söder",Göteborg,SE\n'),
    });
    const { records, problems } = await loadImportFiles(dir);
    expect(problems).toEqual([]);
    expect(records.persons[0]).toMatchObject({ firstName: 'Jürgen', lastName: 'Müller-Lüdenscheidt' });
    expect(records.estates[0]).toMatchObject({ name: 'Gården, Söder', city: 'Göteborg' });
  });

  it('reads Swedish amounts with a space as thousands separator and keeps formula text as text', async () => {
    const dir = await folder({
      'ledger_entries.csv':
        'externalId;contractExternalId;bookedOn;kind;description;amount\n' +
        'L-1;V-1;2026-01-31;charge;=HYPERLINK("x");1\u00a0234,50\n' +
        'L-2;V-1;31.01.2026;payment;+Zahlung;-12,50\n',
    });
    const { records, problems } = await loadImportFiles(dir);
    expect(problems).toEqual([]);
    expect(records.ledgerEntries.map((entry) => [entry.description, entry.amount])).toEqual([
      ['=HYPERLINK("x")', 123450],
      ['+Zahlung', -1250],
    ]);
  });

  it('joins the nested files into their contract', async () => {
    const { records, problems } = await loadImportFiles(await folder(contractFiles));
    expect(problems).toEqual([]);
    expect(records.contracts).toEqual([
      {
        externalId: 'V-1',
        number: '1',
        kind: 'residential',
        startDate: '2024-04-01',
        currency: 'EUR',
        paymentMethod: 'transfer',
        depositAmount: 183000,
        unitExternalIds: ['W-1'],
        parties: [{ personExternalId: 'P-1', role: 'main_tenant' }],
        rentComponents: [{ kind: 'net_rent', amount: 61000, validFrom: '2024-04-01', label: 'Miete' }],
      },
    ]);
  });
});

describe('bad input: every problem located, none a crash', () => {
  it('names file, row, field and code for bad cells and columns, and collects them all', async () => {
    const dir = await folder({
      'units.csv':
        'externalId;buildingExternalId;number;kind;colour\n' +
        'W-1;B-1;1;flat;red\n' +
        'W-2;B-1;2;flat\n' +
        'W-3;;3;flat;blue\n' +
        'W-4;B-1;4;villa;green\n',
      'rent_components.csv':
        'contractExternalId;kind;amount;validFrom\n' +
        'V-1;net_rent;1,234,56;01.04.2024\n' +
        'V-1;net_rent;1.610,005;31.02.2026\n' +
        'V-1;net_rent;;01.04.2024\n',
      'contracts.csv': 'externalId;number;kind;currency;paymentMethod\nV-1;1;residential;EUR;transfer\n',
    });
    const { problems, records } = await loadImportFiles(dir);
    const located = problems.map(({ file, row, field, code }) => ({ file, row, field, code }));
    expect(located).toEqual(
      expect.arrayContaining([
        { file: 'units.csv', row: 1, field: 'colour', code: 'unknown_column' },
        { file: 'units.csv', row: 3, field: null, code: 'column_count' },
        { file: 'units.csv', row: 4, field: 'buildingExternalId', code: 'required' },
        { file: 'units.csv', row: 5, field: 'kind', code: 'invalid_value' },
        { file: 'rent_components.csv', row: 2, field: 'amount', code: 'invalid_grouping' },
        { file: 'rent_components.csv', row: 3, field: 'amount', code: 'too_many_decimals' },
        { file: 'rent_components.csv', row: 3, field: 'validFrom', code: 'invalid_date' },
        { file: 'rent_components.csv', row: 4, field: 'amount', code: 'required' },
        { file: 'contracts.csv', row: 1, field: 'startDate', code: 'missing_column' },
      ]),
    );
    expect(problems.find((problem) => problem.field === 'kind')?.message).toContain('villa');
    expect(records.units.map((unit) => unit.externalId)).toEqual(['W-1']);
  });

  it('refuses an unclosed quote at its row and goes on with the other files', async () => {
    const dir = await folder({
      'estates.csv': 'externalId;name;city;country\nE-1;"Lindenhof;Berlin;DE\nE-2;Eichhof;Bonn;DE\n',
      'buildings.csv': 'externalId;estateExternalId\n',
    });
    const { problems } = await loadImportFiles(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'estates.csv', row: 2, code: 'unclosed_quote' }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'buildings.csv', code: 'missing_column' }),
    );
  });

  it('refuses a file mixing UTF-8 and Windows-1252, at the first bad line', async () => {
    const content = Buffer.concat([
      Buffer.from('externalId;name;city;country\nE-1;Gärten;Köln;DE\n', 'utf8'),
      iconv.encode('E-2;Müller;Köln;DE\n', 'win1252'),
    ]);
    const { problems } = await loadImportFiles(await folder({ 'estates.csv': content }));
    expect(problems).toEqual([
      expect.objectContaining({ file: 'estates.csv', row: 3, code: 'mixed_encoding' }),
    ]);
  });

  it('refuses binary garbage, UTF-16 and unknown file names, listing the known ones', async () => {
    const garbage = Buffer.alloc(4096);
    for (let index = 0; index < garbage.length; index += 1) garbage[index] = (index * 7919) % 256;
    const dir = await folder({
      'estates.csv': garbage,
      'units.csv': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('externalId', 'utf16le')]),
      'mieter.csv': estates,
      '.DS_Store': 'ignored',
    });
    const { problems } = await loadImportFiles(dir);
    // The folder is checked before any file is read; then each file as its records are read.
    expect(problems.map(({ file, code }) => ({ file, code }))).toEqual([
      { file: 'mieter.csv', code: 'unknown_file' },
      { file: 'estates.csv', code: 'binary_file' },
      { file: 'units.csv', code: 'unsupported_encoding' },
    ]);
    expect(problems[0]?.message).toContain('contract_parties.csv');
  });

  it('refuses a 200 MB file by its size, before reading it', async () => {
    const dir = await folder({});
    const handle = await open(join(dir, 'ledger_entries.csv'), 'w');
    await handle.truncate(200 * 1024 * 1024); // sparse: costs no disk, would cost seconds to read
    await handle.close();
    const started = Date.now();
    const { problems } = await loadImportFiles(dir);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'ledger_entries.csv', code: 'file_too_large' }),
    ]);
    expect(Date.now() - started).toBeLessThan(1000);
    const small = await loadImportFiles(await folder({ 'estates.csv': estates }), { maxFileBytes: 10 });
    expect(codes(small.problems)).toEqual(['file_too_large']);
  });

  it('locates nested rows: unknown contracts, bad roles, missing units, duplicate keys', async () => {
    const dir = await folder({
      ...contractFiles,
      'contracts.csv':
        'externalId;number;kind;startDate;currency;paymentMethod\n' +
        'V-1;1;residential;01.04.2024;EUR;transfer\n' +
        'V-2;2;residential;01.04.2024;EUR;transfer\n' +
        'V-1;3;residential;01.04.2024;EUR;transfer\n',
      'contract_parties.csv':
        'contractExternalId;personExternalId;role\nV-1;P-1;main_tenant\nV-1;P-2;landlord\nV-2;P-3;main_tenant\n',
      'rent_components.csv': 'contractExternalId;kind;amount;validFrom\nV-9;net_rent;610,00;01.04.2024\n',
    });
    const { problems, records } = await loadImportFiles(dir);
    expect(problems.map(({ file, row, field, code }) => ({ file, row, field, code }))).toEqual(
      expect.arrayContaining([
        { file: 'contracts.csv', row: 4, field: 'externalId', code: 'duplicate_external_id' },
        { file: 'rent_components.csv', row: 2, field: 'contractExternalId', code: 'unknown_contract' },
        { file: 'contract_parties.csv', row: 3, field: 'role', code: 'invalid_value' },
        { file: 'contracts.csv', row: 3, field: 'unitExternalIds', code: 'required' },
      ]),
    );
    expect(records.contracts).toEqual([]);
  });

  it('caps the list and says so', async () => {
    const rows = Array.from({ length: 50 }, (_, index) => `E-${index};;Berlin;DE`).join('\n');
    const { problems } = await loadImportFiles(
      await folder({ 'estates.csv': `externalId;name;city;country\n${rows}\n` }),
      {
        maxProblems: 5,
      },
    );
    expect(codes(problems)).toEqual([
      'required',
      'required',
      'required',
      'required',
      'required',
      'too_many_problems',
    ]);
  });
});

describe('XLSX workbooks', () => {
  async function workbook(build: (book: ExcelJS.Workbook) => void): Promise<string> {
    const book = new ExcelJS.Workbook();
    build(book);
    const path = join(root, `book-${(counter += 1)}.xlsx`);
    await writeFile(path, Buffer.from(await book.xlsx.writeBuffer()));
    return path;
  }

  it('reads date and number cells, refuses formula cells and unknown sheets', async () => {
    const path = await workbook((book) => {
      const sheet = book.addWorksheet('ledger_entries');
      sheet.addRow(['externalId', 'contractExternalId', 'bookedOn', 'kind', 'description', 'amount']);
      sheet.addRow(['L-1', 'V-1', new Date('2026-01-31T00:00:00Z'), 'charge', '=SUM(A1)', 1234.5]);
      sheet.addRow(['L-2', 'V-1', '31.01.2026', 'charge', 'Miete', { formula: 'B2*2', result: 2469 }]);
      sheet.getCell('C2').numFmt = 'dd.mm.yyyy';
      book.addWorksheet('Notizen').addRow(['hallo']);
    });
    const { records, problems } = await loadImportFiles(path);
    expect(records.ledgerEntries).toEqual([
      expect.objectContaining({
        externalId: 'L-1',
        bookedOn: '2026-01-31',
        description: '=SUM(A1)',
        amount: 123450,
      }),
    ]);
    expect(problems.map(({ file, row, field, code }) => ({ file, row, field, code }))).toEqual([
      { file: 'ledger_entries', row: 3, field: 'amount', code: 'formula_cell' },
      { file: 'Notizen', row: undefined, field: null, code: 'unknown_sheet' },
    ]);
  });

  it('refuses a workbook that is not a zip', async () => {
    const path = join(root, 'fake.xlsx');
    await writeFile(path, 'externalId;name\nE-1;x\n');
    expect(codes((await loadImportFiles(path)).problems)).toEqual(['not_a_workbook']);
  });

  it('refuses a zip bomb by its central directory before inflating it', async () => {
    const path = await workbook((book) => {
      book.addWorksheet('estates').addRow(['externalId', 'name', 'city', 'country']);
      book.getWorksheet('estates')?.addRow(['E-1', 'a'.repeat(3_000_000), 'Berlin', 'DE']);
    });
    expect((await readFile(path)).length).toBeLessThan(100_000);
    expect(codes((await loadImportFiles(path)).problems)).toEqual(['zip_bomb']);
    const templates = join(root, 'templates-limits');
    await writeImportTemplates(templates);
    const small = await loadImportFiles(join(templates, 'import-template.xlsx'), {
      maxUncompressedBytes: 10_000,
    });
    expect(codes(small.problems)).toEqual(['xlsx_too_large']);
  });
});
