/**
 * Payment QR codes printed on rent invoices: the EPC "GiroCode" for EUR (SEPA credit transfer) and the
 * Swedish invoice QR for SEK (seed 004: "en QR-kod som kan användas för en enkel betalning").
 */
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { luhnCheckDigit } from './ocr.ts';
import { compactIban, decimalAmount, parseIsoDate, splitMinor } from './money-format.ts';

export class PaymentQrError extends Error {
  override name = 'PaymentQrError';
}

// ---------------------------------------------------------------------------------------------
// EPC069-12 "Quick Response Code: Guidelines to Enable Data Capture for the Initiation of a SEPA
// Credit Transfer", version 002: one element per line, LF separated, UTF-8, at most 331 bytes
// (the byte capacity of QR version 13 at error correction level M, which the guideline mandates).
// ---------------------------------------------------------------------------------------------

export interface EpcTransferInput {
  /** Beneficiary name, at most 70 characters. */
  name: string;
  iban: string;
  /** Optional in version 002 inside the EEA. */
  bic?: string;
  /** Integer cents, 1 … 99 999 999 999 (EUR 0.01 … 999 999 999.99). */
  amountMinor: number;
  currency: string;
  /** ISO 20022 ExternalPurpose1Code, four characters (e.g. "RENT"). */
  purpose?: string;
  /** Structured creditor reference per ISO 11649 ("RF18 5390 0754 7034"); excludes `remittanceText`. */
  creditorReference?: string;
  /** Unstructured remittance information, at most 140 characters; excludes `creditorReference`. */
  remittanceText?: string;
}

export const EPC_MAX_BYTES = 331;

export function epcQrPayload(input: EpcTransferInput): string {
  if (input.currency !== 'EUR')
    throw new PaymentQrError('EPC QR codes carry SEPA credit transfers in EUR only');
  const name = singleLine(input.name, 'Beneficiary name');
  if (name.length === 0 || [...name].length > 70)
    throw new PaymentQrError('Beneficiary name must be 1–70 characters');
  const iban = compactIban(input.iban);
  if (!isValidIban(iban)) throw new PaymentQrError('IBAN is not valid (ISO 13616 mod 97)');
  const bic = input.bic ? input.bic.replace(/\s+/g, '').toUpperCase() : '';
  if (bic && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic))
    throw new PaymentQrError('BIC is not valid (ISO 9362)');
  if (
    !Number.isSafeInteger(input.amountMinor) ||
    input.amountMinor < 1 ||
    input.amountMinor > 99_999_999_999
  ) {
    throw new PaymentQrError('Amount must be between EUR 0.01 and EUR 999999999.99');
  }
  const purpose = input.purpose ?? '';
  if (purpose && !/^[A-Z0-9]{4}$/.test(purpose))
    throw new PaymentQrError('Purpose must be a 4-character code');
  if (input.creditorReference && input.remittanceText) {
    throw new PaymentQrError(
      'Use either a structured creditor reference or unstructured remittance, not both',
    );
  }
  const reference = input.creditorReference ? input.creditorReference.replace(/\s+/g, '').toUpperCase() : '';
  if (reference && !isValidCreditorReference(reference)) {
    throw new PaymentQrError('Creditor reference is not a valid ISO 11649 RF reference');
  }
  const remittance = singleLine(input.remittanceText ?? '', 'Remittance information');
  if ([...remittance].length > 140)
    throw new PaymentQrError('Remittance information must be at most 140 characters');

  const elements = [
    'BCD', // service tag
    '002', // version
    '1', // character set: UTF-8
    'SCT', // identification: SEPA credit transfer
    bic,
    name,
    iban,
    `EUR${decimalAmount(input.amountMinor)}`,
    purpose,
    reference,
    remittance,
  ];
  // Optional trailing elements are left off: the last populated element ends the payload, with no
  // separator after it (EPC069-12 data element table and its examples).
  while (elements.at(-1) === '') elements.pop();
  const payload = elements.join('\n');
  if (Buffer.byteLength(payload, 'utf8') > EPC_MAX_BYTES) {
    throw new PaymentQrError(`EPC payload exceeds ${EPC_MAX_BYTES} bytes`);
  }
  return payload;
}

