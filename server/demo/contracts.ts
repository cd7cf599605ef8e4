import type { ContractInsert, ContractPartyInsert } from '../../db/repositories/contracts.ts';
import { addDays, addMonths, firstOfMonth, isoDate } from './calendar.ts';
import type { SeedContext } from './context.ts';
import { DEMO_CONTRACT_NUMBERS } from './demo-constants.ts';
import { findUnit, type BuildingPlan, type EstatePlan, type UnitPlan } from './estates.ts';
import { planMalmoContracts } from './contracts-malmo.ts';
import { randomBerlinTenant, type FixedPeople, type OwnershipInsert, type PersonInsert } from './people.ts';
import { rentComponentRows, type ComponentAmount, type RentSegment } from './rent.ts';

/** How the rent arrives, which the ledger turns into payments (or their absence). */
export interface PaymentBehaviour {
  style: 'direct_debit' | 'transfer' | 'standing_order';
  /** The newest N invoices stay open. */
  unpaidLast?: number;
  /** Of those, the older one's direct debit came back (Rücklastschrift). */
  returnedDebit?: boolean;
  /** Index (0 = oldest invoiced month) of one invoice paid late. */
  lateMonthIndex?: number;
}

export interface ContractPlan {
  row: ContractInsert & { id: string };
  unit: UnitPlan;
  building: BuildingPlan;
  parties: (ContractPartyInsert & { person: PersonInsert })[];
  components: ReturnType<typeof rentComponentRows>;
  payment: PaymentBehaviour;
  /** Swedish invoices: the digits before period and check digit of the OCR number. */
  ocrPrefix?: string;
}

export interface ContractsPlan {
  contracts: ContractPlan[];
  /** Tenants of the contracts (the fixed people included where they are tenants). */
  tenants: PersonInsert[];
  ownerships: OwnershipInsert[];
}

/** Units left empty so the staff console shows vacancies. */
const vacantUnits = new Set(['3.10', '5.08', 'P06']);

interface BerlinTerms {
  start: string;
  netRent: number;
  netLabel?: string;
  serviceCharge: number;
  heating: number;
  surcharge?: ComponentAmount;
  /** Mieterhöhung (§ 558 BGB) effective this many months before the current one. */
  increase?: { monthsAgo: number; netRent: number };
  /** Advance adjusted after an operating-cost statement (§ 560 Abs. 4 BGB). */
  serviceChange?: { monthsAgo: number; serviceCharge: number };
}

const surcharges: ComponentAmount[] = [
  { kind: 'surcharge', label: 'Zuschlag Einbauküche', amount: 2500 },
  { kind: 'surcharge', label: 'Untermietzuschlag', amount: 2000 },
  { kind: 'parking', label: 'Stellplatz Hof', amount: 4500 },
];

function berlinSegments(context: SeedContext, terms: BerlinTerms): RentSegment[] {
  const changeOn = (monthsAgo: number) => firstOfMonth(addMonths(context.currentMonth, -monthsAgo));
  const dates = new Set([terms.start]);
  if (terms.increase) dates.add(changeOn(terms.increase.monthsAgo));
  if (terms.serviceChange) dates.add(changeOn(terms.serviceChange.monthsAgo));
  return [...dates].sort().map((from) => {
    const after = (monthsAgo: number | undefined) => monthsAgo !== undefined && from >= changeOn(monthsAgo);
    const components: ComponentAmount[] = [
      {
        kind: 'net_rent',
        label: terms.netLabel ?? null,
        amount: after(terms.increase?.monthsAgo) ? (terms.increase?.netRent ?? terms.netRent) : terms.netRent,
      },
      {
        kind: 'service_charge_advance',
        label: null,
        amount: after(terms.serviceChange?.monthsAgo)
          ? (terms.serviceChange?.serviceCharge ?? terms.serviceCharge)
          : terms.serviceCharge,
      },
      { kind: 'heating_advance', label: null, amount: terms.heating },
    ];
    if (terms.surcharge) components.push(terms.surcharge);
    return { from, components };
  });
}

