import {
  listPartyNamesOfContract,
  listRentComponentsValidOn,
  listUnitsOfContract,
} from '../../db/repositories/contracts.ts';
import {
  findInvoiceWithContract,
  listInvoicesOfContracts,
  listLedgerEntriesOfInvoices,
  type Invoice,
} from '../../db/repositories/invoices.ts';
import { inReadSnapshot } from '../../db/prepared.ts';
import type { Locale } from '../../shared/api/auth.ts';
import { resourceIdPattern } from '../../shared/api/contracts.ts';
import type {
  InvoiceDetailDto,
  InvoiceLineDto,
  InvoiceListQuery,
  InvoicePaymentDto,
  InvoiceStatus,
  InvoiceSummaryDto,
} from '../../shared/api/invoices.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { todayIn } from '../lib/dates.ts';
import { notFound } from '../lib/http-error.ts';
import {
  invoiceQrPayload,
  renderInvoicePdf,
  type InvoicePdfInput,
  type InvoicePdfPayment,
} from '../pdf/invoice.ts';
import { bankgiroOcrLine } from '../pdf/payment-qr.ts';
import { assertCanSeeContract } from './access.ts';
import { byKind, componentLabel, customerScopeOf, displayNameOf } from './contracts.ts';
import type { PdfDownload } from '../lib/pdf-download.ts';
import {
  asksForTransfer,
  invoicePaymentOf,
  tenantPays,
  type ContractPaymentData,
  type InvoiceLedgerEntry,
} from './invoice-payment.ts';
import { loadLandlordProfile, loadPaymentAccounts } from './landlord.ts';

/** Seed 004 "Avier & fakturor": `overdue` once the due date has passed unpaid. */
function statusOf(invoice: Invoice, today: string): InvoiceStatus {
  if (invoice.paidAt) return 'paid';
  return invoice.dueOn < today ? 'overdue' : 'unpaid';
}

function summaryOf(
  invoice: Invoice,
  contractNumber: string,
  today: string,
  payment: InvoicePaymentDto,
): InvoiceSummaryDto {
  return {
    id: invoice.id,
    number: invoice.number,
    contractId: invoice.contractId,
    contractNumber,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    issuedOn: invoice.issuedOn,
    dueOn: invoice.dueOn,
    amount: invoice.amount,
    currency: invoice.currency as InvoiceSummaryDto['currency'],
    paymentReference: invoice.paymentReference,
    paidAt: invoice.paidAt ? invoice.paidAt.toISOString() : null,
    status: statusOf(invoice, today),
    payment,
  };
}

function entriesByInvoice(entries: readonly InvoiceLedgerEntry[]): Map<string, InvoiceLedgerEntry[]> {
  const byInvoice = new Map<string, InvoiceLedgerEntry[]>();
  for (const entry of entries) {
    const list = byInvoice.get(entry.invoiceId);
    if (list) list.push(entry);
    else byInvoice.set(entry.invoiceId, [entry]);
  }
  return byInvoice;
}

/** `GET /invoices?unpaid=&contractId=`: one query for all of the customer's contracts. */
export async function listMyInvoices(
  deps: Deps,
  user: SessionUser,
  query: InvoiceListQuery,
): Promise<InvoiceSummaryDto[]> {
  return await inReadSnapshot(deps.db, async () => {
    const { scope, today } = await customerScopeOf(deps, user);
    let contractIds = [...scope.contracts.keys()];
    if (query.contractId !== undefined) {
      assertCanSeeContract(scope, query.contractId);
      contractIds = [query.contractId];
    }
    const rows = await listInvoicesOfContracts(deps.db, contractIds, { unpaidOnly: query.unpaid });
    // Paid invoices need no ledger: only open ones can carry a returned debit.
    const open = rows.filter((row) => row.invoice.paidAt === null).map((row) => row.invoice.id);
    const entries = entriesByInvoice(await listLedgerEntriesOfInvoices(deps.db, contractIds, open));
    return rows.map((row) =>
      summaryOf(
        row.invoice,
        row.contractNumber,
        today,
        invoicePaymentOf(
          row.invoice,
          { ...row, currency: row.invoice.currency },
          entries.get(row.invoice.id) ?? [],
          today,
        ),
      ),
    );
  });
}

/**
 * Everything the invoice page and the PDF show, from a fixed number of queries: the invoice and its
 * contract, the components valid in its period (the lines), the recipient and the payee.
 */
