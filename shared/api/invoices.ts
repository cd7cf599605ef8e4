import { z } from 'zod';
import type { RentComponentKind } from './contracts.ts';

/**
 * Rent invoices / notices (API.md `GET /invoices`, seed 004 "Avier & fakturor": QR code, OCR line,
 * PDF, "Visa endast obetalda", paid date). Money is integer minor units beside its currency.
 */

/** `overdue` = unpaid and past `dueOn` (today in the landlord's time zone). */
export type InvoiceStatus = 'unpaid' | 'overdue' | 'paid';
export type InvoiceCurrency = 'EUR' | 'SEK';

/** `true`/`false` only: anything else is a 400, not a silent default. */
const booleanFlag = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * `GET /invoices?unpaid=true|false&contractId=`: unpaid only by default (seed 004 "som förvalt dina
 * just nu obetalda avier").
 */
export const invoiceListQuery = z.object({
  unpaid: booleanFlag.default(true),
  contractId: z.string().min(1).max(64).optional(),
});
export type InvoiceListQuery = z.infer<typeof invoiceListQuery>;

export interface InvoiceSummaryDto {
  id: string;
  number: string;
  contractId: string;
  contractNumber: string;
  periodStart: string;
  periodEnd: string;
  issuedOn: string;
  dueOn: string;
  amount: number;
  currency: InvoiceCurrency;
  /** Remittance text (EUR) or OCR number with check digit (SEK). */
  paymentReference: string;
  /** ISO 8601 UTC, null while unpaid. */
  paidAt: string | null;
  status: InvoiceStatus;
}

export interface InvoicesListResponse {
  invoices: InvoiceSummaryDto[];
}

export interface InvoiceLineDto {
  kind: RentComponentKind | 'other';
  /** The landlord's label, null → the client's i18n of `kind`. */
  label: string | null;
  amount: number;
}

/** Where to pay: IBAN/BIC for EUR, bankgiro for SEK (the landlord's settings `payment_accounts`). */
export interface PayeeDto {
  name: string;
  iban: string | null;
  bic: string | null;
  bankgiro: string | null;
  orgNumber: string | null;
}

export interface InvoiceDetailDto extends InvoiceSummaryDto {
  /** The rent components valid in the period; they add up to `amount`. */
  lines: InvoiceLineDto[];
  payee: PayeeDto;
  /** The text of the payment QR printed on the PDF (EPC GiroCode / Swedish invoice QR); null when nothing is due. */
  qrPayload: string | null;
  /** Bankgirot's OCR line for SEK invoices with a bankgiro, else null. */
  ocrLine: string | null;
  /** `/api/invoices/:id/pdf`. */
  pdfUrl: string;
}

export interface InvoiceDetailResponse {
  invoice: InvoiceDetailDto;
}
