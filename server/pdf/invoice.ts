/**
 * The rent invoice / rent notice (Mietrechnung, hyresavi; seed 004: "Hyresavier … en QR-kod … OCR-raden").
 * A pure renderer: plain input in, A4 PDF out. Payment data appears three ways: as text, as a payment
 * QR code (EPC GiroCode for EUR, the Swedish invoice QR for SEK) and, for SEK with a bankgiro, as
 * Bankgirot's OCR line — only where the tenant has to transfer money (issue 16 "payment truth"): a
 * direct debit names the date and the masked account instead, a paid invoice its payment date.
 */
import { hasValidOcrLength, isValidOcr } from './ocr.ts';
import { compactIban, formatDate, formatIban, formatMoney } from './money-format.ts';
import {
  bankgiroOcrLine,
  epcQrPayload,
  isValidCreditorReference,
  qrPng,
  swedishInvoiceQrPayload,
} from './payment-qr.ts';
import { INVOICE_LABELS } from './invoice-labels.ts';
import {
  drawContinuationPage,
  drawLetterFooter,
  drawLetterHead,
  FORM_B,
  letterSender,
  type LetterHead,
} from './letter-layout.ts';
import type { LegalDetails } from './legal-details.ts';
import {
  CONTENT_WIDTH,
  FONT,
  GREY,
  PAGE,
  addressLines,
  drawRows,
  figure,
  finish,
  mm,
  openDocument,
  rule,
  section,
  write,
  type DocumentLocale,
  type PostalAddress,
  type RenderOptions,
} from './pdf-kit.ts';

export interface InvoiceLandlord extends PostalAddress {
  iban: string;
  bic?: string;
  /** Swedish bankgiro number, e.g. "5050-1055": enables the OCR line and the QR's BG payment type. */
  bankgiro?: string;
  /** SEPA creditor identifier (Gläubiger-ID), printed with a direct debit's pre-notification. */
  creditorId?: string;
  plusgiro?: string;
  orgNumber?: string;
  vatNumber?: string;
  email?: string;
  phone?: string;
  /** Printed in the footer (legal-details.ts). */
  legal?: LegalDetails;
  /** The OCR agreement wants a length digit before the check digit (ocr.ts). */
  ocrLengthDigit?: boolean;
}

export interface InvoiceLine {
  label: string;
  /** Minor units. */
  amount: number;
}

/**
 * How the invoice is settled (the service's `InvoicePaymentDto`, with dates as ISO `YYYY-MM-DD` in the
 * landlord's calendar). `debitCollected`: the debit date has passed (the booking may still follow).
 */
export type InvoicePdfPayment =
  | {
      kind: 'transfer';
      amountDue: number;
      /** Past the due date: the sentence asks for the payment now instead of "by <due date>". */
      overdue?: boolean;
    }
  /** The tenant's own standing order pays it: the account and reference to check it against, no code. */
  | { kind: 'standing_order'; amountDue: number }
  | {
      kind: 'direct_debit';
      scheme: 'sepa' | 'autogiro';
      debitOn: string;
      debitCollected: boolean;
      accountMasked: string | null;
      mandateReference: string | null;
    }
  | { kind: 'paid'; paidOn: string; amount: number }
  | {
      kind: 'debit_returned';
      scheme: 'sepa' | 'autogiro';
      debitedOn: string;
      returnedOn: string;
      fees: number;
      amountDue: number;
    }
  | { kind: 'nothing_due' };

export interface InvoicePdfInput {
  locale: DocumentLocale;
  landlord: InvoiceLandlord;
  recipient: PostalAddress;
  invoice: {
    number: string;
    /** ISO `YYYY-MM-DD`, like the other dates. */
    periodStart: string;
    periodEnd: string;
    issuedOn: string;
    dueOn: string;
    /** Minor units; equals the sum of `lines` when lines are given. */
    amount: number;
    currency: 'EUR' | 'SEK';
    /** Remittance text or ISO 11649 RF reference (EUR); OCR number with Luhn check digit (SEK). */
    paymentReference: string;
  };
  lines: InvoiceLine[];
  contractNumber: string;
  unitLabel: string;
  /** Default: a transfer of the invoice amount (nothing due when it is not positive). */
  payment?: InvoicePdfPayment;
}

