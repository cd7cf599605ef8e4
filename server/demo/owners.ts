import { letterSender } from '../pdf/letter-layout.ts';
import { demoLandlordProfile } from '../services/landlord.ts';
import type { HausgeldAdvanceInsert, OwnerAccountEntryInsert } from '../../db/repositories/owners.ts';
import {
  addDays,
  addMonths,
  dateAt,
  daysBefore,
  firstOfMonth,
  germanDate,
  isoDateOf,
  monthLabel,
  nthWorkingDay,
} from './calendar.ts';
import type { SeedContext } from './context.ts';
import { DEMO_LANDLORD, type DemoLogin } from './demo-constants.ts';
import type { DocumentSpec } from './documents.ts';
import { findBuilding, findUnit, type EstatePlan } from './estates.ts';
import { euro } from './format.ts';
import type { OperatingCostStatement } from './ledger.ts';
import type { FixedPeople, OwnershipInsert, UserInsert } from './people.ts';
import { createIdSource } from './random.ts';

export interface OwnerAccountInputs {
  context: SeedContext;
  estates: EstatePlan;
  people: FixedPeople;
  users: Record<DemoLogin, UserInsert>;
  statement: OperatingCostStatement;
  /** The ownerships planned so far (Olaf Eigner's); Max Nachbar's is added to them. */
  ownerships: OwnershipInsert[];
}

export interface OwnerAccountPlan {
  advances: HausgeldAdvanceInsert[];
  entries: OwnerAccountEntryInsert[];
  documents: DocumentSpec[];
}

// Their own id stream: the ids the rest of the demo draws stay as they were before owner accounts.
const ownerIdSeed = 5005;

/** Hausgeld per month and per thousandth share (Musterstraße 5's economic plan), in cents. */
const hausgeldPerMille = 305;
/** Months of Hausgeld on every owner's account: one year up to and including the current month. */
const accountMonths = 12;

const landlord = letterSender(demoLandlordProfile('DE'));

/**
 * The WEG Musterstraße 5 (seed 003: owners): Max Nachbar, tenant in Musterstraße 1, also owns the
 * vacant flat 5.08 there, so the neighbour's demo login shows tenant and owner side by side; Olaf
 * Eigner owns 5.01 and 5.02 and rents nothing. Each ownership gets its monthly Hausgeld advance
 * and a year of bookings; the WEG gets its economic plan and the invitation to the next owners'
 * meeting, and Max his own Hausgeldabrechnung (filed to his ownership, for no other owner's eyes).
 */
export function planOwnerAccounts(inputs: OwnerAccountInputs): OwnerAccountPlan {
  const { context, estates, people, statement } = inputs;
  const newId = createIdSource(ownerIdSeed);
  const flat508 = findUnit(estates, '5.08');
  const maxOwnership: OwnershipInsert & { id: string } = {
    id: newId(),
    unitId: flat508.row.id,
    personId: people.max.id,
    sharePerMille: 76,
    since: '2019-03-01',
  };
  inputs.ownerships.push(maxOwnership);

  const advances: HausgeldAdvanceInsert[] = [];
  const entries: OwnerAccountEntryInsert[] = [];
  const months = Array.from({ length: accountMonths }, (_, index) =>
    addMonths(context.currentMonth, index - accountMonths + 1),
  );
  for (const ownership of inputs.ownerships) {
    const ownershipId = ownership.id!;
    const monthly = (ownership.sharePerMille ?? 0) * hausgeldPerMille;
    advances.push({ id: newId(), ownershipId, amount: monthly, validFrom: ownership.since ?? '2014-01-01' });
    const paysByDebit = ownership !== maxOwnership;
    for (const month of months) {
      const due = firstOfMonth(month);
      entries.push({
        id: newId(),
        ownershipId,
        bookedOn: due,
        kind: 'charge',
        description: `Hausgeld ${monthLabel(month, 'de')}`,
        amount: monthly,
        createdAt: dateAt(due, 6),
      });
      // Olaf's bank collects on the 1st; Max transfers by the third working day and has not yet
      // this month, so his account shows what is due.
      const paidOn = paysByDebit ? due : nthWorkingDay(month, 3);
      if (!paysByDebit && due === firstOfMonth(context.currentMonth)) continue;
      entries.push({
        id: newId(),
        ownershipId,
        bookedOn: paidOn,
        kind: 'payment',
        description: paysByDebit ? 'Lastschrift Hausgeld' : 'Überweisung Hausgeld',
        amount: -monthly,
        createdAt: dateAt(paidOn, 12),
      });
    }
  }
  // The back payment from Max's Hausgeldabrechnung, due a month after it was sent, then paid.
  const backPayment = 8_460;
  const statementDay = isoDateOf(statement.publishedAt);
  entries.push({
    id: newId(),
    ownershipId: maxOwnership.id,
    bookedOn: statementDay,
    kind: 'charge',
    description: `Nachzahlung Hausgeldabrechnung ${statement.year}`,
    amount: backPayment,
    createdAt: dateAt(statementDay, 7),
  });
  const backPaidOn = addDays(statementDay, 12);
  if (backPaidOn <= context.today)
    entries.push({
      id: newId(),
      ownershipId: maxOwnership.id,
      bookedOn: backPaidOn,
      kind: 'payment',
      description: `Überweisung Nachzahlung ${statement.year}`,
      amount: -backPayment,
      createdAt: dateAt(backPaidOn, 12),
    });

  return { advances, entries, documents: planWegDocuments(inputs, newId, maxOwnership, backPayment) };
}

const nineAm = (time: Date) => dateAt(isoDateOf(time), 9);

