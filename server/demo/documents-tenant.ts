import type { SimpleDocumentLine } from '../pdf/simple-document.ts';
import { addDays, addMonths, dateAt, germanDate, isoDate, monthLabel } from './calendar.ts';
import { letterSender } from '../pdf/letter-layout.ts';
import { demoLandlordProfile } from '../services/landlord.ts';
import type { SeedContext } from './context.ts';
import type { ContractPlan } from './contracts.ts';
import { DEMO_LANDLORD, DEMO_TENANT_UNPAID_INVOICES, type DemoLogin } from './demo-constants.ts';
import type { DocumentSpec } from './documents.ts';
import type { EstatePlan } from './estates.ts';
import { euro, germanNumber } from './format.ts';
import type { LedgerPlan, OperatingCostStatement } from './ledger.ts';
import type { FixedPeople, PersonInsert, UserInsert } from './people.ts';
import { paidInYear, rentOn } from './rent.ts';

export interface TenantDocumentInputs {
  context: SeedContext;
  estates: EstatePlan;
  people: FixedPeople;
  users: Record<DemoLogin, UserInsert>;
  tenantContract: ContractPlan;
  neighbourContract: ContractPlan;
  statement: OperatingCostStatement;
  ledger: LedgerPlan;
}

// The same sender and legal details the server prints on the letters it generates.
const landlord = letterSender(demoLandlordProfile('DE'));

const fullName = (person: PersonInsert) =>
  [person.salutation, person.firstName, person.lastName].filter(Boolean).join(' ');
const addressOf = (person: PersonInsert, contract: ContractPlan) => [
  fullName(person),
  `${contract.building.row.street} ${contract.building.row.houseNumber}`,
  `${contract.building.row.postalCode} ${contract.building.row.city}`,
];
const greeting = (person: PersonInsert) =>
  person.salutation === 'Herr'
    ? `Sehr geehrter Herr ${person.lastName},`
    : `Sehr geehrte Frau ${person.lastName},`;

// Operating costs by BetrKV § 2 (numbers in brackets) and their share of the house's total.
const costItems: [string, number][] = [
  ['Grundsteuer (Nr. 1)', 14],
  ['Wasserversorgung (Nr. 2)', 16],
  ['Entwässerung (Nr. 3)', 12],
  ['Straßenreinigung und Müllbeseitigung (Nr. 8)', 13],
  ['Gebäudereinigung (Nr. 9)', 11],
  ['Gartenpflege (Nr. 10)', 6],
  ['Beleuchtung (Nr. 11)', 4],
  ['Sach- und Haftpflichtversicherung (Nr. 13)', 9],
  ['Hauswart (Nr. 14)', 15],
];

function operatingCostStatement(
  inputs: TenantDocumentInputs,
  contract: ContractPlan,
  result: number,
): DocumentSpec {
  const { statement, estates } = inputs;
  const person = contract.parties[0]?.person as PersonInsert;
  const advances = paidInYear(contract.components, 'service_charge_advance', statement.year);
  const total = advances + result;
  let assigned = 0;
  const rows = costItems.map(([label, weight], index): [string, string] => {
    const amount = index === costItems.length - 1 ? total - assigned : Math.round((total * weight) / 100);
    assigned += amount;
    return [label, euro(amount)];
  });
  const houseArea = estates.units
    .filter((unit) => unit.building === contract.building)
    .reduce((sum, unit) => sum + (unit.row.areaSqm ?? 0), 0);
  const lines: SimpleDocumentLine[] = [
    greeting(person),
    `hiermit rechnen wir die Betriebskosten für den Zeitraum 01.01.${statement.year} bis 31.12.${statement.year} ab ` +
      `(Vertrag ${contract.row.number}, Wohnung ${contract.unit.row.number}).`,
    `Umlageschlüssel: Wohnfläche, ${germanNumber(contract.unit.row.areaSqm ?? 0)} m² von ${germanNumber(houseArea)} m².`,
    { heading: 'Ihr Anteil an den Kosten' },
    { rows },
    {
      rows: [
        ['Summe Ihrer Kosten', euro(total)],
        ['Ihre Vorauszahlungen', euro(advances)],
        [result >= 0 ? 'Nachzahlung' : 'Guthaben', euro(Math.abs(result))],
      ],
    },
    result >= 0
      ? 'Bitte überweisen Sie die Nachzahlung innerhalb von 30 Tagen nach Zugang dieser Abrechnung.'
      : 'Das Guthaben schreiben wir Ihrem Mietkonto gut.',
    'Die Belege können Sie nach Terminvereinbarung in unserer Geschäftsstelle einsehen (§ 259 BGB).',
    'Mit freundlichen Grüßen',
    DEMO_LANDLORD.name,
  ];
  return {
    row: {
      id: inputs.context.newId(),
      type: 'operating_cost_statement',
      title: `Betriebskostenabrechnung ${statement.year}`,
      scope: 'contract',
      contractId: contract.row.id,
      audience: 'tenants',
      publishedAt: statement.publishedAt,
      createdByUserId: inputs.users.admin.id,
    },
    pdf: {
      title: `Betriebskostenabrechnung ${statement.year}`,
      lines,
      landlord,
      date: statement.publishedAt,
      recipient: addressOf(person, contract),
    },
  };
}