/** The settlement, with the default for callers that name none. */
export function paymentOf(input: InvoicePdfInput): InvoicePdfPayment {
  if (input.payment) return input.payment;
  return input.invoice.amount > 0
    ? { kind: 'transfer', amountDue: input.invoice.amount }
    : { kind: 'nothing_due' };
}

const QR_SIZE = 116; // ≈ 41 mm: comfortably above what phone cameras need for a version-13 code
/**
 * Bankgirot reads the OCR line in OCR-B at 10 characters per inch (2.54 mm pitch): OCR-B's advance is
 * 0.723 em, so 10 pt is its size I (character height ≈ 2.5 mm) at very nearly that pitch; the
 * character spacing makes the pitch exact.
 */
const OCR_PITCH = 72 / 10;
const OCR_SIZE = 10;
/** The payment slip's OCR line at the sheet's foot, below a dashed cut line. */
const OCR_LINE_TOP = mm(274.5);
const SLIP_RULE = mm(267.4);
/** With a slip the legal footer (mm from the top) moves above it. */
const FOOTER_TOP_WITH_SLIP = 251;

export async function renderInvoicePdf(input: InvoicePdfInput, options: RenderOptions = {}): Promise<Buffer> {
  validateInvoice(input);
  const { locale, landlord, invoice } = input;
  const t = INVOICE_LABELS[locale];
  const money = (minor: number) => formatMoney(minor, invoice.currency, locale);
  const date = (iso: string) => formatDate(iso, locale);
  const payment = paymentOf(input);
  const qrPayload = invoiceQrPayload(input);
  const qrImage = qrPayload ? qrPng(qrPayload) : null;
  // The OCR line belongs to a payment slip: only when the tenant pays by bankgiro themselves.
  const ocrAmount = payment.kind === 'transfer' || payment.kind === 'debit_returned' ? payment.amountDue : 0;
  const slip = invoice.currency === 'SEK' && landlord.bankgiro && ocrAmount > 0 ? landlord.bankgiro : null;

  const title = `${t.title} ${invoice.number}`;
  const doc = openDocument({ title, author: landlord.name, locale, bufferPages: true }, options);
  const info: Array<[string, string]> = [
    [t.invoiceNumber, invoice.number],
    [t.issuedOn, date(invoice.issuedOn)],
    [t.period, `${date(invoice.periodStart)} – ${date(invoice.periodEnd)}`],
    [t.dueOn, date(invoice.dueOn)],
    [t.contract, input.contractNumber],
    [t.unit, input.unitLabel],
  ];
  if (landlord.orgNumber) info.push([t.orgNumber, landlord.orgNumber]);
  // A VAT invoice names the seller's VAT number (§ 14 (4) UStG; 17 kap. 24 § ML).
  if (landlord.vatNumber) info.push([t.vatNumber, landlord.vatNumber]);
  const head: LetterHead = {
    locale,
    // The payment block alone says how to pay, or that nothing is to be paid: a bank account in the
    // footer of a debited or paid invoice would invite a second payment.
    sender: letterSender({
      ...landlord,
      legal: landlord.legal && { ...landlord.legal, bank: undefined, bankgiro: undefined },
    }),
    recipient: addressLines(input.recipient, landlord.country, locale),
    info,
    ...(slip ? { footerTop: FOOTER_TOP_WITH_SLIP } : {}),
  };
  let y = drawLetterHead(doc, head);
  const bottom = mm(slip ? FOOTER_TOP_WITH_SLIP - 8 : FORM_B.bodyBottom);
  y = write(doc, t.title, PAGE.left, y, { font: FONT.bold, size: 17, tag: 'H1' }) + 12;

  const amountX = PAGE.right - 110;
  const lines = input.lines.length > 0 ? input.lines : [{ label: t.title, amount: invoice.amount }];
  y = section(doc, 'Table', {}, () => {
    section(doc, 'TR', {}, () => {
      write(doc, t.description, PAGE.left, y, {
        font: FONT.bold,
        size: 9,
        tag: 'TH',
        struct: { scope: 'Column' },
      });
      y =
        write(doc, t.amount, amountX, y, {
          font: FONT.bold,
          size: 9,
          width: 110,
          align: 'right',
          tag: 'TH',
          struct: { scope: 'Column' },
        }) + 3;
    });
    rule(doc, y);
    y += 6;
    for (const line of lines) {
      section(doc, 'TR', {}, () => {
        const labelBottom = write(doc, line.label, PAGE.left, y, {
          width: amountX - PAGE.left - 10,
          tag: 'TD',
        });
        const amountBottom = write(doc, money(line.amount), amountX, y, {
          width: 110,
          align: 'right',
          tag: 'TD',
        });
        y = Math.max(labelBottom, amountBottom) + 4;
      });
    }
    rule(doc, y);
    y += 6;
    section(doc, 'TR', {}, () => {
      write(doc, t.total, PAGE.left, y, { font: FONT.bold, size: 11, tag: 'TH', struct: { scope: 'Row' } });
      y =
        write(doc, money(invoice.amount), amountX, y, {
          font: FONT.bold,
          size: 11,
          width: 110,
          align: 'right',
          tag: 'TD',
        }) + 22;
    });
    return y;
  });

  // The payment block (≈ 150 pt with the QR code) stays on one page.
  if (y + 160 > bottom) {
    doc.addPage({ size: 'A4', margin: 0 });
    y = drawContinuationPage(doc, head, title);
  }
  const paymentTop = y;
  y = write(doc, t.paymentDetails, PAGE.left, y, { font: FONT.bold, size: 11, tag: 'H2' }) + 6;
  const textWidth = qrImage ? 330 : CONTENT_WIDTH;
  const sentence = (text: string, bold = false) =>
    write(doc, text, PAGE.left, y, { width: textWidth, ...(bold ? { font: FONT.bold } : {}) }) + 4;

  if (payment.kind === 'debit_returned') {
    // What happened first, then how to pay now: the tenant reads top-down.
    y = sentence(t.returnedTitle, true);
    y = sentence(t.returned(date(payment.debitedOn), date(payment.returnedOn)));
    if (payment.fees > 0) y = sentence(t.returnFees(money(payment.fees)));
    y += 4;
  }
  if (payment.kind === 'transfer' || payment.kind === 'debit_returned' || payment.kind === 'standing_order') {
    const rows: Array<[string, string]> = [[t.payee, landlord.name]];
    if (payment.kind === 'standing_order') rows.unshift([t.method, t.standingOrder]);
    if (invoice.currency === 'SEK' && landlord.bankgiro) rows.push(['Bankgiro', landlord.bankgiro]);
    else if (invoice.currency === 'SEK' && landlord.plusgiro) rows.push(['PlusGiro', landlord.plusgiro]);
    else {
      rows.push(['IBAN', formatIban(landlord.iban)]);
      if (landlord.bic) rows.push(['BIC', landlord.bic]);
    }
    rows.push([invoice.currency === 'SEK' ? t.ocr : t.reference, invoice.paymentReference]);
    if (payment.kind !== 'debit_returned') {
      rows.push([t.amount, money(payment.amountDue)], [t.dueOn, date(invoice.dueOn)]);
    } else rows.push([t.amountDue, money(payment.amountDue)]);
    y = drawRows(doc, rows, PAGE.left, y, 110, 220) + 8;
    // Past the due date "by <date>" would name a day gone by: the transfer is asked for now.
    y = sentence(
      payment.kind === 'standing_order'
        ? t.standingOrderCheck(money(payment.amountDue), date(invoice.dueOn))
        : payment.kind === 'transfer' && !payment.overdue
          ? t.payBy(money(payment.amountDue), date(invoice.dueOn))
          : t.payNow(money(payment.amountDue)),
    );
  } else if (payment.kind === 'direct_debit') {
    const sepa = payment.scheme === 'sepa';
    const rows: Array<[string, string]> = [[t.method, sepa ? t.sepa : t.autogiro]];
    if (payment.accountMasked) rows.push([t.account, payment.accountMasked]);
    if (payment.mandateReference)
      rows.push([sepa ? t.mandateReference : t.payerNumber, payment.mandateReference]);
    if (sepa && landlord.creditorId) rows.push([t.creditorId, landlord.creditorId]);
    rows.push([t.debitOn, date(payment.debitOn)], [t.amount, money(invoice.amount)]);
    y = drawRows(doc, rows, PAGE.left, y, 110, 220) + 8;
    const account = payment.accountMasked ?? t.yourAccount;
    const debit = payment.debitCollected ? t.debitPast : t.debitFuture;
    y = sentence(debit(money(invoice.amount), date(payment.debitOn), account));
  } else if (payment.kind === 'paid') {
    const rows: Array<[string, string]> = [
      [t.paidOn, date(payment.paidOn)],
      [t.amount, money(payment.amount)],
    ];
    y = drawRows(doc, rows, PAGE.left, y, 110, 220) + 8;
    y = sentence(t.paidThanks(date(payment.paidOn)));
  } else {
    y = sentence(t.nothingDue);
  }

  if (qrImage && qrPayload) {
    const qrX = PAGE.right - QR_SIZE;
    figure(doc, qrImage, qrX, paymentTop, QR_SIZE, t.qrAlt);
    write(doc, t.scanCaption, qrX - 20, paymentTop + QR_SIZE + 2, {
      size: 8,
      color: GREY,
      width: QR_SIZE + 20,
      align: 'center',
    });
  }

  if (slip) {
    rule(doc, SLIP_RULE, PAGE.left, PAGE.right, { dashed: true });
    const line = bankgiroOcrLine(invoice.paymentReference, ocrAmount, slip);
    doc.font(FONT.ocr).fontSize(OCR_SIZE);
    // Fixed pitch whatever the font's advance: each character cell is exactly 1/10 inch wide.
    const characterSpacing = OCR_PITCH - doc.widthOfString('0');
    write(doc, line, PAGE.left, OCR_LINE_TOP, {
      font: FONT.ocr,
      size: OCR_SIZE,
      characterSpacing,
      width: PAGE.width - PAGE.left - mm(5),
    });
  }
  drawLetterFooter(doc, head, 0);
  return finish(doc);
}

