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

/** The SEPA Core direct debit (EUR) or its Swedish counterpart, autogiro (SEK). */
export type DirectDebitScheme = 'sepa' | 'autogiro';

/**
 * How this invoice gets settled, and so what the page and the PDF may say (issue 16 "payment truth"):
 * a payment code or transfer text appears only where the tenant has to transfer money themselves.
 * - `paid`: settled on `paidAt`; no payment code at all.
 * - `direct_debit`: collected from the tenant's account on `debitOn` (the due date); nothing to do.
 * - `transfer`: the tenant transfers `amountDue`; past the due date (status `overdue`) now.
 * - `standing_order`: the tenant's own standing order pays `amount` by `dueOn`; they only check that
 *   it matches (amount, payee account, reference). No payment code: it would invite paying twice.
 * - `debit_returned`: the direct debit of `debitedOn` came back on `returnedOn`; the tenant now
 *   transfers `amountDue`, which includes `fees` the rent account charged for the return.
 * - `nothing_due`: a zero or credit invoice.
 */
export type InvoicePaymentDto =
  | { kind: 'paid'; paidAt: string }
  | {
      kind: 'direct_debit';
      scheme: DirectDebitScheme;
      debitOn: string;
      /** Short mask of the debited account, e.g. "DE•• •••• 1234"; null when not on file. */
      accountMasked: string | null;
      mandateReference: string | null;
    }
  | { kind: 'transfer'; amountDue: number }
  | { kind: 'standing_order'; amountDue: number; dueOn: string }
  | {
      kind: 'debit_returned';
      scheme: DirectDebitScheme;
      debitedOn: string;
      returnedOn: string;
      /** Return fees charged to the rent account for this invoice, minor units (0 when none). */
      fees: number;
      amountDue: number;
    }
  | { kind: 'nothing_due' };
export type InvoicePaymentKind = InvoicePaymentDto['kind'];

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
  payment: InvoicePaymentDto;
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
  /**
   * The landlord's account, only where the tenant pays themselves (`payment.kind` `transfer`,
   * `standing_order` or `debit_returned`); null for a direct debit, a paid invoice or nothing due.
   */
  payee: PayeeDto | null;
  /**
   * The text of the payment QR printed on the PDF (EPC GiroCode / Swedish invoice QR) for `amountDue`;
   * null unless `payment.kind` is `transfer` or `debit_returned` (a code beside a direct debit or a
   * paid invoice invites paying twice).
   */
  qrPayload: string | null;
  /** Bankgirot's OCR line for SEK invoices with a bankgiro, under the same rule as `qrPayload`. */
  ocrLine: string | null;
  /** The landlord's SEPA creditor identifier, for direct-debit (and returned) invoices in EUR; else null. */
  creditorId: string | null;
  /** `/api/invoices/:id/pdf`. */
  pdfUrl: string;
}

export interface InvoiceDetailResponse {
  invoice: InvoiceDetailDto;
}
