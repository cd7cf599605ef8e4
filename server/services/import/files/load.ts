import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { z } from 'zod';
import {
  importEntities,
  importRecordSchemas,
  type ImportEntity,
  type ImportProblem,
  type ImportRecords,
} from '../../../../shared/api/import.ts';
import { maxListedProblems, ProblemCollector } from '../problems.ts';
import { sliceSize, type ImportSource, type RecordLocation, type RecordSlice } from '../source.ts';
import { readCsvFile } from './csv.ts';
import { importFileNameOf, importFileNames, type ImportFileName } from './layout.ts';
import type { TableRow } from './table.ts';

/**
 * Turns a folder of CSV files or one XLSX workbook into a source of the import records of
 * `shared/api/import.ts` (source.ts), with every problem located by file and row. CSV files are
 * read as the importer asks for their entity, row by row: memory holds one slice of ledger entries,
 * never the file. A workbook is read whole (see xlsx.ts), so very large loads come as CSV.
 * Nothing here touches the store: the importer checks references against it and applies.
 */

export interface LoadImportFilesOptions {
  /** Files larger than this are refused before a byte is read (default 100 MB). */
  maxFileBytes?: number;
  /** A workbook whose parts unpack to more than this is refused before inflating (default 500 MB). */
  maxUncompressedBytes?: number;
  /** A workbook part compressed more than this (uncompressed : compressed) is a zip bomb (default 100). */
  maxCompressionRatio?: number;
  /** Problems listed at most; a closing `too_many_problems` says when there were more (default 1000). */
  maxProblems?: number;
}

export const importFileDefaults = {
  // A landlord of 50,000 flats writes 1.3 million ledger entries: about 65 MB of CSV.
  maxFileBytes: 100 * 1024 * 1024,
  maxUncompressedBytes: 500 * 1024 * 1024,
  maxCompressionRatio: 100,
  maxProblems: maxListedProblems,
} as const satisfies Required<LoadImportFilesOptions>;

interface Located extends TableRow {
  file: string;
}

/** Where the rows of each file come from: a CSV file read on demand, or a sheet read already. */
type RowSource = { kind: 'csv'; path: string; file: string } | { kind: 'rows'; rows: Located[] };

/** The file whose rows make an entity's records (the contracts' nested files are read with them). */
const fileOfEntity = {
  estates: 'estates',
  buildings: 'buildings',
  units: 'units',
  persons: 'persons',
  contracts: 'contracts',
  ledgerEntries: 'ledger_entries',
  invoices: 'invoices',
  documents: 'documents',
  contractors: 'contractors',
} as const satisfies Record<ImportEntity, ImportFileName>;

const nestedList = {
  contract_units: 'units',
  contract_parties: 'parties',
  rent_components: 'rentComponents',
} as const;
type NestedFile = keyof typeof nestedList;
type NestedList = (typeof nestedList)[NestedFile];
const nestedRecordPath = {
  unitExternalIds: 'units',
  parties: 'parties',
  rentComponents: 'rentComponents',
} as const;

/** The rows of the nested files that name one contract, in file order. */
type ContractLists = Record<NestedList, Located[]>;

export interface ImportFileSource extends ImportSource {
  /** Every file of the load was found unusable before reading its rows (nothing to load). */
  readonly empty: boolean;
}

/**
 * Opens a load of files: checks the folder (unknown, doubled and oversized files) or the workbook
 * (zip guard, sheets) now, and reads the rows later, entity by entity, as the importer asks.
 */