function signedContract(inputs: TenantDocumentInputs, contract: ContractPlan): DocumentSpec {
  const { context, people, users } = inputs;
  const start = contract.row.startDate;
  const signedOn = addDays(start, -22);
  const unit = contract.unit.row;
  const atStart = contract.components.filter(
    (row) => row.validFrom <= start && (row.validTo ?? start) >= start,
  );
  const componentLabel = {
    net_rent: 'Nettokaltmiete',
    service_charge_advance: 'Vorauszahlung Betriebskosten',
    heating_advance: 'Vorauszahlung Heiz- und Warmwasserkosten',
  } as Record<string, string>;
  const publishedAt = dateAt(addDays(context.today, -420), 9);
  return {
    row: {
      id: context.newId(),
      type: 'contract',
      title: `Mietvertrag ${contract.building.row.street} ${contract.building.row.houseNumber}, Wohnung ${unit.number}`,
      scope: 'contract',
      contractId: contract.row.id,
      audience: 'tenants',
      publishedAt,
      createdByUserId: users.admin.id,
    },
    pdf: {
      title: 'Mietvertrag über Wohnraum',
      landlord,
      date: dateAt(signedOn, 10),
      recipient: addressOf(people.erika, contract),
      lines: [
        `Vertragsnummer ${contract.row.number}`,
        { heading: '§ 1 Vertragsparteien' },
        `Vermieterin: ${DEMO_LANDLORD.name}, ${DEMO_LANDLORD.addressLines.join(', ')}.`,
        `Mieterin: ${fullName(people.erika)}. Zum Haushalt gehört: ${fullName(people.jonas)}.`,
        { heading: '§ 2 Mietsache' },
        `${contract.building.row.street} ${contract.building.row.houseNumber}, ${contract.building.row.postalCode} ${contract.building.row.city}, ` +
          `Wohnung ${unit.number} im Erdgeschoss, ${germanNumber(unit.areaSqm ?? 0)} m², ${germanNumber(unit.rooms ?? 0)} Zimmer, ` +
          'mit Kellerabteil und Einbauküche.',
        { heading: '§ 3 Mietzeit' },
        `Das Mietverhältnis beginnt am ${germanDate(start)} und läuft auf unbestimmte Zeit.`,
        { heading: '§ 4 Miete' },
        {
          rows: atStart.map(
            (row) =>
              [row.label ?? componentLabel[row.kind] ?? row.kind, euro(row.amount)] as [string, string],
          ),
        },
        { rows: [['Monatliche Gesamtmiete', euro(rentOn(contract.components, start))]] },
        'Die Miete ist monatlich im Voraus, spätestens bis zum dritten Werktag des Monats zu zahlen (§ 556b BGB). ' +
          'Die Mieterin erteilt ein SEPA-Lastschriftmandat.',
        { heading: '§ 5 Mietsicherheit' },
        `Die Kaution beträgt ${euro(contract.row.depositAmount ?? 0)} (drei Nettokaltmieten, § 551 BGB) und darf in drei Raten gezahlt werden.`,
        { heading: '§ 6 Betriebskosten' },
        'Die Betriebskosten nach § 2 BetrKV werden jährlich abgerechnet; die Vorauszahlungen können angepasst werden (§ 560 BGB).',
        { heading: '§ 7 Hausordnung' },
        'Die Hausordnung ist Bestandteil dieses Vertrags.',
        `Berlin, den ${germanDate(signedOn)}`,
        `gez. ${fullName(people.erika)}          gez. ${DEMO_LANDLORD.name}`,
      ],
    },
    readBy: { userId: users.tenant.id, at: new Date(publishedAt.getTime() + 2 * 86_400_000) },
    signedContractId: contract.row.id,
  };
}

