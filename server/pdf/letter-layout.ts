/**
 * The one letter layout every generated letter uses (invoices, rent certificates, confirmations of
 * residence, registration letters, the seeded documents): DIN 5008:2020 form B on A4, so the address
 * shows in the window of a C5/6 or DL envelope and the sheet folds and punches where office equipment
 * expects. All positions in millimetres from the sheet's top-left corner:
 * - letterhead 0–45 mm; address field 45 mm from the top, 20 mm from the left, 85 × 45 mm: its notes
 *   zone (45–62.7 mm) ends with the return line, the address zone (62.7–90 mm) holds the recipient,
 *   written 5 mm in from the field's edge (25 mm, level with the body);
 * - information block 125 mm from the left, 50 mm from the top, 75 mm wide (contact, date, numbers);
 * - the subject two blank lines below the address field (98.4 mm), the body from 25 mm to 190 mm;
 * - fold marks at 105 mm and 210 mm, the punch mark at 148.5 mm, on the left edge;
 * - the company's legal details in the footer (legal-details.ts).
 */
import { legalFooterColumns, type LegalDetails } from './legal-details.ts';
import {
  FONT,
  GREY,
  PAGE,
  artifact,
  drawRows,
  mm,
  section,
  write,
  type DocumentLocale,
  type PostalAddress,
} from './pdf-kit.ts';

export const FORM_B = {
  addressField: { left: 20, top: 45, width: 85, height: 45 },
  /** Where the notes zone (Zusatz- und Vermerkzone) ends and the address zone begins. */
  addressZoneTop: 62.7,
  /** The address is written 5 mm inside the field, at the body's left margin. */
  textLeft: 25,
  textRight: 190,
  infoBlock: { left: 125, top: 50, width: 75 },
  /** Two blank lines (12 pt pitch) below the address field: the subject line. */
  subjectTop: 98.4,
  foldMarks: [105, 210],
  punchMark: 148.5,
  /** Continuation pages: the body starts below a one-line header. */
  continuationTop: 25,
  /** The footer with the legal details; the body ends above it. */
  footerTop: 272,
  bodyBottom: 264,
} as const;

export interface LetterSender {
  name: string;
  /** Street, then postcode and city (the return line and letterhead join them). */
  addressLines: readonly string[];
  /** ISO 3166-1 alpha-2: a recipient in another country gets the country line. */
  country: string;
  email?: string;
  phone?: string;
  legal?: LegalDetails;
}

/** A sender from a postal address with contact and legal details (a landlord profile, an office). */
export function letterSender(
  address: PostalAddress & { email?: string; phone?: string; legal?: LegalDetails },
): LetterSender {
  return {
    name: address.name,
    addressLines: [address.street, `${address.postalCode} ${address.city}`],
    country: address.country,
    email: address.email,
    phone: address.phone,
    legal: address.legal,
  };
}

export interface LetterHead {
  locale: DocumentLocale;
  sender: LetterSender;
  /** The recipient's address lines (addressLines() in pdf-kit.ts); none for a notice to a whole house. */
  recipient?: readonly string[];
  /** Information block rows after the contact rows: dates, numbers, references. */
  info: ReadonlyArray<readonly [string, string]>;
  /** The footer's top in mm, when the page's foot is taken (the OCR line of a Swedish payment slip). */
  footerTop?: number;
}

const LABELS = {
  de: { phone: 'Telefon', email: 'E-Mail', page: (n: number, of: number) => `Seite ${n} von ${of}` },
  en: { phone: 'Phone', email: 'Email', page: (n: number, of: number) => `Page ${n} of ${of}` },
  sv: { phone: 'Telefon', email: 'E-post', page: (n: number, of: number) => `Sida ${n} av ${of}` },
} as const;

/** The "Page 2 of 3" text in the letter's language. */
export function pageLabel(locale: DocumentLocale, page: number, of: number): string {
  return LABELS[locale].page(page, of);
}

/**
 * The first page of a letter: letterhead, address field, information block, fold and punch marks
 * (the legal footer follows with drawLetterFooter). Returns the y (points) where the subject line goes.
 */