export async function openImportFiles(
  path: string,
  options: LoadImportFilesOptions = {},
): Promise<ImportFileSource> {
  const limits = { ...importFileDefaults, ...options };
  const problems = new ProblemCollector(limits.maxProblems);
  const sources = new Map<ImportFileName, RowSource>();
  /** Files whose rows may be missing: checks that need all of them (references, list sizes) hold back. */
  const incomplete = new Set<ImportFileName>();
  const markIncomplete = (name: ImportFileName | null) => {
    for (const each of name ? [name] : importFileNames) incomplete.add(each);
  };
  const progress = { done: 0, total: 0 };

  const info = await stat(path).catch(() => null);
  if (!info) problems.add({ file: basename(path), code: 'not_found', message: `"${path}" does not exist` });
  else if (info.isDirectory()) await planFolder(path, limits, problems, sources, progress, markIncomplete);
  else if (tooLarge(info.size, basename(path), limits.maxFileBytes, problems)) {
    // refused before reading
  } else if (extname(path).toLowerCase() === '.xlsx') {
    const rows = new Map<ImportFileName, Located[]>();
    // The workbook reader (exceljs) is large: loaded only for workbooks.
    const { readXlsxWorkbook } = await import('./xlsx.ts');
    await readXlsxWorkbook(
      path,
      limits,
      problems,
      (name, sheet, row) => {
        let list = rows.get(name);
        if (!list) rows.set(name, (list = []));
        list.push({ ...row, file: sheet });
      },
      markIncomplete,
    );
    for (const [name, list] of rows) {
      sources.set(name, { kind: 'rows', rows: list });
      progress.total += list.length;
    }
  } else if (extname(path).toLowerCase() === '.csv' && importFileNameOf(basename(path, extname(path)))) {
    const name = importFileNameOf(basename(path, extname(path))) as ImportFileName;
    sources.set(name, { kind: 'csv', path, file: basename(path) });
    progress.total += info.size;
  } else
    problems.add({
      file: basename(path),
      code: 'unsupported_file',
      message: 'give a folder of CSV files, one CSV file named after its records, or an .xlsx workbook',
    });

  /** The rows of one file, streamed (CSV) or from the workbook read before. */
  async function* rowsOf(name: ImportFileName): AsyncGenerator<Located> {
    const source = sources.get(name);
    if (!source) return;
    if (source.kind === 'rows') {
      for (const row of source.rows) {
        progress.done++;
        yield row;
      }
      // Its rows are records now: let the cells go.
      source.rows = [];
      return;
    }
    for await (const row of readCsvFile(
      source.path,
      name,
      source.file,
      problems,
      () => markIncomplete(name),
      (bytes) => (progress.done += bytes),
    )) {
      yield { ...row, file: source.file };
      if (problems.full) return;
    }
  }

  return {
    problems,
    empty: sources.size === 0,
    progress: () => ({ ...progress }),
    slices: <E extends ImportEntity>(entity: E) =>
      (entity === 'contracts'
        ? contractSlices(rowsOf, incomplete, problems)
        : recordSlices(entity, rowsOf(fileOfEntity[entity]), problems)) as AsyncIterable<RecordSlice<E>>,
  };
}

function tooLarge(size: number, file: string, max: number, problems: ProblemCollector): boolean {
  if (size <= max) return false;
  problems.add({
    file,
    code: 'file_too_large',
    message: `the file has ${size} bytes, more than the limit of ${max}`,
  });
  return true;
}

async function planFolder(
  folder: string,
  limits: Required<LoadImportFilesOptions>,
  problems: ProblemCollector,
  sources: Map<ImportFileName, RowSource>,
  progress: { total: number },
  markIncomplete: (name: ImportFileName) => void,
): Promise<void> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const seen = new Map<ImportFileName, string>();
  const known = importFileNames.map((name) => `${name}.csv`).join(', ');
  for (const entry of entries) {
    // Hidden files (.DS_Store) and sub-folders (e.g. documents) are not record files, and PDFs are
    // the documents the `documents` list names (services/import/documents.ts checks them).
    if (entry.name.startsWith('.') || entry.isDirectory()) continue;
    const extension = extname(entry.name);
    if (extension.toLowerCase() === '.pdf') continue;
    const name =
      extension.toLowerCase() === '.csv' ? importFileNameOf(basename(entry.name, extension)) : null;
    if (!name) {
      problems.add({
        file: entry.name,
        code: 'unknown_file',
        message: `unknown file "${entry.name}"; known files: ${known}`,
      });
      continue;
    }
    const earlier = seen.get(name);
    if (earlier) {
      problems.add({
        file: entry.name,
        code: 'duplicate_file',
        message: `"${entry.name}" and "${earlier}" hold the same records`,
      });
      continue;
    }
    seen.set(name, entry.name);
    const path = join(folder, entry.name);
    const size = (await stat(path)).size;
    if (tooLarge(size, entry.name, limits.maxFileBytes, problems)) {
      markIncomplete(name);
      continue;
    }
    sources.set(name, { kind: 'csv', path, file: entry.name });
    progress.total += size;
  }
  if (seen.size === 0 && problems.problems.length === 0)
    problems.add({ file: basename(folder), code: 'no_files', message: `the folder holds none of ${known}` });
}