function randomBerlinTerms(context: SeedContext, unit: UnitPlan): BerlinTerms {
  const { random } = context;
  const area = unit.row.areaSqm ?? 60;
  const netRent = Math.round(area * random.int(720, 1180));
  const serviceCharge = Math.round(area * 2.3) * 100;
  return {
    start: isoDate(random.int(2008, 2021), random.int(1, 12), 1),
    netRent,
    serviceCharge,
    heating: Math.round(area * 1.2) * 100,
    surcharge: random.chance(0.2) ? random.pick(surcharges) : undefined,
    increase: random.chance(0.5)
      ? { monthsAgo: random.int(2, 20), netRent: Math.round((netRent * (100 + random.int(4, 9))) / 100) }
      : undefined,
    serviceChange: random.chance(0.3)
      ? { monthsAgo: random.int(1, 12), serviceCharge: serviceCharge + random.int(1, 4) * 500 }
      : undefined,
  };
}

/** "DE89 •••• •••• •••• ••27 40": only the country, check digits and last four digits survive. */
const maskedIban = (checkDigits: number, lastDigits: number) => {
  const tail = String(lastDigits).padStart(4, '0');
  return `DE${checkDigits} •••• •••• •••• ••${tail.slice(0, 2)} ${tail.slice(2)}`;
};

/** A demo tenant's account: the two random draws the plan always made, the last four digits from both. */
const randomMaskedIban = (random: SeedContext['random']) => {
  const checkDigits = random.int(10, 99);
  return maskedIban(checkDigits, random.int(0, 99) * 100 + checkDigits);
};

/**
 * The SEPA mandate of a direct-debit contract: the landlord's reference (contract number and a running
 * number) and the day the tenant signed it, shortly before the contract started.
 */
const mandateOf = (number: string, start: string) => ({
  mandateReference: `M-${number}-01`,
  mandateSignedOn: addDays(start, -14),
});

const displayName = (person: PersonInsert) =>
  person.organisationName ?? [person.firstName, person.lastName].filter(Boolean).join(' ');

interface BerlinSpecial {
  number: string;
  terms: BerlinTerms;
  parties: ContractPlan['parties'];
  payment: PaymentBehaviour;
  iban?: string;
  cooperative?: { shares: number; shareValue: number };
}

function specials(context: SeedContext, people: FixedPeople): Map<string, BerlinSpecial> {
  const party = (
    person: PersonInsert,
    role: ContractPartyInsert['role'],
    access: 'full' | 'read' = 'full',
  ) => ({
    contractId: '',
    personId: person.id,
    role,
    access,
    person,
  });
  return new Map<string, BerlinSpecial>([
    [
      '1.02',
      {
        number: DEMO_CONTRACT_NUMBERS.tenant,
        terms: {
          start: '2016-04-01',
          netRent: 54825,
          serviceCharge: 15000,
          heating: 8500,
          surcharge: { kind: 'surcharge', label: 'Zuschlag Einbauküche', amount: 2000 },
          increase: { monthsAgo: 8, netRent: 58050 },
        },
        // Jonas, the grown-up son, reads along but may not file requests (seed 003, DESIGN.md roles).
        parties: [party(people.erika, 'main_tenant'), party(people.jonas, 'household_member', 'read')],
        payment: { style: 'direct_debit', unpaidLast: 2, returnedDebit: true },
        iban: maskedIban(89, 2740),
      },
    ],
    [
      '1.05',
      {
        number: DEMO_CONTRACT_NUMBERS.neighbour,
        terms: {
          start: '2019-09-01',
          netRent: 52890,
          serviceCharge: 14500,
          heating: 8000,
          serviceChange: { monthsAgo: 1, serviceCharge: 13500 },
        },
        parties: [party(people.max, 'main_tenant'), party(people.lea, 'co_tenant')],
        // A standing order before the month starts, so the statement credit leaves a credit balance.
        payment: { style: 'standing_order' },
      },
    ],
    [
      '3.04',
      {
        number: DEMO_CONTRACT_NUMBERS.unregistered,
        terms: { start: '2021-09-01', netRent: 49000, serviceCharge: 13000, heating: 7000 },
        parties: [party(people.hannah, 'main_tenant')],
        payment: { style: 'direct_debit' },
        iban: maskedIban(12, 3715),
      },
    ],
    [
      '5.03',
      {
        number: DEMO_CONTRACT_NUMBERS.cooperative,
        // Seed 002: members pay a "Nutzungsgebühr" and hold shares instead of a deposit.
        terms: {
          start: '2012-07-01',
          netRent: 61000,
          netLabel: 'Nutzungsgebühr',
          serviceCharge: 21000,
          heating: 11000,
          increase: { monthsAgo: 14, netRent: 63500 },
        },
        parties: [party(randomBerlinTenant(context, '10050301', 'Lange'), 'main_tenant')],
        payment: { style: 'direct_debit' },
        iban: maskedIban(27, 4108),
        cooperative: { shares: 80000, shareValue: 16000 },
      },
    ],
  ]);
}

