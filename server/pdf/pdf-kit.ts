/**
 * Small pdfkit helpers shared by every renderer: an A4 document that is PDF/A-2b (archivable: embedded
 * fonts, XMP metadata, an sRGB output intent) and tagged for PDF/UA-1 (a logical structure with headings,
 * paragraphs, tables and figures with alternative text; decoration marked as artifacts; the language of
 * the document and of every section), text in the embedded Noto Sans, and the finished PDF as a Buffer.
 * The letter geometry (DIN 5008 form B) lives in letter-layout.ts.
 */
import PDFDocument from 'pdfkit';
import { fontData } from './fonts.ts';
import { countryName, intlLocale, type DocumentLocale } from './money-format.ts';

export type { DocumentLocale };

export interface RenderOptions {
  /** Deflate content streams (default true). Tests pass false to read the content operators. */
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

/** Millimetres to PDF points (1 pt = 1/72 inch). */
export const mm = (millimetres: number): number => (millimetres * 72) / 25.4;

/** A4 in points; the text column of DIN 5008 (25 mm left, 20 mm right margin). */
export const PAGE = {
  width: 595.28,
  height: 841.89,
  left: mm(25),
  right: mm(190),
} as const;
export const CONTENT_WIDTH = PAGE.right - PAGE.left;
/** Names the fonts are registered under in every document (fonts.ts: which files). */
export const FONT = { regular: 'Sans', bold: 'Sans-Bold', mono: 'Mono', ocr: 'OCR' } as const;
export const GREY = '#555555';

export interface DocumentMeta {
  title: string;
  author: string;
  subject?: string;
  locale: DocumentLocale;
  /** The creation date written to the info dictionary and XMP (default now); fixed for reproducible files. */
  createdAt?: Date;
  /** Keep pages open until the end (to number them "Page 1 of 3"). */
  bufferPages?: boolean;
}

/** The structure being built per document: the root `Document` element and the open sections. */
interface Structure {
  root: PDFKit.PDFStructureElement;
  open: PDFKit.PDFStructureElement[];
}
const structures = new WeakMap<PDFKit.PDFDocument, Structure>();

export function openDocument(meta: DocumentMeta, options: RenderOptions = {}): PDFKit.PDFDocument {
  const lang = intlLocale(meta.locale);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    compress: options.compress ?? true,
    pdfVersion: '1.7',
    // PDF/A-2b (ISO 19005-2): pdfkit adds the pdfaid XMP entry and the sRGB output intent.
    subset: 'PDF/A-2b',
    tagged: true,
    lang,
    displayTitle: true,
    bufferPages: meta.bufferPages ?? false,
    info: {
      Title: meta.title,
      Author: meta.author,
      Subject: meta.subject ?? meta.title,
      Creator: 'Portier',
      Producer: 'Portier (PDFKit)',
      CreationDate: meta.createdAt ?? new Date(),
    },
  });
  doc.registerFont(FONT.regular, fontData('regular'));
  doc.registerFont(FONT.bold, fontData('bold'));
  doc.registerFont(FONT.mono, fontData('mono'));
  doc.registerFont(FONT.ocr, fontData('ocr'));
  writeXmp(doc, lang);
  const root = doc.struct('Document');
  doc.addStructure(root);
  structures.set(doc, { root, open: [] });
  doc.font(FONT.regular).fontSize(9.5).fillColor('black');
  return doc;
}

