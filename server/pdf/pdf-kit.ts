/**
 * Small pdfkit helpers shared by the invoice and certificate renderers: an A4 page with DIN 5008 letter
 * geometry, text that the built-in Helvetica can encode, and the finished document as a Buffer.
 */
import PDFDocument from 'pdfkit';
import { countryName, intlLocale, type DocumentLocale } from './money-format.ts';

export type { DocumentLocale };

export interface RenderOptions {
  /** Deflate content streams (default true). Tests pass false to read the text operators. */
  compress?: boolean;
}

/**
 * An image embedded once however many pages draw it: pdfkit reuses only images opened by file
 * path, so a Buffer drawn on 200 letters was decoded and stored 200 times. `openImage` is pdfkit's
 * documented way to share one; its typings lack it.
 */
export function openSharedImage(doc: PDFKit.PDFDocument, png: Buffer): PDFKit.Mixins.ImageSrc {
  return (doc as unknown as { openImage(src: Buffer): PDFKit.Mixins.ImageSrc }).openImage(png);
}

export interface PostalAddress {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2, as in db/schema/estates.ts. */
  country: string;
}

/** A4 in points; 20 mm left margin and the address window 45 mm from the top (DIN 5008, form B). */
export const PAGE = {
  width: 595.28,
  height: 841.89,
  left: 56.69,
  right: 538.58,
  addressTop: 127.56,
} as const;
export const CONTENT_WIDTH = PAGE.right - PAGE.left;
export const FONT = { regular: 'Helvetica', bold: 'Helvetica-Bold', mono: 'Courier' } as const;
export const GREY = '#555555';

/**
 * The 14 standard PDF fonts only encode WinAnsi (PDF 32000-1, annex D.2); pdfkit writes any other
 * character as a wrong code. Map typographic characters Intl emits (U+2212 minus, U+202F narrow
 * no-break space) to WinAnsi ones, strip accents WinAnsi lacks ("ć" → "c"), and show "?" for the rest.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const REPLACEMENTS: Record<string, string> = {
  '\u2212': '-',
  '\u202f': '\u00a0',
  '\u2009': ' ',
  '\u2011': '-',
};

export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text) {
    const mapped = REPLACEMENTS[char] ?? char;
    if (isWinAnsi(mapped)) out += mapped;
    else {
      const stripped = mapped.normalize('NFD').replace(/\p{M}/gu, '');
      out += [...stripped].every(isWinAnsi) ? stripped : '?';
    }
  }
  return out;
}

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  if (char === '\n') return true; // a line break for pdfkit's layout, not a glyph
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char);
}

export interface DocumentMeta {
  title: string;
  author: string;
  subject?: string;
  locale: DocumentLocale;
}

export function openDocument(meta: DocumentMeta, options: RenderOptions = {}): PDFKit.PDFDocument {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    compress: options.compress ?? true,
    lang: intlLocale(meta.locale),
    displayTitle: true,
    info: { Title: meta.title, Author: meta.author, Subject: meta.subject ?? meta.title, Creator: 'Portier' },
  });
  doc.font(FONT.regular).fontSize(9.5).fillColor('black');
  return doc;
}

/** Ends the document and resolves with the complete PDF. */
export function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
  width?: number;
  align?: 'left' | 'right' | 'center';
}

/** Writes WinAnsi-safe text at an absolute position; returns the y below it. */
export function write(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  style: TextStyle = {},
): number {
  doc
    .font(style.font ?? FONT.regular)
    .fontSize(style.size ?? 9.5)
    .fillColor(style.color ?? 'black');
  const options = { width: style.width ?? PAGE.right - x, align: style.align ?? 'left' };
  doc.text(toWinAnsi(text), x, y, options);
  return doc.y;
}

/** Address lines per DIN 5008 / UPU: the country (in capitals) only when it differs from the sender's. */
export function addressLines(
  address: PostalAddress,
  senderCountry: string,
  locale: DocumentLocale,
): string[] {
  const lines = [address.name, address.street, `${address.postalCode} ${address.city}`];
  if (address.country.toUpperCase() !== senderCountry.toUpperCase()) {
    lines.push(countryName(address.country, locale).toUpperCase());
  }
  return lines;
}

/** The sender's name in bold with its address below (left) and contact lines on the right. */
export function drawLetterhead(doc: PDFKit.PDFDocument, sender: PostalAddress, contact: string[]): void {
  write(doc, sender.name, PAGE.left, 42, { font: FONT.bold, size: 15, width: 300 });
  write(doc, `${sender.street} · ${sender.postalCode} ${sender.city}`, PAGE.left, 62, {
    color: GREY,
    width: 300,
  });
  let y = 42;
  for (const line of contact) {
    y = write(doc, line, 330, y, { size: 8.5, color: GREY, width: PAGE.right - 330, align: 'right' }) + 1;
  }
  doc.moveTo(PAGE.left, 90).lineTo(PAGE.right, 90).lineWidth(0.5).strokeColor('#999999').stroke();
}

/** The recipient block in the window of a DL envelope, with the one-line sender above it. */
export function drawAddressBlock(doc: PDFKit.PDFDocument, senderLine: string, lines: string[]): void {
  write(doc, senderLine, PAGE.left, PAGE.addressTop, { size: 7, color: GREY, width: 240 });
  let y = PAGE.addressTop + 16;
  for (const line of lines) y = write(doc, line, PAGE.left, y, { size: 10.5, width: 240 });
}

/**
 * The top of every letter (invoice, rent certificate, registration letter): letterhead, then the
 * recipient in the DIN 5008 window under the one-line sender ("Name · Street · Postcode City").
 */
export function drawLetterTop(
  doc: PDFKit.PDFDocument,
  sender: PostalAddress,
  contact: ReadonlyArray<string | null | undefined | false>,
  recipient: PostalAddress,
  locale: DocumentLocale,
): void {
  drawLetterhead(
    doc,
    sender,
    contact.filter((line): line is string => Boolean(line)),
  );
  const senderLine = `${sender.name} · ${sender.street} · ${sender.postalCode} ${sender.city}`;
  drawAddressBlock(doc, senderLine, addressLines(recipient, sender.country, locale));
}

/** Label/value rows; returns the y below the last row. */
export function drawRows(
  doc: PDFKit.PDFDocument,
  rows: ReadonlyArray<readonly [string, string]>,
  x: number,
  y: number,
  labelWidth: number,
  valueWidth: number,
  style: TextStyle = {},
): number {
  for (const [label, value] of rows) {
    const labelBottom = write(doc, label, x, y, {
      ...style,
      width: labelWidth - 6,
      color: style.color ?? GREY,
    });
    const valueBottom = write(doc, value, x + labelWidth, y, { ...style, width: valueWidth });
    y = Math.max(labelBottom, valueBottom) + 2;
  }
  return y;
}

export function rule(
  doc: PDFKit.PDFDocument,
  y: number,
  x1: number = PAGE.left,
  x2: number = PAGE.right,
  { dashed = false }: { dashed?: boolean } = {},
): void {
  doc.moveTo(x1, y).lineTo(x2, y).lineWidth(0.5).strokeColor('#999999');
  if (dashed) doc.dash(3, { space: 3 });
  doc.stroke().undash();
}
