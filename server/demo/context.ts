import { createIdSource, createRandom, type Random } from './random.ts';
import { addMonths, isoDateOf, yearMonthOf, type YearMonth } from './calendar.ts';

/** What every part of the demo plan draws on: the clock it is relative to and the seeded streams. */
export interface SeedContext {
  now: Date;
  /** `now` as an ISO date (UTC). */
  today: string;
  currentMonth: YearMonth;
  /** The first of the 24 invoiced months (DEMO_INVOICE_MONTHS). */
  firstInvoicedMonth: YearMonth;
  random: Random;
  newId: () => string;
}

// Arbitrary fixed seeds: changing one reshuffles the generated tenants (and with it the demo).
const contentSeed = 20260501;
const idSeed = 4711;

export function createSeedContext(now: Date, invoicedMonths: number): SeedContext {
  const currentMonth = yearMonthOf(now);
  return {
    now,
    today: isoDateOf(now),
    currentMonth,
    firstInvoicedMonth: addMonths(currentMonth, -(invoicedMonths - 1)),
    random: createRandom(contentSeed),
    newId: createIdSource(idSeed),
  };
}
