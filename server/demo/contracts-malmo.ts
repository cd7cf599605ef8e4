import type { ContractInsert } from '../../db/repositories/contracts.ts';
import { addMonths, firstOfMonth } from './calendar.ts';
import type { SeedContext } from './context.ts';
import type { ContractPlan } from './contracts.ts';
import { DEMO_CONTRACT_NUMBERS } from './demo-constants.ts';
import { findUnit, type EstatePlan } from './estates.ts';
import { malmoOrganisation, malmoPhone, type PersonInsert } from './people.ts';
import { rentComponentRows, withSwedishVat, type ComponentAmount, type RentSegment } from './rent.ts';

/**
 * Commercial leases in Malmö (seed 004, Ernst Rosén): organisations as tenants, rent in SEK with
 * VAT, paid by bankgiro with an OCR number, and an index clause raising the base rent each January.
 */

interface Lease {
  unit: string;
  tenant: PersonInsert;
  start: string;
}

function planTenants(context: SeedContext) {
  const organisation = (name: string, stem: string, customer: string, domain: string) =>
    malmoOrganisation(context, name, stem, customer, domain);
  const oresund = organisation('Öresund Design AB', '556123456', '20060001', 'oresund-design.example');
  const kvarnby = organisation('Kvarnby Kaffe AB', '559012345', '20060002', 'kvarnby-kaffe.example');
  // Handelsbolag numbers start with 96 (Skatteverket SKV 709).
  const lindgren = organisation(
    'Advokatfirman Lindgren HB',
    '969712345',
    '20060003',
    'lindgren-advokat.example',
  );
  const fysio = organisation('Nordisk Fysioterapi AB', '556987654', '20060004', 'nordiskfysio.example');
  const ingrid: PersonInsert = {
    id: context.newId(),
    kind: 'natural',
    firstName: 'Ingrid',
    lastName: 'Lindberg',
    customerNumber: '20060005',
    email: 'ingrid.lindberg@example.org',
    mobile: malmoPhone(55),
    language: 'sv',
  };
  const leases: Lease[] = [
    { unit: '0101', tenant: oresund, start: '2017-04-01' },
    { unit: '0102', tenant: kvarnby, start: '2020-10-01' },
    { unit: '0201', tenant: lindgren, start: '2015-01-01' },
    { unit: '0202', tenant: fysio, start: '2019-03-01' },
    { unit: 'P01', tenant: oresund, start: '2017-04-01' },
    { unit: 'P02', tenant: oresund, start: '2018-02-01' },
    { unit: 'P03', tenant: lindgren, start: '2015-01-01' },
    { unit: 'P04', tenant: fysio, start: '2019-03-01' },
    { unit: 'P05', tenant: ingrid, start: '2022-05-01' },
  ];
  return leases;
}

/** Index clause (KPI): base rent and its property-tax share rise every 1 January. */
function commercialSegments(context: SeedContext, start: string, areaSqm: number): RentSegment[] {
  const { random } = context;
  let netRent = Math.round((areaSqm * random.int(1500, 2300)) / 12) * 100;
  const heating = Math.round(areaSqm * 8) * 100;
  const components = (): ComponentAmount[] =>
    withSwedishVat([
      { kind: 'net_rent', label: 'Bashyra', amount: netRent },
      { kind: 'surcharge', label: 'Fastighetsskatt', amount: Math.round((netRent * 0.04) / 100) * 100 },
      { kind: 'heating_advance', label: 'Värme', amount: heating },
    ]);
  const segments: RentSegment[] = [{ from: start, components: components() }];
  const lastFrom = firstOfMonth(context.currentMonth);
  for (let month = context.firstInvoicedMonth; firstOfMonth(month) <= lastFrom; month = addMonths(month, 1)) {
    const from = firstOfMonth(month);
    if (month.month !== 1 || from <= start) continue;
    netRent = Math.round((netRent * (1000 + random.int(15, 45))) / 1000 / 100) * 100;
    segments.push({ from, components: components() });
  }
  return segments;
}

export function planMalmoContracts(
  context: SeedContext,
  estates: EstatePlan,
  vacant: Set<string>,
): ContractPlan[] {
  const { random } = context;
  const contracts: ContractPlan[] = [];
  for (const lease of planTenants(context)) {
    const unit = findUnit(estates, lease.unit);
    if (vacant.has(lease.unit)) continue;
    const parking = unit.row.kind === 'parking';
    const id = context.newId();
    const segments: RentSegment[] = parking
      ? [
          {
            from: lease.start,
            components: withSwedishVat([
              { kind: 'parking', label: `Garageplats ${lease.unit}`, amount: random.int(65, 95) * 1000 },
            ]),
          },
        ]
      : commercialSegments(context, lease.start, unit.row.areaSqm ?? 100);
    const firstMonthRent = segments[0]?.components.reduce((sum, component) => sum + component.amount, 0) ?? 0;
    const number =
      lease.unit === '0101'
        ? DEMO_CONTRACT_NUMBERS.malmoCommercial
        : `2006-${lease.unit}-${String(random.int(1, 3)).padStart(2, '0')}`;
    const row: ContractInsert & { id: string } = {
      id,
      number,
      kind: parking ? 'parking' : 'commercial',
      startDate: lease.start,
      currency: 'SEK',
      paymentMethod: 'transfer',
      // Säkerhet: three months' rent including VAT for premises; none for a garage space.
      depositAmount: parking ? null : firstMonthRent * 3,
    };
    contracts.push({
      row,
      unit,
      building: unit.building,
      parties: [
        {
          contractId: id,
          personId: lease.tenant.id,
          role: 'main_tenant',
          access: 'full',
          since: lease.start,
          person: lease.tenant,
        },
      ],
      components: rentComponentRows(context, id, segments),
      payment: { style: 'transfer' },
      ocrPrefix: `2006${String(contracts.length + 1).padStart(3, '0')}`,
    });
  }
  return contracts;
}
