/**
 * The rent invoice / rent notice (Mietrechnung, hyresavi; seed 004: "Hyresavier … en QR-kod … OCR-raden").
 * A pure renderer: plain input in, A4 PDF out. Payment data appears three ways: as text, as a payment
 * QR code (EPC GiroCode for EUR, the Swedish invoice QR for SEK) and, for SEK with a bankgiro, as
 * Bankgirot's OCR line — only where the tenant has to transfer money (issue 16 "payment truth"): a
 * direct debit names the date and the masked account instead, a paid invoice its payment date.
 */
import { isValidOcr } from './ocr.ts';
import { formatDate, formatIban, formatMoney } from './money-format.ts';
import {
  bankgiroOcrLine,
  epcQrPayload,
  isValidCreditorReference,
  qrPng,
  swedishInvoiceQrPayload,
} from './payment-qr.ts';
import { INVOICE_LABELS } from './invoice-labels.ts';
import {
  CONTENT_WIDTH,
  FONT,
  GREY,
  PAGE,
  drawLetterTop,
  drawRows,
  finish,
  openDocument,
  rule,
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
  | { kind: 'transfer'; amountDue: number }
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

export async function renderInvoicePdf(input: InvoicePdfInput, options: RenderOptions = {}): Promise<Buffer> {
  validateInvoice(input);
  const { locale, landlord, invoice } = input;
  const t = INVOICE_LABELS[locale];
  const money = (minor: number) => formatMoney(minor, invoice.currency, locale);
  const date = (iso: string) => formatDate(iso, locale);
  const payment = paymentOf(input);
  const qrPayload = invoiceQrPayload(input);
  const qrImage = qrPayload ? qrPng(qrPayload) : null;

  const doc = openDocument({ title: `${t.title} ${invoice.number}`, author: landlord.name, locale }, options);
  const contact = [
    landlord.phone && `${t.phone} ${landlord.phone}`,
    landlord.email && `${t.email} ${landlord.email}`,
    landlord.orgNumber && `${t.orgNumber} ${landlord.orgNumber}`,
    landlord.vatNumber && `${t.vatNumber} ${landlord.vatNumber}`,
  ];
  drawLetterTop(doc, landlord, contact, input.recipient, locale);
  drawRows(
    doc,
    [
      [t.invoiceNumber, invoice.number],
      [t.issuedOn, date(invoice.issuedOn)],
      [t.period, `${date(invoice.periodStart)} – ${date(invoice.periodEnd)}`],
      [t.dueOn, date(invoice.dueOn)],
      [t.contract, input.contractNumber],
      [t.unit, input.unitLabel],
    ],
    310,
    PAGE.addressTop + 16,
    92,
    PAGE.right - 402,
  );

  let y = write(doc, t.title, PAGE.left, 250, { font: FONT.bold, size: 17 }) + 14;
  const amountX = PAGE.right - 110;
  write(doc, t.description, PAGE.left, y, { font: FONT.bold, size: 9 });
  y = write(doc, t.amount, amountX, y, { font: FONT.bold, size: 9, width: 110, align: 'right' }) + 3;
  rule(doc, y);
  y += 6;
  const lines = input.lines.length > 0 ? input.lines : [{ label: t.title, amount: invoice.amount }];
  for (const line of lines) {
    const labelBottom = write(doc, line.label, PAGE.left, y, { width: amountX - PAGE.left - 10 });
    y = Math.max(labelBottom, write(doc, money(line.amount), amountX, y, { width: 110, align: 'right' })) + 4;
  }
  rule(doc, y);
  y += 6;
  write(doc, t.total, PAGE.left, y, { font: FONT.bold, size: 11 });
  y =
    write(doc, money(invoice.amount), amountX, y, { font: FONT.bold, size: 11, width: 110, align: 'right' }) +
    26;

  if (y > 560) {
    doc.addPage();
    y = 60;
  }
  const paymentTop = y;
  y = write(doc, t.paymentDetails, PAGE.left, y, { font: FONT.bold, size: 11 }) + 6;
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
  if (payment.kind === 'transfer' || payment.kind === 'debit_returned') {
    const rows: Array<[string, string]> = [[t.payee, landlord.name]];
    if (invoice.currency === 'SEK' && landlord.bankgiro) rows.push(['Bankgiro', landlord.bankgiro]);
    else if (invoice.currency === 'SEK' && landlord.plusgiro) rows.push(['PlusGiro', landlord.plusgiro]);
    else {
      rows.push(['IBAN', formatIban(landlord.iban)]);
      if (landlord.bic) rows.push(['BIC', landlord.bic]);
    }
    rows.push([invoice.currency === 'SEK' ? t.ocr : t.reference, invoice.paymentReference]);
    if (payment.kind === 'transfer') {
      rows.push([t.amount, money(payment.amountDue)], [t.dueOn, date(invoice.dueOn)]);
    } else rows.push([t.amountDue, money(payment.amountDue)]);
    y = drawRows(doc, rows, PAGE.left, y, 110, 220) + 8;
    y = sentence(
      payment.kind === 'transfer'
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

  if (qrImage) {
    const qrX = PAGE.right - QR_SIZE;
    doc.image(qrImage, qrX, paymentTop, { width: QR_SIZE, height: QR_SIZE });
    write(doc, t.scanCaption, qrX - 20, paymentTop + QR_SIZE + 2, {
      size: 8,
      color: GREY,
      width: QR_SIZE + 20,
      align: 'center',
    });
  }

  // The OCR line belongs to a payment slip: only when the tenant pays by bankgiro themselves.
  const ocrAmount = payment.kind === 'transfer' || payment.kind === 'debit_returned' ? payment.amountDue : 0;
  if (invoice.currency === 'SEK' && landlord.bankgiro && ocrAmount > 0) {
    rule(doc, 758, PAGE.left, PAGE.right, { dashed: true });
    const line = bankgiroOcrLine(invoice.paymentReference, ocrAmount, landlord.bankgiro);
    write(doc, line, PAGE.left, 778, { font: FONT.mono, size: 11 });
  }
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
    countryCode: landlord.country,
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
}