/** A zod issue's code: the schema's own snake_case message (`invalid_date`, `end_before_start`) or zod's code. */
function issueCode(issue: z.core.$ZodIssue): string {
  return /^[a-z][a-z0-9_]*$/.test(issue.message) ? issue.message : issue.code;
}

function issueMessage(issue: z.core.$ZodIssue, field: string, value: unknown): string {
  const code = issueCode(issue);
  const base = code === issue.message ? `${field}: ${code.replace(/_/g, ' ')}` : `${field}: ${issue.message}`;
  return typeof value === 'string' || typeof value === 'number' ? `${base} (got "${value}")` : base;
}

const at = (row: Located): RecordLocation => ({ file: row.file, row: row.row });
const emptySlice = <E extends ImportEntity>(): RecordSlice<E> => ({
  records: [],
  at: [],
  refused: [],
});

/** The rows of one file as records of its entity, slice by slice. */
async function* recordSlices<E extends Exclude<ImportEntity, 'contracts'>>(
  entity: E,
  rows: AsyncIterable<Located>,
  problems: ProblemCollector,
): AsyncGenerator<RecordSlice<E>> {
  const schema = importRecordSchemas[entity];
  let slice = emptySlice<E>();
  for await (const row of rows) {
    const parsed = row.ok ? schema.safeParse(row.values) : null;
    if (parsed?.success) {
      (slice.records as unknown[]).push(parsed.data);
      slice.at.push(at(row));
    } else {
      for (const issue of parsed?.error.issues ?? []) {
        const field = issue.path.join('.') || 'record';
        problems.add({
          entity,
          externalId: row.key,
          field,
          ...at(row),
          code: issueCode(issue),
          message: issueMessage(issue, field, row.values[String(issue.path[0])]),
        });
      }
      if (row.key !== null) slice.refused.push({ externalId: row.key, at: at(row) });
    }
    if (slice.records.length + slice.refused.length >= sliceSize) {
      yield slice;
      slice = emptySlice<E>();
    }
  }
  yield slice;
}

/**
 * Contracts with their nested lists: the nested files first (a landlord's contracts' units,
 * parties and rent fit in memory; its ledger does not), then the contracts file, each row joined
 * with the nested rows that name it. A nested row whose contract is not in the load is located.
 */
