import type { InvoiceInsert } from '../../db/repositories/invoices.ts';
import type { LedgerEntryInsert } from '../../db/repositories/ledger.ts';
import { ocrWithCheckDigit } from '../pdf/ocr.ts';
import {
  addDays,
  addMonths,
  dateAt,
  daysBefore,
  firstOfMonth,
  isoDate,
  isoDateOf,
  lastOfMonth,
  lastWorkingDayBefore,
  monthLabel,
  nthWorkingDay,
  yearMonthOf,
  type YearMonth,
} from './calendar.ts';
import type { SeedContext } from './context.ts';
import type { ContractPlan } from './contracts.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_INVOICE_MONTHS } from './demo-constants.ts';
import { rentOn } from './rent.ts';

type Row<T> = T & { id: string };

export interface LedgerPlan {
  invoices: Row<InvoiceInsert>[];
  entries: Row<LedgerEntryInsert>[];
}

/** The latest operating-cost statement (Betriebskostenabrechnung): published 40 days ago, for last year. */
export interface OperatingCostStatement {
  year: number;
  publishedAt: Date;
  publishedOn: string;
  /** Erika pays a little back; Max gets a credit, which leaves his rent account in credit. */
  tenantBackPayment: number;
  neighbourCredit: number;
}

export function planOperatingCostStatement(context: SeedContext): OperatingCostStatement {
  const publishedAt = dateAt(isoDateOf(daysBefore(context.now, 40)), 8);
  // Landlords settle a year within twelve months of its end (§ 556 Abs. 3 BGB); a statement
  // sent in the first quarter still covers the year before last.
  const basis = addMonths(yearMonthOf(publishedAt), -3);
  return {
    year: basis.year - 1,
    publishedAt,
    publishedOn: isoDateOf(publishedAt),
    tenantBackPayment: 4680,
    neighbourCredit: 8412,
  };
}

interface InvoiceDates {
  issuedOn: string;
  dueOn: string;
}

function invoiceDates(currency: string, period: YearMonth): InvoiceDates {
  const previous = addMonths(period, -1);
  if (currency === 'SEK') {
    // A Swedish hyresavi goes out a month ahead; rent is due the last working day before the month.
    return { issuedOn: firstOfMonth(previous), dueOn: lastWorkingDayBefore(firstOfMonth(period)) };
  }
  return { issuedOn: isoDate(previous.year, previous.month, 20), dueOn: nthWorkingDay(period, 3) };
}

function paymentReference(contract: ContractPlan, period: YearMonth): string {
  const yyyy = String(period.year);
  const mm = String(period.month).padStart(2, '0');
  if (contract.row.currency === 'SEK')
    return ocrWithCheckDigit(`${contract.ocrPrefix ?? '2006000'}${yyyy.slice(2)}${mm}`);
  // Structured remittance text: invoice month and the payer's customer number.
  const customerNumber = contract.parties[0]?.person.customerNumber ?? contract.row.number;
  return `RE-${yyyy}-${mm}-${customerNumber}`;
}

const paymentText = {
  direct_debit: 'Lastschrift',
  transfer: 'Überweisung',
  standing_order: 'Dauerauftrag',
} as const;

export function planLedger(
  context: SeedContext,
  contracts: ContractPlan[],
  statement: OperatingCostStatement,
): LedgerPlan {
  const { random, now } = context;
  const invoices: Row<InvoiceInsert>[] = [];
  const entries: Row<LedgerEntryInsert>[] = [];
  const entry = (values: LedgerEntryInsert) => entries.push({ id: context.newId(), ...values });

  for (const contract of contracts) {
    const { row, payment } = contract;
    const language = contract.building.language;
    const firstUnpaid = DEMO_INVOICE_MONTHS - (payment.unpaidLast ?? 0);
    for (let offset = 0; offset < DEMO_INVOICE_MONTHS; offset++) {
      const period = addMonths(context.firstInvoicedMonth, offset);
      const periodStart = firstOfMonth(period);
      const jitter = random.int(0, 4);
      if (periodStart < row.startDate) continue;
      const { issuedOn, dueOn } = invoiceDates(row.currency, period);
      const amount = rentOn(contract.components, periodStart);
      const invoice: Row<InvoiceInsert> = {
        id: context.newId(),
        contractId: row.id,
        number: `${row.number}-${period.year}${String(period.month).padStart(2, '0')}`,
        periodStart,
        periodEnd: lastOfMonth(period),
        issuedOn,
        dueOn,
        amount,
        currency: row.currency,
        paymentReference: paymentReference(contract, period),
        createdAt: dateAt(issuedOn, 6),
      };
      invoices.push(invoice);
      const chargeText =
        language === 'sv' ? `Hyra ${monthLabel(period, 'sv')}` : `Miete ${monthLabel(period, 'de')}`;
      entry({
        contractId: row.id,
        bookedOn: periodStart,
        kind: 'charge',
        description: chargeText,
        amount,
        invoiceId: invoice.id,
      });

      if (offset >= firstUnpaid) {
        // The older open month: the direct debit was taken and came back (Rücklastschrift).
        const returnedOn = addDays(dueOn, 2);
        if (payment.returnedDebit && offset === firstUnpaid && returnedOn <= context.today) {
          entry({
            contractId: row.id,
            bookedOn: dueOn,
            kind: 'payment',
            description: 'Lastschrift',
            amount: -amount,
            invoiceId: invoice.id,
          });
          entry({
            contractId: row.id,
            bookedOn: returnedOn,
            kind: 'adjustment',
            description: 'Rücklastschrift',
            amount,
            invoiceId: invoice.id,
          });
        }
        continue;
      }
      let paidOn: string;
      if (offset === payment.lateMonthIndex) paidOn = addDays(dueOn, 8 + jitter);
      else if (payment.style === 'direct_debit') paidOn = dueOn;
      else if (payment.style === 'standing_order') paidOn = addDays(periodStart, -(1 + jitter));
      else paidOn = addDays(dueOn, -jitter);
      const paidAt = dateAt(paidOn, 9);
      // Nothing is paid in the future: early in a month the newest invoice is simply not due yet.
      if (paidAt > now) continue;
      invoice.paidAt = paidAt;
      invoice.paidAmount = amount;
      const description = language === 'sv' ? 'Inbetalning bankgiro (OCR)' : paymentText[payment.style];
      entry({
        contractId: row.id,
        bookedOn: paidOn,
        kind: 'payment',
        description,
        amount: -amount,
        invoiceId: invoice.id,
      });
    }
  }

  const tenant = contracts.find((contract) => contract.row.number === DEMO_CONTRACT_NUMBERS.tenant);
  const neighbour = contracts.find((contract) => contract.row.number === DEMO_CONTRACT_NUMBERS.neighbour);
  const statementText = `Betriebskostenabrechnung ${statement.year}`;
  if (tenant) {
    const amount = statement.tenantBackPayment;
    entry({
      contractId: tenant.row.id,
      bookedOn: statement.publishedOn,
      kind: 'charge',
      description: `Nachzahlung ${statementText}`,
      amount,
    });
    entry({
      contractId: tenant.row.id,
      bookedOn: addDays(statement.publishedOn, 14),
      kind: 'payment',
      description: 'Überweisung',
      amount: -amount,
    });
  }
  if (neighbour) {
    entry({
      contractId: neighbour.row.id,
      bookedOn: statement.publishedOn,
      kind: 'credit',
      description: `Guthaben ${statementText}`,
      amount: -statement.neighbourCredit,
    });
  }
  return { invoices, entries };
}
