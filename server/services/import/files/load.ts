import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { z } from 'zod';
import {
  importRecordSchemas,
  type ImportEntity,
  type ImportProblem,
  type ImportRecords,
} from '../../../../shared/api/import.ts';
import { readCsvFile } from './csv.ts';
import { importFileEntity, importFileNameOf, importFileNames, type ImportFileName } from './layout.ts';
import { ProblemCollector } from './problems.ts';
import type { TableRow } from './table.ts';
import { readXlsxWorkbook } from './xlsx.ts';

/**
 * Turns a folder of CSV files or one XLSX workbook into the import records of
 * `shared/api/import.ts`, with every problem located by file and row. Rows stream from the
 * parsers; the records themselves are held in memory (see docs/import.md for the size this allows).
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

export interface ImportFileLocation {
  file: string;
  row: number;
}

export interface LoadedImportFiles {
  /** Only the rows that passed; when `problems` is not empty the load must be refused as a whole. */
  records: ImportRecords;
  problems: ImportProblem[];
  /** `${entity}:${externalId}` (entity as in ImportRecords, e.g. `ledgerEntries:L-1`) → where the record came from. */
  locations: Map<string, ImportFileLocation>;
}

export const importFileDefaults = {
  maxFileBytes: 100 * 1024 * 1024,
  maxUncompressedBytes: 500 * 1024 * 1024,
  maxCompressionRatio: 100,
  maxProblems: 1000,
} as const satisfies Required<LoadImportFilesOptions>;

interface Located extends TableRow {
  file: string;
}

/** A contract row and the rows of the nested files that name it, in file order. */
interface ContractDraft extends Located {
  units: Located[];
  parties: Located[];
  rentComponents: Located[];
  /** Nested lists with a refused row: their list-level checks (a main tenant, at least one unit) would mislead. */
  incomplete: Set<string>;
}

const nestedList = {
  contract_units: 'units',
  contract_parties: 'parties',
  rent_components: 'rentComponents',
} as const;
type NestedFile = keyof typeof nestedList;
const nestedRecordPath = {
  unitExternalIds: 'units',
  parties: 'parties',
  rentComponents: 'rentComponents',
} as const;