export function drawLetterHead(doc: PDFKit.PDFDocument, letter: LetterHead): number {
  const { sender, locale } = letter;
  const t = LABELS[locale];
  const left = mm(FORM_B.textLeft);

  section(doc, 'Sect', {}, () => {
    write(doc, sender.name, left, mm(15), { font: FONT.bold, size: 14, width: mm(95) });
    write(doc, sender.addressLines.join(' · '), left, mm(22), { size: 8.5, color: GREY, width: mm(95) });

    // The return line sits in the last line of the notes zone, directly above the address zone; it
    // repeats the letterhead for the postal service, so assistive technology skips it.
    const returnLine = [sender.name, ...sender.addressLines].join(' · ');
    const returnSize = 6.5;
    doc.font(FONT.regular).fontSize(returnSize);
    const returnTop = mm(FORM_B.addressZoneTop) - doc.currentLineHeight(true) - 1;
    write(doc, returnLine, left, returnTop, {
      size: returnSize,
      color: GREY,
      width: mm(FORM_B.addressField.width - 5),
      tag: null,
    });
    if (letter.recipient && letter.recipient.length > 0) {
      write(doc, letter.recipient.join('\n'), left, mm(FORM_B.addressZoneTop) + 1, {
        size: 10,
        width: mm(FORM_B.addressField.width - 10),
      });
    }

    const contact: Array<[string, string]> = [];
    if (sender.phone) contact.push([t.phone, sender.phone]);
    if (sender.email) contact.push([t.email, sender.email]);
    const labelWidth = mm(31);
    drawRows(
      doc,
      [...contact, ...letter.info],
      mm(FORM_B.infoBlock.left),
      mm(FORM_B.infoBlock.top),
      labelWidth,
      mm(FORM_B.infoBlock.width) - labelWidth,
      { size: 8 },
    );
    drawFoldAndPunchMarks(doc);
  });
  return mm(FORM_B.subjectTop);
}

/**
 * The legal details at the foot of the letter's first page, as content: drawn last, so they come
 * after the body in reading order. With buffered pages, pass the first page's index to draw there.
 */
export function drawLetterFooter(doc: PDFKit.PDFDocument, letter: LetterHead, firstPage?: number): void {
  const current = doc.bufferedPageRange();
  if (firstPage !== undefined) doc.switchToPage(firstPage);
  section(doc, 'Div', {}, () => drawFooterText(doc, letter, letter.footerTop ?? FORM_B.footerTop, 'P'));
  if (firstPage !== undefined) doc.switchToPage(current.start + current.count - 1);
}

/**
 * A further page of the same letter: a one-line header (sender and subject) and the legal footer,
 * both as artifacts since the first page carries them as content. Returns the y the body continues at.
 */
export function drawContinuationPage(doc: PDFKit.PDFDocument, letter: LetterHead, subject: string): number {
  write(doc, `${letter.sender.name} · ${subject}`, PAGE.left, mm(12), { size: 8, color: GREY, tag: null });
  drawFooterText(doc, letter, FORM_B.footerTop, null);
  return mm(FORM_B.continuationTop);
}

function drawFoldAndPunchMarks(doc: PDFKit.PDFDocument): void {
  artifact(doc, () => {
    doc.lineWidth(0.5).strokeColor('#777777');
    for (const fold of FORM_B.foldMarks) doc.moveTo(mm(4), mm(fold)).lineTo(mm(9), mm(fold)).stroke();
    doc.moveTo(mm(4), mm(FORM_B.punchMark)).lineTo(mm(11), mm(FORM_B.punchMark)).stroke();
  });
}

function drawFooterText(
  doc: PDFKit.PDFDocument,
  letter: LetterHead,
  top: number,
  tag: 'P' | null = null,
): void {
  const columns = legalFooterColumns(letter.sender.name, letter.sender.legal, letter.locale);
  const gap = mm(4);
  const width = (PAGE.right - PAGE.left - gap * (columns.length - 1)) / columns.length;
  artifactRule(doc, mm(top) - 4);
  columns.forEach((lines, index) => {
    write(doc, lines.join('\n'), PAGE.left + index * (width + gap), mm(top), {
      size: 6.5,
      color: GREY,
      width,
      tag,
    });
  });
}

function artifactRule(doc: PDFKit.PDFDocument, y: number): void {
  artifact(doc, () => {
    doc.moveTo(PAGE.left, y).lineTo(PAGE.right, y).lineWidth(0.5).strokeColor('#bbbbbb').stroke();
  });
}
