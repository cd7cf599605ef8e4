import PDFDocument from 'pdfkit';

/**
 * A plain A4 letter: letterhead, address field, date, title, paragraphs and amount tables.
 * Used for demo documents and as the base of generated letters. The layout follows DIN 5008
 * form B (margins 25/20 mm, address field 45 mm from the top) so it fits a window envelope.
 * Output is byte-for-byte reproducible for the same input: the creation date is the document
 * date, and PDFKit derives the file /ID from the info dictionary.
 */

export interface SimpleDocumentLandlord {
  name: string;
  addressLines: readonly string[];
  /** Shown in the footer, e.g. "service@… · +49 30 …". */
  contactLine?: string;
}

/** A paragraph, a heading, or a two-column table (label left, amount right). */
export type SimpleDocumentLine =
  string | { heading: string } | { rows: readonly (readonly [string, string])[] };

export interface SimpleDocumentInput {
  title: string;
  lines: readonly SimpleDocumentLine[];
  landlord: SimpleDocumentLandlord;
  date: Date;
  /** Address block in the window (name, street, town). */
  recipient?: readonly string[];
  locale?: 'de' | 'en' | 'sv';
  /** Time zone the date is shown in (the building's). */
  timeZone?: string;
}

const mm = (value: number) => value * 2.834645669;
const marginLeft = mm(25);
const marginRight = mm(20);
const marginTop = mm(20);
const marginBottom = mm(25);
const pageWord = { de: ['Seite', 'von'], en: ['Page', 'of'], sv: ['Sida', 'av'] } as const;
const intlLocale = { de: 'de-DE', en: 'en-GB', sv: 'sv-SE' } as const;

export function renderSimpleDocument(input: SimpleDocumentInput): Promise<Buffer> {
  const locale = input.locale ?? 'de';
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: marginTop, bottom: marginBottom, left: marginLeft, right: marginRight },
    bufferPages: true,
    info: {
      Title: input.title,
      Author: input.landlord.name,
      Creator: 'Portier',
      Producer: 'Portier (PDFKit)',
      CreationDate: input.date,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - marginLeft - marginRight;
  drawLetterhead(doc, input, width);
  doc.font('Helvetica-Bold').fontSize(13).text(input.title, marginLeft, mm(105), { width });
  doc.moveDown(0.8).font('Helvetica').fontSize(10.5);
  for (const line of input.lines) drawLine(doc, line, width);

  const pages = doc.bufferedPageRange();
  for (let index = 0; index < pages.count; index++) {
    doc.switchToPage(pages.start + index);
    drawFooter(doc, input, locale, index + 1, pages.count, width);
  }
  doc.end();
  return done;
}

function drawLetterhead(doc: PDFKit.PDFDocument, input: SimpleDocumentInput, width: number): void {
  const { landlord } = input;
  doc
    .font('Helvetica-Bold')
    .fontSize(14)
    .text(landlord.name, marginLeft, marginTop, { width, align: 'right' });
  doc.font('Helvetica').fontSize(9).text(landlord.addressLines.join('\n'), { width, align: 'right' });

  // DIN 5008 form B: return address line, then the recipient, inside the window at 45 mm.
  const returnAddress = [landlord.name, ...landlord.addressLines].join(' · ');
  doc
    .fontSize(7)
    .fillColor('#555555')
    .text(returnAddress, marginLeft, mm(45), { width: mm(85), lineBreak: false });
  doc.fillColor('#000000').fontSize(10.5);
  if (input.recipient) doc.text(input.recipient.join('\n'), marginLeft, mm(52), { width: mm(85) });

  const locale = input.locale ?? 'de';
  const date = new Intl.DateTimeFormat(intlLocale[locale], {
    dateStyle: 'long',
    timeZone: input.timeZone ?? 'Europe/Berlin',
  }).format(input.date);
  doc.text(date, marginLeft, mm(95), { width, align: 'right' });
}

function drawLine(doc: PDFKit.PDFDocument, line: SimpleDocumentLine, width: number): void {
  if (typeof line === 'string') {
    doc.font('Helvetica').text(line, marginLeft, undefined, { width, align: 'left' });
    doc.moveDown(0.5);
    return;
  }
  if ('heading' in line) {
    doc.moveDown(0.3).font('Helvetica-Bold').text(line.heading, marginLeft, undefined, { width });
    doc.font('Helvetica').moveDown(0.3);
    return;
  }
  for (const [label, value] of line.rows) {
    // Keep a row on one page: start a new one before the footer zone.
    if (doc.y > doc.page.height - marginBottom - 30) doc.addPage();
    const y = doc.y;
    doc.text(label, marginLeft, y, { width: width - mm(40) });
    const labelBottom = doc.y;
    doc.text(value, marginLeft, y, { width, align: 'right' });
    doc.y = Math.max(labelBottom, doc.y) + 2;
  }
  doc.moveDown(0.5);
}

function drawFooter(
  doc: PDFKit.PDFDocument,
  input: SimpleDocumentInput,
  locale: 'de' | 'en' | 'sv',
  page: number,
  pageCount: number,
  width: number,
): void {
  // Writing inside the bottom margin would make PDFKit open a new page; lift the margin meanwhile.
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  const [pageLabel, ofLabel] = pageWord[locale];
  const footer = [
    input.landlord.name,
    input.landlord.contactLine,
    `${pageLabel} ${page} ${ofLabel} ${pageCount}`,
  ]
    .filter(Boolean)
    .join(' · ');
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#555555')
    .text(footer, marginLeft, doc.page.height - mm(15), { width, align: 'center', lineBreak: false });
  doc.fillColor('#000000');
  doc.page.margins.bottom = bottom;
}