function planWegDocuments(
  inputs: OwnerAccountInputs,
  newId: () => string,
  maxOwnership: OwnershipInsert & { id: string },
  backPayment: number,
): DocumentSpec[] {
  const { context, estates, people, users, statement } = inputs;
  const house5 = findBuilding(estates, '5');
  const house1 = findBuilding(estates, '1');
  const address5 = `${house5.row.street} ${house5.row.houseNumber}`;
  const planPublished = nineAm(daysBefore(context.now, 55));
  // A plan adopted in the autumn is for the coming year (§ 28 Abs. 1 WEG).
  const planYear = planPublished.getUTCFullYear() + (planPublished.getUTCMonth() >= 9 ? 1 : 0);
  const invitationPublished = nineAm(daysBefore(context.now, 10));
  // At least three weeks between invitation and meeting (§ 24 Abs. 4 WEG).
  const meetingDay = addDays(isoDateOf(invitationPublished), 35);
  const share = (perMille: number) => euro(perMille * hausgeldPerMille);
  const maxMonthly = (maxOwnership.sharePerMille ?? 0) * hausgeldPerMille;
  return [
    {
      row: {
        id: newId(),
        type: 'economic_plan',
        title: `Wirtschaftsplan ${planYear} – WEG ${address5}`,
        scope: 'building',
        buildingId: house5.row.id,
        audience: 'owners',
        publishedAt: planPublished,
        createdByUserId: users.admin.id,
      },
      pdf: {
        title: `Wirtschaftsplan ${planYear} der Wohnungseigentümergemeinschaft ${address5}`,
        landlord,
        date: planPublished,
        lines: [
          'Beschlossen in der ordentlichen Eigentümerversammlung (§ 28 Abs. 1 WEG).',
          { heading: 'Gesamtwirtschaftsplan' },
          {
            rows: [
              ['Bewirtschaftungskosten', euro(2_184_000)],
              ['Verwaltervergütung', euro(259_200)],
              ['Zuführung Erhaltungsrücklage', euro(1_216_800)],
              ['Summe (1.000/1.000)', euro(3_660_000)],
            ],
          },
          { heading: 'Hausgeld je Monat nach Miteigentumsanteil' },
          {
            rows: [
              ['je 1/1.000', euro(hausgeldPerMille)],
              ['Beispiel 76/1.000', share(76)],
              ['Beispiel 118/1.000', share(118)],
            ],
          },
          'Das monatliche Hausgeld bleibt gegenüber dem Vorjahr unverändert. Es ist jeweils zum dritten Werktag eines Monats fällig.',
        ],
      },
    },
    {
      row: {
        id: newId(),
        type: 'owners_meeting_invitation',
        title: `Einladung zur Eigentümerversammlung am ${germanDate(meetingDay)}`,
        scope: 'building',
        buildingId: house5.row.id,
        audience: 'owners',
        publishedAt: invitationPublished,
        createdByUserId: users.admin.id,
      },
      pdf: {
        title: `Einladung zur ordentlichen Eigentümerversammlung – WEG ${address5}`,
        landlord,
        date: invitationPublished,
        lines: [
          'Sehr geehrte Wohnungseigentümerinnen und Wohnungseigentümer,',
          `wir laden Sie herzlich zur ordentlichen Eigentümerversammlung am ${germanDate(meetingDay)} um 18:00 Uhr im Gemeinschaftsraum, ${address5}, ein (§ 24 WEG).`,
          { heading: 'Tagesordnung' },
          'TOP 1: Bericht der Verwaltung',
          `TOP 2: Beschluss über die Jahresabrechnung ${statement.year} (§ 28 Abs. 2 WEG)`,
          'TOP 3: Entlastung der Verwaltung',
          'TOP 4: Fassadensanierung – Angebote und Finanzierung aus der Erhaltungsrücklage',
          'TOP 5: Verschiedenes',
          'Sie können sich durch eine Vollmacht in Textform vertreten lassen (§ 25 Abs. 3 WEG).',
          'Mit freundlichen Grüßen',
          DEMO_LANDLORD.name,
        ],
      },
    },
    {
      // His own settlement: filed to his ownership, so no other owner of the house sees it.
      row: {
        id: newId(),
        type: 'owner_statement',
        title: `Hausgeldabrechnung ${statement.year} – Wohnung 5.08`,
        scope: 'ownership',
        ownershipId: maxOwnership.id,
        audience: 'owners',
        publishedAt: statement.publishedAt,
        createdByUserId: users.admin.id,
      },
      pdf: {
        title: `Hausgeldabrechnung ${statement.year} – ${address5}, Wohnung 5.08`,
        landlord,
        date: statement.publishedAt,
        recipient: [
          `${people.max.salutation ?? ''} ${people.max.firstName ?? ''} ${people.max.lastName ?? ''}`.trim(),
          `${house1.row.street} ${house1.row.houseNumber}`,
          `${house1.row.postalCode} ${house1.row.city}`,
        ],
        lines: [
          `Sehr geehrter Herr ${people.max.lastName ?? ''},`,
          `anbei Ihre Einzelabrechnung nach § 28 Abs. 2 WEG für die Wohnung 5.08 (Miteigentumsanteil ${maxOwnership.sharePerMille ?? 0}/1.000).`,
          {
            rows: [
              ['Umlagefähige Kosten', euro(162_260)],
              ['Nicht umlagefähige Kosten', euro(37_720)],
              ['Zuführung Erhaltungsrücklage', euro(86_640)],
              ['Hausgeldvorauszahlungen', euro(maxMonthly * 12)],
              ['Nachzahlung', euro(backPayment)],
            ],
          },
          'Bitte überweisen Sie die Nachzahlung innerhalb eines Monats auf das Konto der Gemeinschaft.',
          'Mit freundlichen Grüßen',
          DEMO_LANDLORD.name,
        ],
      },
    },
  ];
}