function rentIncreaseLetter(inputs: TenantDocumentInputs, contract: ContractPlan): DocumentSpec | undefined {
  const history = contract.components.filter((row) => row.kind === 'net_rent');
  const [before, after] = history;
  if (!before || !after) return undefined;
  // Effective from the start of the third month after receipt (§ 558b Abs. 1 BGB).
  const [year, month] = after.validFrom.split('-').map(Number) as [number, number];
  const sentMonth = addMonths({ year, month }, -3);
  const sentOn = isoDate(sentMonth.year, sentMonth.month, 10);
  const person = contract.parties[0]?.person as PersonInsert;
  return {
    row: {
      id: inputs.context.newId(),
      type: 'rent_change',
      title: `Mieterhöhung zum ${germanDate(after.validFrom)}`,
      scope: 'contract',
      contractId: contract.row.id,
      audience: 'tenants',
      publishedAt: dateAt(sentOn, 9),
      createdByUserId: inputs.users.admin.id,
    },
    pdf: {
      title: 'Verlangen auf Zustimmung zur Mieterhöhung (§ 558 BGB)',
      landlord,
      date: dateAt(sentOn, 9),
      recipient: addressOf(person, contract),
      lines: [
        greeting(person),
        `wir bitten Sie, einer Erhöhung der Nettokaltmiete für die Wohnung ${contract.unit.row.number} zum ${germanDate(after.validFrom)} zuzustimmen.`,
        {
          rows: [
            ['Bisherige Nettokaltmiete', euro(before.amount)],
            ['Neue Nettokaltmiete', euro(after.amount)],
          ],
        },
        'Die neue Miete liegt innerhalb der ortsüblichen Vergleichsmiete nach dem Berliner Mietspiegel und der Kappungsgrenze.',
        'Die Vorauszahlungen auf Betriebs- und Heizkosten bleiben unverändert.',
        `Bitte erklären Sie Ihre Zustimmung bis zum Ende des zweiten Monats nach Zugang dieses Schreibens.`,
        'Mit freundlichen Grüßen',
        DEMO_LANDLORD.name,
      ],
    },
  };
}

function paymentReminder(inputs: TenantDocumentInputs, contract: ContractPlan): DocumentSpec {
  const { context, ledger } = inputs;
  const open = ledger.invoices
    .filter((invoice) => invoice.contractId === contract.row.id && !invoice.paidAt)
    .sort((a, b) => a.periodStart.localeCompare(b.periodStart));
  const overdue = open.slice(0, DEMO_TENANT_UNPAID_INVOICES - 1);
  const sentAt = dateAt(addDays(context.today, -5), 9);
  const person = contract.parties[0]?.person as PersonInsert;
  return {
    row: {
      id: context.newId(),
      type: 'letter',
      title: 'Zahlungserinnerung',
      scope: 'person',
      personId: person.id,
      audience: 'tenants',
      publishedAt: sentAt,
      createdByUserId: inputs.users.staff.id,
    },
    pdf: {
      title: 'Zahlungserinnerung',
      landlord,
      date: sentAt,
      recipient: addressOf(person, contract),
      lines: [
        greeting(person),
        'sicher haben Sie es nur übersehen: Ihre Bank hat die folgende Lastschrift zurückgegeben, die Miete ist noch offen.',
        {
          rows: overdue.map((invoice) => {
            const [year, month] = invoice.periodStart.split('-').map(Number) as [number, number];
            return [
              `Miete ${monthLabel({ year, month }, 'de')}, fällig am ${germanDate(invoice.dueOn)}`,
              euro(invoice.amount),
            ];
          }),
        },
        `Bitte überweisen Sie den Betrag mit dem Verwendungszweck ${overdue[0]?.paymentReference ?? contract.row.number} ` +
          `oder melden Sie sich bei uns, wenn Sie eine Ratenzahlung vereinbaren möchten.`,
        'Mit freundlichen Grüßen',
        DEMO_LANDLORD.name,
      ],
    },
  };
}

/** Erika's documents (API.md: "with invoices, documents, tickets") and Max's statement with a credit. */
export function planTenantDocuments(inputs: TenantDocumentInputs): DocumentSpec[] {
  const { tenantContract, neighbourContract, statement } = inputs;
  const increase = rentIncreaseLetter(inputs, tenantContract);
  return [
    signedContract(inputs, tenantContract),
    ...(increase ? [increase] : []),
    operatingCostStatement(inputs, tenantContract, statement.tenantBackPayment),
    paymentReminder(inputs, tenantContract),
    operatingCostStatement(inputs, neighbourContract, -statement.neighbourCredit),
  ];
}