/**
 * The payment QR's text for this invoice (also for the PWA's invoice page), for the amount due; null
 * unless the tenant has to transfer it (a code beside a direct debit or a paid invoice invites paying
 * twice).
 */
export function invoiceQrPayload(input: InvoicePdfInput): string | null {
  const { landlord } = input;
  const payment = paymentOf(input);
  if (payment.kind !== 'transfer' && payment.kind !== 'debit_returned') return null;
  if (payment.amountDue <= 0) return null;
  const invoice = { ...input.invoice, amount: payment.amountDue };
  if (invoice.currency === 'EUR') {
    const structured = isValidCreditorReference(invoice.paymentReference);
    return epcQrPayload({
      name: landlord.name,
      iban: landlord.iban,
      bic: landlord.bic,
      amountMinor: invoice.amount,
      currency: 'EUR',
      ...(structured
        ? { creditorReference: invoice.paymentReference }
        : { remittanceText: invoice.paymentReference }),
    });
  }
  const [paymentType, account] = landlord.bankgiro
    ? (['BG', landlord.bankgiro] as const)
    : landlord.plusgiro
      ? (['PG', landlord.plusgiro] as const)
      : (['IBAN', landlord.iban] as const);
  return swedishInvoiceQrPayload({
    payeeName: landlord.name,
    orgNumber: landlord.orgNumber,
    // The payee's country: a bankgiro or PlusGiro account is Swedish, an IBAN names its country.
    countryCode: paymentType === 'IBAN' ? compactIban(account).slice(0, 2) : 'SE',
    reference: invoice.paymentReference,
    invoiceDate: invoice.issuedOn,
    dueDate: invoice.dueOn,
    amountMinor: invoice.amount,
    currency: 'SEK',
    paymentType,
    account,
    bic: landlord.bic,
  });
}

function validateInvoice(input: InvoicePdfInput): void {
  const { invoice, lines } = input;
  if (!Number.isSafeInteger(invoice.amount))
    throw new RangeError('Invoice amount must be integer minor units');
  if (lines.length > 0) {
    const sum = lines.reduce((total, line) => total + line.amount, 0);
    if (sum !== invoice.amount) throw new RangeError(`Invoice lines sum to ${sum}, not ${invoice.amount}`);
  }
  if (invoice.currency === 'SEK' && !isValidOcr(invoice.paymentReference)) {
    throw new RangeError('A SEK invoice needs an OCR reference with a valid check digit');
  }
  if (
    invoice.currency === 'SEK' &&
    input.landlord.ocrLengthDigit &&
    !hasValidOcrLength(invoice.paymentReference)
  ) {
    throw new RangeError('The OCR agreement wants a length digit in the OCR reference');
  }
}
