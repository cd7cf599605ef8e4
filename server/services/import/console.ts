import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../../deps.ts';
import { HttpError } from '../../lib/http-error.ts';
import { importFileNames } from './files/index.ts';

export interface ReceivedUpload {
  /** What the importer reads: the workbook, or the folder of CSV files. */
  path: string;
  /** The job's own folder, deleted when the job is over. */
  folder: string;
  label: string;
}

/** The record files, plus the PDFs a documents manifest names. */
const maxFiles = importFileNames.length + 1000;

/**
 * The console's upload: ONE workbook, or CSV files named as API.md names them. The files are written
 * under $DATA_DIR/imports/<random>/ by their checked names only (no path from the client), for the
 * worker thread to read; the file layer checks sizes, encodings and zip bombs.
 */
export async function receiveImportUpload(
  deps: Pick<Deps, 'config'>,
  files: File[],
): Promise<ReceivedUpload> {
  if (files.length === 0) throw new HttpError(400, 'file_required', 'Choose a workbook or the CSV files.');
  if (files.length > maxFiles)
    throw new HttpError(400, 'too_many_files', `At most ${maxFiles} files (one per kind of record).`);
  const workbooks = files.filter((file) => /\.xlsx$/i.test(file.name));
  const csvs = files.filter((file) => /\.csv$/i.test(file.name));
  const pdfs = files.filter((file) => /\.pdf$/i.test(file.name));
  if (
    workbooks.length + csvs.length + pdfs.length !== files.length ||
    (workbooks.length > 0 && csvs.length > 0) ||
    workbooks.length > 1 ||
    workbooks.length + csvs.length === 0
  )
    throw new HttpError(
      415,
      'import_file_type',
      'Send one .xlsx workbook or .csv files, and the PDFs the documents list names.',
    );
  const pdfNames = pdfs.map((file) => plainName(file.name));
  if (pdfNames.some((name) => name === null) || new Set(pdfNames).size !== pdfNames.length)
    throw new HttpError(400, 'import_file_name', 'A PDF has a name that cannot be stored, or is sent twice.');
  const names = csvs.map((file) => file.name.toLowerCase().replace(/^.*[\\/]/, ''));
  if (new Set(names).size !== names.length)
    throw new HttpError(400, 'duplicate_file', 'The same file name was sent twice.');
  const root = join(deps.config.dataDir, 'imports');
  mkdirSync(root, { recursive: true });
  const folder = mkdtempSync(join(root, 'upload-'));
  try {
    if (pdfs.length > 0) mkdirSync(join(folder, 'documents'));
    for (const [index, pdf] of pdfs.entries())
      writeFileSync(join(folder, 'documents', pdfNames[index]!), new Uint8Array(await pdf.arrayBuffer()));
    if (workbooks.length === 1) {
      const path = join(folder, 'workbook.xlsx');
      writeFileSync(path, new Uint8Array(await workbooks[0]!.arrayBuffer()));
      return { path, folder, label: workbooks[0]!.name.slice(0, 200) };
    }
    for (const [index, file] of csvs.entries()) {
      const name = names[index]!;
      // An unknown name is the file layer's located `unknown_file` problem; only the shape is checked here.
      if (!/^[a-z0-9_-]{1,64}\.csv$/.test(name))
        throw new HttpError(
          400,
          'import_file_name',
          `"${name.slice(0, 80)}" is not a file name of the import.`,
        );
      writeFileSync(join(folder, name), new Uint8Array(await file.arrayBuffer()));
    }
    return { path: folder, folder, label: names.join(', ').slice(0, 200) };
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** A file's own name without any path a client put in front; null when nothing storable is left. */
function plainName(name: string): string | null {
  const plain = name.replace(/^.*[\\/]/, '');
  return plain && plain !== '.' && plain !== '..' && !/[\p{Cc}]/u.test(plain) && plain.length <= 200
    ? plain
    : null;
}