async function loadInvoiceDocument(deps: Deps, user: SessionUser, invoiceId: string, locale: Locale) {
  return await inReadSnapshot(deps.db, async () => {
    const { scope, today } = await customerScopeOf(deps, user);
    if (!resourceIdPattern.test(invoiceId)) throw notFound();
    const found = await findInvoiceWithContract(deps.db, invoiceId);
    if (!found) throw notFound();
    assertCanSeeContract(scope, found.contract.id);
    const { invoice, contract } = found;

    const components = (await listRentComponentsValidOn(deps.db, contract.id, invoice.periodStart)).sort(
      byKind,
    );
    // Lines only when they explain the amount exactly; a manual or prorated invoice prints as one line.
    const matches = components.reduce((total, row) => total + row.amount, 0) === invoice.amount;
    const lines: InvoiceLineDto[] = matches
      ? components.map((row) => ({ kind: row.kind, label: row.label, amount: row.amount }))
      : [{ kind: 'other', label: null, amount: invoice.amount }];

    const [first] = await listUnitsOfContract(deps.db, contract.id);
    const parties = await listPartyNamesOfContract(deps.db, contract.id);
    const mainTenant = parties.find((party) => party.role === 'main_tenant') ?? parties[0];
    // The letter comes from the office in the building's country (a Malmö flat's from Malmö).
    const landlord = await loadLandlordProfile(deps.db, first?.building.country);
    const accounts = await loadPaymentAccounts(deps.db, (await loadLandlordProfile(deps.db)).name);
    const currency = invoice.currency === 'SEK' ? 'SEK' : 'EUR';
    const sek = currency === 'SEK';
    const entries = invoice.paidAt
      ? []
      : await listLedgerEntriesOfInvoices(deps.db, [contract.id], [invoice.id]);
    const payment = invoicePaymentOf(invoice, contract satisfies ContractPaymentData, entries, today);
    const pdfInput: InvoicePdfInput = {
      locale,
      landlord: {
        ...landlord,
        name: sek ? accounts.SEK.name : accounts.EUR.name,
        // The renderer always wants an IBAN; SEK invoices print and encode the bankgiro instead.
        iban: accounts.EUR.iban,
        bic: sek ? undefined : accounts.EUR.bic,
        creditorId: sek ? undefined : accounts.EUR.creditorId,
        bankgiro: sek ? accounts.SEK.bankgiro : undefined,
        orgNumber: sek ? accounts.SEK.orgNumber : undefined,
        vatNumber: landlord.legal?.vatId,
        ocrLengthDigit: sek ? accounts.SEK.ocrLengthDigit : undefined,
      },
      recipient: {
        name: mainTenant ? displayNameOf(mainTenant) : contract.number,
        street: first ? `${first.building.street} ${first.building.houseNumber}` : '',
        postalCode: first?.building.postalCode ?? '',
        city: first?.building.city ?? '',
        country: first?.building.country ?? landlord.country,
      },
      invoice: {
        number: invoice.number,
        periodStart: invoice.periodStart,
        periodEnd: invoice.periodEnd,
        issuedOn: invoice.issuedOn,
        dueOn: invoice.dueOn,
        amount: invoice.amount,
        currency,
        paymentReference: invoice.paymentReference,
      },
      lines: matches
        ? components.map((row) => ({ label: componentLabel(row, locale), amount: row.amount }))
        : [],
      contractNumber: contract.number,
      unitLabel: first ? `${first.building.street} ${first.building.houseNumber}, ${first.unit.number}` : '',
      payment: pdfPaymentOf(payment, invoice, today, deps.config.timeZone),
    };
    return { summary: summaryOf(invoice, contract.number, today, payment), lines, pdfInput, accounts };
  });
}

/** The settlement as the PDF prints it: calendar dates in the landlord's zone, the debit's tense. */
function pdfPaymentOf(
  payment: InvoicePaymentDto,
  invoice: Invoice,
  today: string,
  timeZone: string,
): InvoicePdfPayment {
  switch (payment.kind) {
    case 'paid':
      return {
        kind: 'paid',
        paidOn: todayIn(timeZone, new Date(payment.paidAt)),
        amount: invoice.paidAmount ?? invoice.amount,
      };
    case 'direct_debit':
      return { ...payment, debitCollected: payment.debitOn < today };
    case 'transfer':
      return { ...payment, overdue: invoice.dueOn < today };
    case 'standing_order':
      return { kind: 'standing_order', amountDue: payment.amountDue };
    default:
      return payment;
  }
}

/**
 * `GET /invoices/:id`: the page with lines, payee, the QR text printed on the PDF and the OCR line.
 * The landlord's account goes out only where the tenant pays themselves: beside a direct debit or a
 * paid invoice it would only invite paying (twice).
 */
export async function getMyInvoice(
  deps: Deps,
  user: SessionUser,
  invoiceId: string,
): Promise<InvoiceDetailDto> {
  const { summary, lines, pdfInput, accounts } = await loadInvoiceDocument(
    deps,
    user,
    invoiceId,
    user.language,
  );
  const sek = summary.currency === 'SEK';
  const transfer = asksForTransfer(summary.payment) ? summary.payment : null;
  const debit = summary.payment.kind === 'direct_debit' || summary.payment.kind === 'debit_returned';
  return {
    ...summary,
    lines,
    payee: !tenantPays(summary.payment)
      ? null
      : sek
        ? {
            name: accounts.SEK.name,
            iban: null,
            bic: null,
            bankgiro: accounts.SEK.bankgiro,
            orgNumber: accounts.SEK.orgNumber ?? null,
          }
        : {
            name: accounts.EUR.name,
            iban: accounts.EUR.iban,
            bic: accounts.EUR.bic ?? null,
            bankgiro: null,
            orgNumber: null,
          },
    qrPayload: invoiceQrPayload(pdfInput),
    ocrLine:
      sek && transfer && transfer.amountDue > 0
        ? bankgiroOcrLine(summary.paymentReference, transfer.amountDue, accounts.SEK.bankgiro)
        : null,
    creditorId: !sek && debit ? (accounts.EUR.creditorId ?? null) : null,
    pdfUrl: `/api/invoices/${summary.id}/pdf`,
  };
}

const INVOICE_FILE_STEM: Record<Locale, string> = { de: 'Rechnung', en: 'invoice', sv: 'hyresavi' };

/** `GET /invoices/:id/pdf` in the reader's language. */
export async function renderMyInvoicePdf(
  deps: Deps,
  user: SessionUser,
  invoiceId: string,
  locale: Locale,
): Promise<PdfDownload> {
  const { summary, pdfInput } = await loadInvoiceDocument(deps, user, invoiceId, locale);
  const bytes = await renderInvoicePdf(pdfInput);
  return { bytes, fileName: `${INVOICE_FILE_STEM[locale]}-${summary.number}.pdf` };
}
