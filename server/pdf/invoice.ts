/**
 * The rent invoice / rent notice (Mietrechnung, hyresavi; seed 004: "Hyresavier … en QR-kod … OCR-raden").
 * A pure renderer: plain input in, A4 PDF out. Payment data appears three ways: as text, as a payment
 * QR code (EPC GiroCode for EUR, the Swedish invoice QR for SEK) and, for SEK with a bankgiro, as
 * Bankgirot's OCR line.
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
import {
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
}

/**
 * Printed document text, not UI: kept beside the layout it belongs to. German defines the keys and the
 * type; English and Swedish must match it, so all three languages stay complete.
 */
const de = {
  title: 'Mietrechnung',
  invoiceNumber: 'Rechnungsnummer',
  issuedOn: 'Rechnungsdatum',
  period: 'Zeitraum',
  dueOn: 'Fällig am',
  contract: 'Vertragsnummer',
  unit: 'Mietobjekt',
  description: 'Position',
  amount: 'Betrag',
  total: 'Gesamtbetrag',
  paymentDetails: 'Zahlungsinformationen',
  payee: 'Empfänger',
  reference: 'Verwendungszweck',
  ocr: 'OCR-Referenz',
  scanCaption: 'Mit Ihrer Banking-App scannen',
  orgNumber: 'Org.-Nr.',
  vatNumber: 'USt-IdNr.',
  email: 'E-Mail',
  phone: 'Telefon',
  nothingDue: 'Es ist kein Betrag zu zahlen.',
  payBy: (amount: string, date: string) =>
    `Bitte überweisen Sie ${amount} bis zum ${date} unter Angabe des Verwendungszwecks.`,
};

const LABELS: Record<DocumentLocale, typeof de> = {
  de,
  en: {
    title: 'Rent invoice',
    invoiceNumber: 'Invoice number',
    issuedOn: 'Invoice date',
    period: 'Period',
    dueOn: 'Due date',
    contract: 'Contract number',
    unit: 'Rental unit',
    description: 'Description',
    amount: 'Amount',
    total: 'Total',
    paymentDetails: 'Payment details',
    payee: 'Payee',
    reference: 'Payment reference',
    ocr: 'OCR reference',
    scanCaption: 'Scan with your banking app',
    orgNumber: 'Org. no.',
    vatNumber: 'VAT no.',
    email: 'Email',
    phone: 'Phone',
    nothingDue: 'There is nothing to pay.',
    payBy: (amount, date) => `Please transfer ${amount} by ${date}, quoting the payment reference.`,
  },
  sv: {
    title: 'Hyresavi',
    invoiceNumber: 'Avinummer',
    issuedOn: 'Avidatum',
    period: 'Period',
    dueOn: 'Förfallodag',
    contract: 'Avtalsnummer',
    unit: 'Hyresobjekt',
    description: 'Avser',
    amount: 'Belopp',
    total: 'Att betala',
    paymentDetails: 'Betalningsinformation',
    payee: 'Mottagare',
    reference: 'Betalningsreferens',
    ocr: 'OCR-nummer',
    scanCaption: 'Skanna med din bankapp',
    orgNumber: 'Org.nr',
    vatNumber: 'Momsreg.nr',
    email: 'E-post',
    phone: 'Telefon',
    nothingDue: 'Det finns inget att betala.',
    payBy: (amount, date) => `Betala ${amount} senast ${date} och ange referensen vid betalning.`,
  },
};

const QR_SIZE = 116; // ≈ 41 mm: comfortably above what phone cameras need for a version-13 code

export async function renderInvoicePdf(input: InvoicePdfInput, options: RenderOptions = {}): Promise<Buffer> {
  validateInvoice(input);
  const { locale, landlord, invoice } = input;
  const t = LABELS[locale];
  const money = (minor: number) => formatMoney(minor, invoice.currency, locale);
  const date = (iso: string) => formatDate(iso, locale);
  const payable = invoice.amount > 0;
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
  const paymentRows: Array<[string, string]> = [[t.payee, landlord.name]];
  if (invoice.currency === 'SEK' && landlord.bankgiro) paymentRows.push(['Bankgiro', landlord.bankgiro]);
  else if (invoice.currency === 'SEK' && landlord.plusgiro) paymentRows.push(['PlusGiro', landlord.plusgiro]);
  else {
    paymentRows.push(['IBAN', formatIban(landlord.iban)]);
    if (landlord.bic) paymentRows.push(['BIC', landlord.bic]);
  }
  paymentRows.push([invoice.currency === 'SEK' ? t.ocr : t.reference, invoice.paymentReference]);
  paymentRows.push([t.amount, money(invoice.amount)], [t.dueOn, date(invoice.dueOn)]);
  y = drawRows(doc, paymentRows, PAGE.left, y, 110, 220) + 8;
  write(doc, payable ? t.payBy(money(invoice.amount), date(invoice.dueOn)) : t.nothingDue, PAGE.left, y, {
    width: 330,
  });

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

  if (invoice.currency === 'SEK' && landlord.bankgiro && payable) {
    rule(doc, 758, PAGE.left, PAGE.right, { dashed: true });
    const line = bankgiroOcrLine(invoice.paymentReference, invoice.amount, landlord.bankgiro);
    write(doc, line, PAGE.left, 778, { font: FONT.mono, size: 11 });
  }
  return finish(doc);
}

/** The payment QR's text for this invoice (also for the PWA's invoice page), or null when nothing is due. */
export function invoiceQrPayload(input: InvoicePdfInput): string | null {
  const { landlord, invoice } = input;
  if (invoice.amount <= 0) return null;
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