function planBerlinContract(
  context: SeedContext,
  unit: UnitPlan,
  special: BerlinSpecial | undefined,
): ContractPlan {
  const { random } = context;
  const flat = unit.row.number.split('.')[1] ?? '00';
  const customerStem = `${unit.building.code}${flat}`;
  let parties: ContractPlan['parties'];
  if (special) {
    parties = special.parties;
  } else {
    const main = randomBerlinTenant(context, `${customerStem}01`);
    parties = [{ contractId: '', personId: main.id, role: 'main_tenant', access: 'full', person: main }];
    if (random.chance(0.25)) {
      const sameName = random.chance(0.7) ? (main.lastName ?? undefined) : undefined;
      const co = randomBerlinTenant(context, `${customerStem}02`, sameName);
      parties.push({ contractId: '', personId: co.id, role: 'co_tenant', access: 'full', person: co });
    }
  }
  const terms = special?.terms ?? randomBerlinTerms(context, unit);
  const directDebit = special ? special.payment.style === 'direct_debit' : random.chance(0.7);
  const payment: PaymentBehaviour = special?.payment ?? {
    style: directDebit ? 'direct_debit' : 'transfer',
    lateMonthIndex: random.chance(0.2) ? random.int(0, 20) : undefined,
  };
  const id = context.newId();
  const main = parties[0]?.person as PersonInsert;
  const number =
    special?.number ?? `${unit.building.code}-${flat}-${String(random.int(1, 4)).padStart(2, '0')}`;
  const row: ContractInsert & { id: string } = {
    id,
    number,
    kind: special?.cooperative ? 'cooperative' : 'residential',
    startDate: terms.start,
    currency: 'EUR',
    // A standing order is the tenant's own: the portal asks them to check it, not to transfer.
    paymentMethod: payment.style,
    ibanMasked: directDebit ? (special?.iban ?? randomMaskedIban(random)) : null,
    accountHolder: directDebit ? displayName(main) : null,
    ...(directDebit && mandateOf(number, terms.start)),
    // At most three months' net rent (§ 551 Abs. 1 BGB); cooperatives take shares instead.
    depositAmount: special?.cooperative ? null : terms.netRent * 3,
    cooperativeShares: special?.cooperative?.shares ?? null,
    cooperativeShareValue: special?.cooperative?.shareValue ?? null,
  };
  return {
    row,
    unit,
    building: unit.building,
    parties: parties.map((party) => ({ ...party, contractId: id, since: terms.start })),
    components: rentComponentRows(context, id, berlinSegments(context, terms)),
    payment,
  };
}

export function planContracts(context: SeedContext, estates: EstatePlan, people: FixedPeople): ContractsPlan {
  const special = specials(context, people);
  const contracts: ContractPlan[] = [];
  for (const unit of estates.units) {
    if (vacantUnits.has(unit.row.number) || unit.building.row.country !== 'DE') continue;
    contracts.push(planBerlinContract(context, unit, special.get(unit.row.number)));
  }
  contracts.push(...planMalmoContracts(context, estates, vacantUnits));

  const tenants = new Map<string, PersonInsert>();
  for (const contract of contracts)
    for (const party of contract.parties) tenants.set(party.person.id, party.person);

  // Olaf Eigner owns two flats in Musterstraße 5, a condominium the landlord manages (seed 003).
  const ownerships: OwnershipInsert[] = [
    {
      id: context.newId(),
      unitId: findUnit(estates, '5.01').row.id,
      personId: people.owner.id,
      sharePerMille: 118,
      since: '2014-06-01',
    },
    {
      id: context.newId(),
      unitId: findUnit(estates, '5.02').row.id,
      personId: people.owner.id,
      sharePerMille: 82,
      since: '2014-06-01',
    },
  ];
  return { contracts, tenants: [...tenants.values()], ownerships };
}

export function findContract(plan: ContractsPlan, number: string): ContractPlan {
  const contract = plan.contracts.find((candidate) => candidate.row.number === number);
  if (!contract) throw new Error(`demo plan has no contract ${number}`);
  return contract;
}