export async function loadImportFiles(
  path: string,
  options: LoadImportFilesOptions = {},
): Promise<LoadedImportFiles> {
  const limits = { ...importFileDefaults, ...options };
  const problems = new ProblemCollector(limits.maxProblems);
  const rows = new Map<ImportFileName, Located[]>(importFileNames.map((name) => [name, []]));
  const collect = (name: ImportFileName, file: string) => (row: TableRow) =>
    rows.get(name)?.push({ ...row, file });
  /** Files whose rows may be missing: checks that need all of them (references, list sizes) hold back. */
  const incomplete = new Set<ImportFileName>();
  const markIncomplete = (name: ImportFileName | null) => {
    for (const each of name ? [name] : importFileNames) incomplete.add(each);
  };

  const info = await stat(path).catch(() => null);
  if (!info) problems.add({ file: basename(path), code: 'not_found', message: `"${path}" does not exist` });
  else if (info.isDirectory()) await readFolder(path, limits, problems, collect, markIncomplete);
  else if (tooLarge(info.size, basename(path), limits.maxFileBytes, problems)) {
    // refused before reading
  } else if (extname(path).toLowerCase() === '.xlsx')
    await readXlsxWorkbook(
      path,
      limits,
      problems,
      (name, sheet, row) => collect(name, sheet)(row),
      markIncomplete,
    );
  else if (extname(path).toLowerCase() === '.csv' && importFileNameOf(basename(path, extname(path)))) {
    const name = importFileNameOf(basename(path, extname(path))) as ImportFileName;
    await readCsvFile(path, name, basename(path), problems, collect(name, basename(path)), () =>
      markIncomplete(name),
    );
  } else
    problems.add({
      file: basename(path),
      code: 'unsupported_file',
      message: 'give a folder of CSV files, one CSV file named after its records, or an .xlsx workbook',
    });

  const { records, locations } = assemble(rows, incomplete, problems);
  return { records, problems: problems.result(), locations };
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

async function readFolder(
  folder: string,
  limits: Required<LoadImportFilesOptions>,
  problems: ProblemCollector,
  collect: (name: ImportFileName, file: string) => (row: TableRow) => void,
  markIncomplete: (name: ImportFileName) => void,
): Promise<void> {
  const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const seen = new Map<ImportFileName, string>();
  const known = importFileNames.map((name) => `${name}.csv`).join(', ');
  let read = 0;
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
    read += 1;
    await readCsvFile(path, name, entry.name, problems, collect(name, entry.name), () =>
      markIncomplete(name),
    );
    if (problems.full) return;
  }
  if (read === 0 && problems.problems.length === 0)
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

function assemble(
  rows: Map<ImportFileName, Located[]>,
  incomplete: Set<ImportFileName>,
  problems: ProblemCollector,
): { records: ImportRecords; locations: Map<string, ImportFileLocation> } {
  const records: ImportRecords = {
    estates: [],
    buildings: [],
    units: [],
    persons: [],
    contracts: [],
    ledgerEntries: [],
    invoices: [],
    documents: [],
  };
  const locations = new Map<string, ImportFileLocation>();

  /** First sighting of a key wins; a second one is a located problem naming the first. */
  const claim = (entity: ImportEntity, row: Located): boolean => {
    if (row.key === null) return true;
    const earlier = locations.get(`${entity}:${row.key}`);
    if (earlier) {
      problems.add({
        entity,
        externalId: row.key,
        field: 'externalId',
        file: row.file,
        row: row.row,
        code: 'duplicate_external_id',
        message: `"${row.key}" already appears in ${earlier.file}, row ${earlier.row}`,
      });
      return false;
    }
    locations.set(`${entity}:${row.key}`, { file: row.file, row: row.row });
    return true;
  };

  for (const name of [
    'estates',
    'buildings',
    'units',
    'persons',
    'ledger_entries',
    'invoices',
    'documents',
  ] as const) {
    const entity = importFileEntity[name] as Exclude<ImportEntity, 'contracts'>;
    for (const row of rows.get(name) ?? []) {
      if (!claim(entity, row) || !row.ok) continue;
      const parsed = importRecordSchemas[entity].safeParse(row.values);
      if (parsed.success) (records[entity] as unknown[]).push(parsed.data);
      else
        for (const issue of parsed.error.issues) {
          const field = issue.path.join('.') || 'record';
          problems.add({
            entity,
            externalId: row.key,
            field,
            file: row.file,
            row: row.row,
            code: issueCode(issue),
            message: issueMessage(issue, field, row.values[String(issue.path[0])]),
          });
        }
    }
    // Its rows are records now: let the cells go before the next file's are converted.
    rows.set(name, []);
  }

  const drafts = new Map<string, ContractDraft>();
  for (const row of rows.get('contracts') ?? []) {
    if (!claim('contracts', row) || row.key === null) continue;
    drafts.set(row.key, { ...row, units: [], parties: [], rentComponents: [], incomplete: new Set() });
  }
  for (const file of Object.keys(nestedList) as NestedFile[])
    if (incomplete.has(file)) for (const draft of drafts.values()) draft.incomplete.add(nestedList[file]);
  for (const file of Object.keys(nestedList) as NestedFile[]) {
    for (const row of rows.get(file) ?? []) {
      const draft = row.key === null ? undefined : drafts.get(row.key);
      if (!draft) {
        // A contract row that could not be read is not an unknown contract.
        if (row.key !== null && !incomplete.has('contracts'))
          problems.add({
            entity: 'contracts',
            externalId: row.key,
            field: 'contractExternalId',
            file: row.file,
            row: row.row,
            code: 'unknown_contract',
            message: `no row in contracts has externalId "${row.key}"`,
          });
        continue;
      }
      if (row.ok) draft[nestedList[file]].push(row);
      else draft.incomplete.add(nestedList[file]);
    }
  }

  for (const draft of drafts.values()) {
    const candidate = {
      ...draft.values,
      unitExternalIds: draft.units.map((row) => row.values.unitExternalId),
      parties: draft.parties.map(({ values }) => ({
        personExternalId: values.personExternalId,
        role: values.role,
      })),
      rentComponents: draft.rentComponents.map(({ values }) => {
        const { contractExternalId: _contract, ...component } = values;
        void _contract;
        return component;
      }),
    };
    const parsed = importRecordSchemas.contracts.safeParse(candidate);
    if (parsed.success) {
      if (draft.ok && draft.incomplete.size === 0) records.contracts.push(parsed.data);
      continue;
    }
    for (const issue of parsed.error.issues) {
      const [root, index, leaf] = issue.path;
      const list =
        typeof root === 'string' ? nestedRecordPath[root as keyof typeof nestedRecordPath] : undefined;
      if (list && draft.incomplete.has(list)) continue;
      const nested = list && typeof index === 'number' ? draft[list][index] : undefined;
      if (nested) {
        const field = typeof leaf === 'string' ? leaf : list === 'units' ? 'unitExternalId' : String(root);
        problems.add({
          entity: 'contracts',
          externalId: draft.key,
          field,
          file: nested.file,
          row: nested.row,
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
        externalId: draft.key,
        field,
        file: draft.file,
        row: draft.row,
        code: emptyList ? 'required' : issueCode(issue),
        message: emptyList ?? issueMessage(issue, field, draft.values[field]),
      });
    }
  }
  return { records, locations };
}
