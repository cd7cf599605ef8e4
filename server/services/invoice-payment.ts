/**
 * What an invoice asks of the tenant (issue 16 "payment truth"): a direct-debit tenant is told when and
 * from which account the rent is collected and gets no transfer text or payment code (that invites
 * paying twice); a paid invoice says when; a returned debit says what happened and how to pay now.
 * Pure functions over the invoice, its contract's payment data and the ledger entries booked against it.
 */
import type { LedgerEntryKind, PaymentMethod } from '../../shared/api/contracts.ts';
import type { DirectDebitScheme, InvoicePaymentDto } from '../../shared/api/invoices.ts';

export interface InvoiceLedgerEntry {
  invoiceId: string;
  bookedOn: string;
  kind: LedgerEntryKind;
  /** Signed from the tenant's view: charge > 0, payment < 0. */
  amount: number;
}

export interface DebitReturn {
  debitedOn: string;
  returnedOn: string;
  fees: number;
}

/**
 * A returned direct debit (Rücklastschrift; a reversed autogiro payment) as a rent account records it:
 * a payment against the invoice, later offset by an entry of the same amount the other way. Entries
 * against the invoice from the return on — other than payments and the reversal itself — are what the
 * return cost the tenant (banks charge the payee for a return, landlords pass it on). The invoice's own
 * charge (its first charge) is neither. Null when no debit came back, or when a later payment has not
 * come back (a second attempt that went through).
 */
export function debitReturnOf(entries: readonly InvoiceLedgerEntry[]): DebitReturn | null {
  const ownCharge = entries.find((entry) => entry.kind === 'charge');
  const pending: InvoiceLedgerEntry[] = [];
  const reversals = new Set<InvoiceLedgerEntry>();
  let latest: { debitedOn: string; returnedOn: string } | null = null;
  let firstReturnedOn: string | null = null;
  for (const entry of entries) {
    if (entry === ownCharge) continue;
    if (entry.kind === 'payment' && entry.amount < 0) {
      pending.push(entry);
      continue;
    }
    const reversed = entry.amount > 0 ? pending.findIndex((payment) => payment.amount === -entry.amount) : -1;
    if (reversed < 0) continue;
    const [payment] = pending.splice(reversed, 1);
    reversals.add(entry);
    latest = { debitedOn: payment!.bookedOn, returnedOn: entry.bookedOn };
    firstReturnedOn ??= entry.bookedOn;
  }
  if (!latest || pending.some((payment) => payment.bookedOn >= latest.returnedOn)) return null;
  const fees = entries
    .filter(
      (entry) =>
        entry !== ownCharge &&
        !reversals.has(entry) &&
        entry.kind !== 'payment' &&
        entry.bookedOn >= firstReturnedOn!,
    )
    .reduce((sum, entry) => sum + entry.amount, 0);
  return { ...latest, fees: Math.max(0, fees) };
}

/**
 * The short mask a tenant recognises their account by, "DE•• •••• 1234", from the stored mask
 * ("DE89 •••• •••• •••• •••• 00"): the country and the last four characters the store kept, the check
 * digits hidden too. A value too short to mask is returned as stored (it is masked already).
 */
export function shortMaskedAccount(masked: string | null): string | null {
  if (!masked) return null;
  const compact = masked.replace(/\s+/g, '');
  if (compact.length <= 8) return masked.trim();
  const country = /^[A-Z]{2}(?=\d|•)/.exec(compact)?.[0];
  const tail = compact
    .slice(-4)
    .replace(/[^A-Za-z0-9]/g, '•')
    .toUpperCase();
  return country ? `${country}•• •••• ${tail}` : `•••• ${tail}`;
}

export interface ContractPaymentData {
  currency: string;
  paymentMethod: PaymentMethod;
  ibanMasked: string | null;
  mandateReference: string | null;
}

export interface InvoicePaymentFacts {
  amount: number;
  dueOn: string;
  paidAt: Date | null;
  paidAmount: number | null;
}

/** Autogiro is the Swedish direct debit; every EUR direct debit here is SEPA Core. */
export function schemeOf(currency: string): DirectDebitScheme {
  return currency === 'SEK' ? 'autogiro' : 'sepa';
}

/**
 * `today` (the landlord's calendar day) matters only for a standing order: once its invoice is past due
 * unpaid, the standing order did not cover it and the tenant is asked to transfer the amount now.
 */
export function invoicePaymentOf(
  invoice: InvoicePaymentFacts,
  contract: ContractPaymentData,
  entries: readonly InvoiceLedgerEntry[],
  today?: string,
): InvoicePaymentDto {
  if (invoice.paidAt) return { kind: 'paid', paidAt: invoice.paidAt.toISOString() };
  // A part payment lowers what is still open (as the home page's open total counts it).
  const open = invoice.amount - (invoice.paidAmount ?? 0);
  if (open <= 0) return { kind: 'nothing_due' };
  const scheme = schemeOf(contract.currency);
  const returned = debitReturnOf(entries);
  if (returned) return { kind: 'debit_returned', scheme, ...returned, amountDue: open + returned.fees };
  if (contract.paymentMethod === 'direct_debit') {
    return {
      kind: 'direct_debit',
      scheme,
      debitOn: invoice.dueOn,
      accountMasked: shortMaskedAccount(contract.ibanMasked),
      mandateReference: contract.mandateReference,
    };
  }
  if (contract.paymentMethod === 'standing_order' && !(today && invoice.dueOn < today))
    return { kind: 'standing_order', amountDue: open, dueOn: invoice.dueOn };
  return { kind: 'transfer', amountDue: open };
}

/** Whether the tenant moves the money themselves, so the landlord's account belongs on the page. */
export function tenantPays(payment: InvoicePaymentDto): boolean {
  return payment.kind === 'standing_order' || asksForTransfer(payment);
}

/** Whether the tenant has to move money themselves, so a payment code belongs on the page. */
export function asksForTransfer(
  payment: InvoicePaymentDto,
): payment is Extract<InvoicePaymentDto, { amountDue: number }> {
  return payment.kind === 'transfer' || payment.kind === 'debit_returned';
}