/** ISO 13616: two letters, two check digits, up to 30 alphanumerics; mod 97 of the rearranged digits is 1. */
export function isValidIban(value: string): boolean {
  const iban = compactIban(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

/** ISO 11649 creditor reference: "RF", two check digits, 1–21 alphanumerics; mod 97 as for IBAN. */
export function isValidCreditorReference(value: string): boolean {
  const reference = value.replace(/\s+/g, '').toUpperCase();
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(reference)) return false;
  return mod97(reference.slice(4) + reference.slice(0, 4)) === 1;
}

function mod97(alphanumeric: string): number {
  let remainder = 0;
  for (const char of alphanumeric) {
    const digits = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55); // A=10 … Z=35
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

function singleLine(value: string, what: string): string {
  if (/[\r\n]/.test(value)) throw new PaymentQrError(`${what} must not contain line breaks`);
  return value.trim();
}

// ---------------------------------------------------------------------------------------------
// Swedish invoice QR: the UsingQR JSON format, published by Visma (usingqr.se, "UsingQR format
// specification", rev. 2, June 2014; also described at qrkod.info) and read by the Swedish banks'
// apps. Keys as in the published examples: uqr (version 1), tp (1 = invoice), nme (payee),
// cc (payee's country code, e.g. "SE" — not the currency), cid (organisation number), iref (OCR or
// invoice number), idt / ddt (invoice / due date, YYYYMMDD), due (amount, a JSON number),
// cur (currency), pt (payment type "BG", "PG", "IBAN" or "BBAN"), acc (account), bc (BIC).
// Sources consulted: usingqr.se FAQ; the Visma-originated example in P. Reinholdtsen, "UsingQR –
// Electronic paper invoices using JSON and QR codes" (2016, people.skolelinux.org/pere/blog);
// kristgy/ca_utils code/generate_qr_code.m (GitHub). The full specification PDF was not available.
// ---------------------------------------------------------------------------------------------

export type SwedishPaymentType = 'BG' | 'PG' | 'IBAN';

export interface SwedishInvoiceQrInput {
  payeeName: string;
  /** Organisationsnummer, e.g. "556123-4567". */
  orgNumber?: string;
  /** ISO 3166-1 alpha-2 of the payee, default "SE". */
  countryCode?: string;
  /** OCR number (with check digit) or the invoice number. */
  reference: string;
  /** ISO `YYYY-MM-DD`. */
  invoiceDate: string;
  dueDate: string;
  /** Integer öre, > 0. */
  amountMinor: number;
  currency: string;
  paymentType: SwedishPaymentType;
  /** Bankgiro ("5050-1055"), PlusGiro ("4789911-7") or IBAN, by `paymentType`. */
  account: string;
  /** BIC; only meaningful with `paymentType: 'IBAN'`. */
  bic?: string;
}

export function swedishInvoiceQrPayload(input: SwedishInvoiceQrInput): string {
  if (input.currency !== 'SEK') throw new PaymentQrError('The Swedish invoice QR is for SEK invoices');
  const payeeName = input.payeeName.trim();
  if (!payeeName) throw new PaymentQrError('Payee name is required');
  const reference = input.reference.replace(/\s+/g, '');
  if (!reference) throw new PaymentQrError('Invoice reference (OCR or invoice number) is required');
  if (!Number.isSafeInteger(input.amountMinor) || input.amountMinor < 1) {
    throw new PaymentQrError('Amount must be a positive number of öre');
  }
  const countryCode = (input.countryCode ?? 'SE').toUpperCase();
  if (!/^[A-Z]{2}$/.test(countryCode)) throw new PaymentQrError('Country code must be ISO 3166-1 alpha-2');
  const payload: Record<string, string | number> = {
    uqr: 1,
    tp: 1,
    nme: payeeName,
    cc: countryCode,
    ...(input.orgNumber ? { cid: input.orgNumber.trim() } : {}),
    iref: reference,
    idt: compactDate(input.invoiceDate),
    ddt: compactDate(input.dueDate),
    // n / 100 is the double nearest the two-decimal amount, so JSON prints it exactly ("1234.5").
    due: input.amountMinor / 100,
    cur: 'SEK',
    pt: input.paymentType,
    acc: swedishAccount(input.paymentType, input.account),
  };
  if (input.bic && input.paymentType === 'IBAN') payload.bc = input.bic.replace(/\s+/g, '').toUpperCase();
  return JSON.stringify(payload);
}

/**
 * Bankgiro numbers have 7–8 digits and PlusGiro numbers 2–8, both ending in a modulus-10 (Luhn) check
 * digit (Bankgirot, "Bankgironummer"; PlusGirot). Written with the hyphen where Swedes print it.
 */
function swedishAccount(type: SwedishPaymentType, account: string): string {
  if (type === 'IBAN') {
    const iban = compactIban(account);
    if (!isValidIban(iban)) throw new PaymentQrError('IBAN is not valid (ISO 13616 mod 97)');
    return iban;
  }
  const digits = account.replace(/[\s-]/g, '');
  const valid = type === 'BG' ? /^\d{7,8}$/.test(digits) : /^\d{2,8}$/.test(digits);
  if (!valid || luhnCheckDigit(digits.slice(0, -1)) !== Number(digits.slice(-1))) {
    throw new PaymentQrError(`${type === 'BG' ? 'Bankgiro' : 'PlusGiro'} number is not valid`);
  }
  return type === 'BG'
    ? `${digits.slice(0, -4)}-${digits.slice(-4)}`
    : `${digits.slice(0, -1)}-${digits.slice(-1)}`;
}

function compactDate(isoDate: string): string {
  try {
    parseIsoDate(isoDate);
  } catch {
    throw new PaymentQrError(`Not an ISO date: ${isoDate}`);
  }
  return isoDate.replaceAll('-', '');
}

/**
 * Bankgirot's OCR line of an inbetalningskort: "# reference #", kronor and öre, the amount's modulus-10
 * check digit, ">", the bankgiro number without hyphen and document type "#41#". Character positions
 * of the printed OCR-B form are not reproduced; the fields and their order are.
 */
export function bankgiroOcrLine(ocr: string, amountMinor: number, bankgiro: string): string {
  const { major, fraction } = splitMinor(amountMinor);
  const check = luhnCheckDigit(major + fraction);
  return `# ${ocr} #   ${major} ${fraction}   ${check} >  ${bankgiro.replace(/[\s-]/g, '')}#41#`;
}

// ---------------------------------------------------------------------------------------------
// Rendering (ISO/IEC 18004 via the qrcode package). Level M as EPC069-12 requires; four modules of
// quiet zone as ISO/IEC 18004 requires.
// ---------------------------------------------------------------------------------------------

const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const;

/**
 * The QR code as a black-on-white PNG, `scale` pixels per module (default 8, crisp when printed).
 * Drawn from the module matrix as 8-bit grey and written with the "Up" filter on every row: the
 * rows of a QR code repeat module by module, so that compresses as well as pngjs's adaptive filter
 * choice — which tries all five filters on every row of four channels and, with the PDF decoding
 * those bytes again, was half of an invoice PDF's render time (37 ms → 17 ms, on the event loop).
 */
export function qrPng(payload: string, scale = 8): Buffer {
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: QR_OPTIONS.errorCorrectionLevel });
  const { margin } = QR_OPTIONS;
  const side = (modules.size + 2 * margin) * scale;
  const grey = Buffer.alloc(side * side, 255);
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (!modules.get(row, column)) continue;
      for (let y = 0; y < scale; y++) {
        const start = ((row + margin) * scale + y) * side + (column + margin) * scale;
        grey.fill(0, start, start + scale);
      }
    }
  }
  const grayscale = { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 } as const;
  return PNG.sync.write({ width: side, height: side, data: grey } as PNG, { ...grayscale, filterType: 2 });
}

/** The QR code as a `data:image/png;base64,…` URL, for the PWA's invoice view. */
export function qrDataUrl(payload: string, scale = 6): Promise<string> {
  return QRCode.toDataURL(payload, { ...QR_OPTIONS, type: 'image/png', scale });
}