/** XML text content: the title of a seeded document may hold "&" or "<". */
function xmlText(text: string): string {
  return text.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/**
 * The XMP packet: pdfkit writes the info dictionary's values into it unescaped, so this writes them
 * (escaped, and the same values, as PDF/A wants info and XMP to agree) plus dc:language and the
 * PDF/UA-1 identification with the extension schema PDF/A-2 requires for a namespace it does not
 * predefine (ISO 19005-2, 6.6.2.3).
 */
function writeXmp(doc: PDFKit.PDFDocument, lang: string): void {
  const info = doc.info;
  const created = (info.CreationDate ?? new Date()).toISOString().split('.')[0] + 'Z';
  const alt = (value: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${xmlText(value)}</rdf:li></rdf:Alt>`;
  (doc as unknown as { _addInfo(): void })._addInfo = () => {
    doc.appendXML(`<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
  <xmp:CreateDate>${created}</xmp:CreateDate>
  <xmp:CreatorTool>${xmlText(info.Creator ?? '')}</xmp:CreatorTool>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <dc:title>${alt(info.Title ?? '')}</dc:title>
  <dc:creator><rdf:Seq><rdf:li>${xmlText(info.Author ?? '')}</rdf:li></rdf:Seq></dc:creator>
  <dc:description>${alt(info.Subject ?? '')}</dc:description>
  <dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
  <pdf:Producer>${xmlText(info.Producer ?? '')}</pdf:Producer>
</rdf:Description>`);
  };
  doc.appendXML(`<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
  <pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas>
    <rdf:Bag>
      <rdf:li rdf:parseType="Resource">
        <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
        <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
        <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
        <pdfaSchema:property>
          <rdf:Seq>
            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>part</pdfaProperty:name>
              <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
              <pdfaProperty:category>internal</pdfaProperty:category>
              <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>
            </rdf:li>
          </rdf:Seq>
        </pdfaSchema:property>
      </rdf:li>
    </rdf:Bag>
  </pdfaExtension:schemas>
</rdf:Description>`);
}

function structureOf(doc: PDFKit.PDFDocument): Structure {
  const structure = structures.get(doc);
  if (!structure) throw new Error('Not a document opened with openDocument');
  return structure;
}

/** Options of a structure element beyond pdfkit's typings: layout bbox and table header scope. */
export interface StructOptions {
  lang?: string;
  alt?: string;
  actual?: string;
  title?: string;
  scope?: 'Row' | 'Column' | 'Both';
  /** Top-left x, y and bottom-right x, y in pdfkit's coordinates. */
  bbox?: [number, number, number, number];
  placement?: 'Block' | 'Inline';
}

/**
 * Runs `draw` inside a new structure element (Sect, Table, TR, L, LI …) under the current one, so
 * what it writes nests there in reading order.
 */
export function section<T>(doc: PDFKit.PDFDocument, type: string, options: StructOptions, draw: () => T): T {
  const structure = structureOf(doc);
  const element = doc.struct(type, options);
  (structure.open.at(-1) ?? structure.root).add(element);
  structure.open.push(element);
  try {
    return draw();
  } finally {
    structure.open.pop();
    element.end();
  }
}

/** `draw` as the content of one structure element (P, H1, TD, Figure …) under the current one. */
export function tagged(
  doc: PDFKit.PDFDocument,
  type: string,
  draw: () => void,
  options: StructOptions = {},
): void {
  const structure = structureOf(doc);
  const parent = structure.open.at(-1) ?? structure.root;
  // The parent is attached to the tree, so pdfkit runs `draw` now, inside BDC … EMC with a fresh MCID.
  parent.add(doc.struct(type, options, () => draw()));
}

/** Decoration and page furniture (rules, fold marks, page numbers) that assistive technology skips. */
export function artifact(
  doc: PDFKit.PDFDocument,
  draw: () => void,
  type: 'Layout' | 'Pagination' = 'Layout',
): void {
  doc.markContent('Artifact', { type });
  draw();
  doc.endMarkedContent();
}

/** An image with its alternative text (PDF/UA-1 7.3), e.g. a payment QR code. */
export function figure(
  doc: PDFKit.PDFDocument,
  image: PDFKit.Mixins.ImageSrc,
  x: number,
  y: number,
  size: number,
  alt: string,
): void {
  tagged(doc, 'Figure', () => doc.image(image, x, y, { width: size, height: size }), {
    alt,
    bbox: [x, y, x + size, y + size],
    placement: 'Block',
  });
}

/** Ends the document and resolves with the complete PDF. */
export function finish(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    structureOf(doc).root.end();
    doc.end();
  });
}

export interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
  width?: number;
  align?: 'left' | 'right' | 'center';
  /** Extra space between characters in points (the OCR line's fixed pitch). */
  characterSpacing?: number;
  /** The structure element the text is (default P); `null` writes it as an artifact. */
  tag?: string | null;
  /** Structure options, e.g. `{ lang: 'sv-SE' }` or a table header's scope. */
  struct?: StructOptions;
}

/** Writes text at an absolute position as one structure element; returns the y below it. */
export function write(
  doc: PDFKit.PDFDocument,
  text: string,
  x: number,
  y: number,
  style: TextStyle = {},
): number {
  const draw = () => {
    doc
      .font(style.font ?? FONT.regular)
      .fontSize(style.size ?? 9.5)
      .fillColor(style.color ?? 'black');
    doc.text(text, x, y, {
      width: style.width ?? PAGE.right - x,
      align: style.align ?? 'left',
      ...(style.characterSpacing ? { characterSpacing: style.characterSpacing } : {}),
    });
  };
  if (style.tag === null) artifact(doc, draw);
  else tagged(doc, style.tag ?? 'P', draw, style.struct);
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

/**
 * Label/value rows as a table whose first column heads its row (TH scope Row, TD), so a screen
 * reader announces "Due date: 31.03.2026"; returns the y below the last row.
 */
export function drawRows(
  doc: PDFKit.PDFDocument,
  rows: ReadonlyArray<readonly [string, string]>,
  x: number,
  y: number,
  labelWidth: number,
  valueWidth: number,
  style: TextStyle = {},
): number {
  if (rows.length === 0) return y;
  return section(doc, 'Table', {}, () => {
    for (const [label, value] of rows) {
      section(doc, 'TR', {}, () => {
        const labelBottom = write(doc, label, x, y, {
          ...style,
          width: labelWidth - 6,
          color: style.color ?? GREY,
          tag: 'TH',
          struct: { scope: 'Row' },
        });
        const valueBottom = write(doc, value, x + labelWidth, y, { ...style, width: valueWidth, tag: 'TD' });
        y = Math.max(labelBottom, valueBottom) + 2;
      });
    }
    return y;
  });
}

/** A thin horizontal rule, as an artifact. */
export function rule(
  doc: PDFKit.PDFDocument,
  y: number,
  x1: number = PAGE.left,
  x2: number = PAGE.right,
  { dashed = false }: { dashed?: boolean } = {},
): void {
  artifact(doc, () => {
    doc.moveTo(x1, y).lineTo(x2, y).lineWidth(0.5).strokeColor('#999999');
    if (dashed) doc.dash(3, { space: 3 });
    doc.stroke().undash();
  });
}