async function* contractSlices(
  rowsOf: (name: ImportFileName) => AsyncIterable<Located>,
  incomplete: ReadonlySet<ImportFileName>,
  problems: ProblemCollector,
): AsyncGenerator<RecordSlice<'contracts'>> {
  const lists = new Map<string, ContractLists & { incomplete: Set<NestedList> }>();
  for (const file of Object.keys(nestedList) as NestedFile[]) {
    for await (const row of rowsOf(file)) {
      if (row.key === null) continue;
      let entry = lists.get(row.key);
      if (!entry)
        lists.set(row.key, (entry = { units: [], parties: [], rentComponents: [], incomplete: new Set() }));
      if (row.ok) entry[nestedList[file]].push(row);
      else entry.incomplete.add(nestedList[file]);
    }
  }
  const seen = new Map<string, RecordLocation>();
  let slice = emptySlice<'contracts'>();
  for await (const row of rowsOf('contracts')) {
    if (row.key === null) continue;
    const earlier = seen.get(row.key);
    if (earlier) {
      problems.add({
        entity: 'contracts',
        externalId: row.key,
        field: 'externalId',
        ...at(row),
        code: 'duplicate_external_id',
        message: `"${row.key}" already appears in ${earlier.file}, row ${earlier.row}`,
      });
      continue;
    }
    seen.set(row.key, at(row));
    const entry = lists.get(row.key) ?? { units: [], parties: [], rentComponents: [], incomplete: new Set() };
    lists.delete(row.key);
    for (const file of Object.keys(nestedList) as NestedFile[])
      if (incomplete.has(file)) entry.incomplete.add(nestedList[file]);
    const record = contractRecord(row, entry, problems);
    if (record && row.ok && entry.incomplete.size === 0) {
      slice.records.push(record);
      slice.at.push(at(row));
    } else slice.refused.push({ externalId: row.key, at: at(row) });
    if (slice.records.length + slice.refused.length >= sliceSize) {
      yield slice;
      slice = emptySlice<'contracts'>();
    }
  }
  // A contract row that could not be read is not an unknown contract.
  if (!incomplete.has('contracts'))
    for (const [key, entry] of lists)
      for (const row of [...entry.units, ...entry.parties, ...entry.rentComponents].sort(
        (a, b) => a.file.localeCompare(b.file) || a.row - b.row,
      ))
        problems.add({
          entity: 'contracts',
          externalId: key,
          field: 'contractExternalId',
          ...at(row),
          code: 'unknown_contract',
          message: `no row in contracts has externalId "${key}"`,
        });
  yield slice;
}

/** One contract row with its nested rows, checked as one record; null (problems located) when refused. */
function contractRecord(
  row: Located,
  lists: ContractLists & { incomplete: Set<NestedList> },
  problems: ProblemCollector,
): ImportRecords['contracts'][number] | null {
  const candidate = {
    ...row.values,
    unitExternalIds: lists.units.map((unit) => unit.values.unitExternalId),
    parties: lists.parties.map(({ values }) => ({
      personExternalId: values.personExternalId,
      role: values.role,
    })),
    rentComponents: lists.rentComponents.map(({ values }) => {
      const { contractExternalId: _contract, ...component } = values;
      void _contract;
      return component;
    }),
  };
  const parsed = importRecordSchemas.contracts.safeParse(candidate);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const [root, index, leaf] = issue.path;
    const list =
      typeof root === 'string' ? nestedRecordPath[root as keyof typeof nestedRecordPath] : undefined;
    if (list && lists.incomplete.has(list)) continue;
    const nested = list && typeof index === 'number' ? lists[list][index] : undefined;
    if (nested) {
      const field = typeof leaf === 'string' ? leaf : list === 'units' ? 'unitExternalId' : String(root);
      problems.add({
        entity: 'contracts',
        externalId: row.key,
        field,
        ...at(nested),
        code: issueCode(issue),
        message: issueMessage(issue, field, nested.values[field]),
      });
      continue;
    }
    const field = issue.path.join('.') || 'record';
    const emptyList =
      issue.code === 'too_small' && list
        ? `the contract has no row in ${list === 'units' ? 'contract_units' : 'contract_parties'}`
        : null;
    problems.add({
      entity: 'contracts',
      externalId: row.key,
      field,
      ...at(row),
      code: emptyList ? 'required' : issueCode(issue),
      message: emptyList ?? issueMessage(issue, field, row.values[field]),
    });
  }
  return null;
}

export interface LoadedImportFiles {
  /** Only the records that passed; when `problems` is not empty the load must be refused as a whole. */
  records: ImportRecords;
  problems: ImportProblem[];
}

/**
 * Every record of a load of files at once, for small loads and checks of the file layer alone;
 * the importer reads the source slice by slice instead (openImportFiles).
 */
export async function loadImportFiles(
  path: string,
  options: LoadImportFilesOptions = {},
): Promise<LoadedImportFiles> {
  const source = await openImportFiles(path, options);
  const records = Object.fromEntries(
    importEntities.map((entity) => [entity, []]),
  ) as unknown as ImportRecords;
  for (const entity of importEntities)
    for await (const slice of source.slices(entity)) (records[entity] as unknown[]).push(...slice.records);
  return { records, problems: source.problems.result() };
}
