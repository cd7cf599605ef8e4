import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ImportDocument, ImportProblem } from '../../../shared/api/import.ts';
import { MAX_UPLOAD_BYTES } from '../../files/limits.ts';
import { removePdfActiveContent } from '../../files/pdf-active-content.ts';
import type { FileStore } from '../../files/store.ts';
import { HttpError } from '../../lib/http-error.ts';

/** Where a load's PDFs are: the folder of CSV files, or the folder the workbook lies in. */
export const folderOfLoad = (path: string): string => (/\.xlsx$/i.test(path) ? dirname(path) : path);

/** A document's PDF, cleaned and (unless the load is only checked) in the file store. */
export interface PreparedDocumentFile {
  sha256: string;
  size: number;
}

const problemOf = (document: ImportDocument, code: string, message: string): ImportProblem => ({
  entity: 'documents',
  externalId: document.externalId,
  field: 'file',
  code,
  message,
});

/**
 * The PDFs a load's manifest names (issue 14 item 4), found beside the load's files or in its
 * `documents/` folder by their plain names. Each goes through the same checks as a staff upload:
 * at most 15 MB, a real PDF, active content removed (pdf-lib); an encrypted or damaged PDF is a
 * located problem. Stored content-addressed, so the same PDF in tomorrow's load is the same file.
 */
export async function prepareImportDocuments(
  documents: readonly ImportDocument[],
  folder: string,
  store: FileStore,
  options: { store: boolean },
): Promise<{ files: Map<string, PreparedDocumentFile>; problems: ImportProblem[] }> {
  const files = new Map<string, PreparedDocumentFile>();
  const problems: ImportProblem[] = [];
  for (const document of documents) {
    const path = [join(folder, 'documents', document.file), join(folder, document.file)].find((candidate) =>
      existsSync(candidate),
    );
    if (!path) {
      problems.push(
        problemOf(document, 'file_not_found', `"${document.file}" is not among the load's files.`),
      );
      continue;
    }
    if ((await stat(path)).size > MAX_UPLOAD_BYTES) {
      problems.push(problemOf(document, 'file_too_large', 'A document is at most 15 MB.'));
      continue;
    }
    const bytes = await readFile(path);
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
      problems.push(problemOf(document, 'not_a_pdf', `"${document.file}" is not a PDF.`));
      continue;
    }
    let clean: Uint8Array;
    try {
      clean = await removePdfActiveContent(bytes);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      problems.push(problemOf(document, error.code, error.message));
      continue;
    }
    const stored = options.store
      ? await store.put(clean)
      : { sha256: createHash('sha256').update(clean).digest('hex'), size: clean.byteLength };
    files.set(document.externalId, stored);
  }
  return { files, problems };
}

/** The document step of a load of files (apply.ts): its PDFs beside the files at `path`. */
export function documentPreparer(path: string, store: FileStore, options: { store: boolean }) {
  return (documents: readonly ImportDocument[]) =>
    prepareImportDocuments(documents, folderOfLoad(path), store, options);
}
