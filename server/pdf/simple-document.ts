import {
  drawContinuationPage,
  drawLetterFooter,
  drawLetterHead,
  FORM_B,
  pageLabel,
  type LetterHead,
  type LetterSender,
} from './letter-layout.ts';
import { CONTENT_WIDTH, FONT, GREY, PAGE, finish, mm, openDocument, section, write } from './pdf-kit.ts';
import { intlLocale } from './money-format.ts';

/**
 * A plain letter: letterhead, address field, date, title, paragraphs and amount tables, in the one
 * DIN 5008 form B layout of letter-layout.ts (the seeded documents: house rules, operating cost
 * statements, contracts, reminders). Output is byte-for-byte reproducible for the same input: the
 * creation date is the document date, and PDFKit derives the file /ID from the info dictionary.
 */

export type SimpleDocumentLandlord = LetterSender;

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

const DATE_LABEL = { de: 'Datum', en: 'Date', sv: 'Datum' } as const;

export async function renderSimpleDocument(input: SimpleDocumentInput): Promise<Buffer> {
  const locale = input.locale ?? 'de';
  const doc = openDocument(
    { title: input.title, author: input.landlord.name, locale, createdAt: input.date, bufferPages: true },
    {},
  );
  const date = new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: 'long',
    timeZone: input.timeZone ?? 'Europe/Berlin',
  }).format(input.date);
  const head: LetterHead = {
    locale,
    sender: input.landlord,
    recipient: input.recipient,
    info: [[DATE_LABEL[locale], date]],
  };
  let y = drawLetterHead(doc, head);
  y = write(doc, input.title, PAGE.left, y, { font: FONT.bold, size: 13, tag: 'H1' }) + 10;
  const bottom = mm(FORM_B.bodyBottom);
  /** The y to write `height` points at: here, or on a new page when they do not fit above the footer. */
  const room: Room = (at, height) => {
    if (at + height <= bottom) return at;
    doc.addPage({ size: 'A4', margin: 0 });
    return drawContinuationPage(doc, head, input.title);
  };
  for (const line of input.lines) {
    if (typeof line === 'string') {
      y = room(y, doc.font(FONT.regular).fontSize(10.5).heightOfString(line, { width: CONTENT_WIDTH }));
      y = write(doc, line, PAGE.left, y, { size: 10.5, width: CONTENT_WIDTH }) + 6;
    } else if ('heading' in line) {
      // A heading keeps at least two lines of what follows on its page.
      y = room(y, 50);
      y = write(doc, line.heading, PAGE.left, y + 4, { font: FONT.bold, size: 10.5, tag: 'H2' }) + 4;
    } else {
      y = drawAmountTable(doc, line.rows, y, room) + 6;
    }
  }

  const pages = doc.bufferedPageRange();
  if (pages.count > 1) {
    for (let index = 0; index < pages.count; index++) {
      doc.switchToPage(pages.start + index);
      write(doc, pageLabel(locale, index + 1, pages.count), PAGE.left, mm(FORM_B.footerTop) - 18, {
        size: 8,
        color: GREY,
        width: CONTENT_WIDTH,
        align: 'right',
        tag: null,
      });
    }
  }
  drawLetterFooter(doc, head, pages.start);
  return finish(doc);
}

type Room = (at: number, height: number) => number;

/** Label left, amount right, as a table whose label heads its row; a row never splits over pages. */
function drawAmountTable(
  doc: PDFKit.PDFDocument,
  rows: readonly (readonly [string, string])[],
  top: number,
  room: Room,
): number {
  let y = top;
  const valueWidth = mm(40);
  section(doc, 'Table', {}, () => {
    for (const [label, value] of rows) {
      const height = doc
        .font(FONT.regular)
        .fontSize(10.5)
        .heightOfString(label, {
          width: CONTENT_WIDTH - valueWidth - 8,
        });
      y = room(y, height + 2);
      section(doc, 'TR', {}, () => {
        const labelBottom = write(doc, label, PAGE.left, y, {
          size: 10.5,
          width: CONTENT_WIDTH - valueWidth - 8,
          tag: 'TH',
          struct: { scope: 'Row' },
        });
        const valueBottom = write(doc, value, PAGE.right - valueWidth, y, {
          size: 10.5,
          width: valueWidth,
          align: 'right',
          tag: 'TD',
        });
        y = Math.max(labelBottom, valueBottom) + 2;
      });
    }
  });
  return y;
}
