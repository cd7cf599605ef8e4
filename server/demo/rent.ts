import type { RentComponentInsert } from '../../db/repositories/contracts.ts';
import { addDays } from './calendar.ts';
import type { SeedContext } from './context.ts';

export type ComponentKind = RentComponentInsert['kind'];

export interface ComponentAmount {
  kind: ComponentKind;
  label: string | null;
  amount: number;
}

/** The complete rent composition valid from `from` until the next segment starts. */
export interface RentSegment {
  from: string;
  components: ComponentAmount[];
}

const keyOf = (component: ComponentAmount) => `${component.kind}:${component.label ?? ''}`;

/**
 * Turns a list of compositions into component rows with validity (the rent history of seed 000):
 * a row only ends when its amount changes or it disappears, so an unchanged service charge stays
 * one row across a rent increase.
 */
export function rentComponentRows(
  context: SeedContext,
  contractId: string,
  segments: readonly RentSegment[],
): (RentComponentInsert & { id: string })[] {
  const rows: (RentComponentInsert & { id: string })[] = [];
  const open = new Map<string, RentComponentInsert & { id: string }>();
  for (const segment of segments) {
    const present = new Set<string>();
    for (const component of segment.components) {
      const key = keyOf(component);
      present.add(key);
      const current = open.get(key);
      if (current && current.amount === component.amount) continue;
      if (current) current.validTo = addDays(segment.from, -1);
      const row = { id: context.newId(), contractId, validFrom: segment.from, validTo: null, ...component };
      rows.push(row);
      open.set(key, row);
    }
    for (const [key, row] of open) {
      if (present.has(key)) continue;
      row.validTo = addDays(segment.from, -1);
      open.delete(key);
    }
  }
  return rows;
}

/** The monthly amount due on a day: every component valid then. */
export function rentOn(rows: readonly RentComponentInsert[], isoDate: string): number {
  return rows
    .filter((row) => row.validFrom <= isoDate && (row.validTo == null || row.validTo >= isoDate))
    .reduce((sum, row) => sum + row.amount, 0);
}

/** Sum of one component kind over the months of a year that the rows cover (advance payments made). */
export function paidInYear(rows: readonly RentComponentInsert[], kind: ComponentKind, year: number): number {
  let sum = 0;
  for (let month = 1; month <= 12; month++) {
    const day = `${year}-${String(month).padStart(2, '0')}-01`;
    sum += rentOn(
      rows.filter((row) => row.kind === kind),
      day,
    );
  }
  return sum;
}

/**
 * Swedish commercial rent: moms (25 %) on every component when the landlord opted into VAT
 * for the premises ("frivillig skattskyldighet"), as commercial landlords usually do.
 */
export function withSwedishVat(components: ComponentAmount[]): ComponentAmount[] {
  const base = components.reduce((sum, component) => sum + component.amount, 0);
  return [...components, { kind: 'vat', label: 'Moms 25 %', amount: Math.round((base * 0.25) / 100) * 100 }];
}
