import {
  EncryptedPDFError,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFStream,
  PDFString,
  type PDFObject,
} from 'pdf-lib';
import { HttpError } from '../lib/http-error.ts';

/*
 * Uploaded PDFs lose their active content before they are stored (issue 13 finding 6): a PDF with
 * `/OpenAction` JavaScript ran its script in Chromium's viewer, where the sandbox CSP of served files
 * does not reach. Documents staff publish are such uploads too, and tenants open them inline.
 *
 * The whole file is rewritten from what pdf-lib parsed, never patched in place: a viewer that reads
 * another revision or object than the parser did (incremental updates, a lying xref table) then has
 * nothing else to read. The cost: a digital signature over the original bytes no longer verifies.
 */

/**
 * Keys that only ever carry active or embedded content (ISO 32000-1): actions run on open and on
 * events (§12.6.2 OpenAction, §12.6.3 AA), JavaScript (§12.6.4.16 JS, the JavaScript name tree
 * §7.7.4), embedded files (§7.11.4 EF, the EmbeddedFiles name tree), XFA forms (§12.7.8), rich media.
 */
const activeKeys = [
  'OpenAction',
  'AA',
  'JS',
  'JavaScript',
  'EmbeddedFiles',
  'EF',
  'XFA',
  'RichMediaContent',
  '3DD',
].map((key) => PDFName.of(key));

/**
 * Action types (§12.6.4) that run code, start programs, send or fetch data or open other files.
 * Only the `S` of such an action is trusted to mean "action": `S` names other things too
 * (transparency groups, transitions, structure elements), which must stay.
 */
const activeActionTypes = new Set([
  'JavaScript',
  'Launch',
  'SubmitForm',
  'ImportData',
  'GoToR',
  'GoToE',
  'Rendition',
  'RichMediaExecute',
  'Movie',
  'Sound',
]);
/** A link may stay when it leads to the web or a mail program; `javascript:` and `file:` may not. */
const webLink = /^(https?:|mailto:)/i;

const S = PDFName.of('S');
const A = PDFName.of('A');
const Next = PDFName.of('Next');
const URI = PDFName.of('URI');

const textOf = (value: PDFObject | undefined): string | undefined =>
  value instanceof PDFName || value instanceof PDFString || value instanceof PDFHexString
    ? value.decodeText()
    : undefined;

function isActiveAction(dict: PDFDict): boolean {
  const type = textOf(dict.get(S));
  if (type === 'URI') return !webLink.test(textOf(dict.get(URI)) ?? '');
  return type !== undefined && activeActionTypes.has(type);
}

/** Removes active content from one object and the direct objects inside it. */
function clean(document: PDFDocument, object: PDFObject | undefined): void {
  if (object instanceof PDFStream) return clean(document, object.dict);
  if (object instanceof PDFArray) {
    for (let index = 0; index < object.size(); index++) clean(document, object.get(index));
    return;
  }
  if (!(object instanceof PDFDict)) return;
  for (const key of activeKeys) object.delete(key);
  // Chained actions (§12.6.2 Next) are dropped whole: a letter needs no chain.
  object.delete(Next);
  const action = document.context.lookup(object.get(A));
  if (action instanceof PDFDict && isActiveAction(action)) object.delete(A);
  // The action object itself, wherever it is referenced from, is emptied.
  if (isActiveAction(object)) for (const key of object.keys()) object.delete(key);
  for (const [, value] of object.entries()) clean(document, value);
}

export const encryptedPdf = () =>
  new HttpError(422, 'pdf_encrypted', 'Remove the password protection of the PDF and upload it again.');
const damagedPdf = () => new HttpError(422, 'invalid_pdf', 'The PDF is damaged or incomplete.');

/**
 * The PDF without scripts, automatic or event actions, launch/submit/import/remote actions, links
 * other than web and mail links, embedded files and XFA; pages, text, images and forms' appearance
 * stay. An encrypted PDF cannot be inspected and is refused (422 `pdf_encrypted`).
 */
export async function removePdfActiveContent(bytes: Uint8Array): Promise<Uint8Array> {
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (error) {
    // pdf-lib's ES5 build loses the subclass, so `instanceof` alone does not recognise its error.
    const encrypted =
      error instanceof EncryptedPDFError || (error instanceof Error && /is encrypted/.test(error.message));
    throw encrypted ? encryptedPdf() : damagedPdf();
  }
  for (const [, object] of document.context.enumerateIndirectObjects()) clean(document, object);
  // Plain objects, no object streams: what is stored can be checked by reading it.
  return document.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
