import { dateAt, daysBefore, isoDateOf } from './calendar.ts';
import { letterSender } from '../pdf/letter-layout.ts';
import { demoLandlordProfile } from '../services/landlord.ts';
import type { SeedContext } from './context.ts';
import { DEMO_LANDLORD, type DemoLogin } from './demo-constants.ts';
import type { DocumentSpec } from './documents.ts';
import { findBuilding, type EstatePlan } from './estates.ts';
import { euro } from './format.ts';
import type { OperatingCostStatement } from './ledger.ts';
import type { FixedPeople, UserInsert } from './people.ts';

export interface BuildingDocumentInputs {
  context: SeedContext;
  estates: EstatePlan;
  people: FixedPeople;
  users: Record<DemoLogin, UserInsert>;
  statement: OperatingCostStatement;
}

// The same sender and legal details the server prints on the letters it generates.
const landlord = letterSender(demoLandlordProfile('DE'));
const malmoLandlord = letterSender(demoLandlordProfile('SE'));
/** A publication time `days` ago at 09:00 UTC, so the same date gives the same PDFs. */
const daysAgo = (context: SeedContext, days: number) => dateAt(isoDateOf(daysBefore(context.now, days)), 9);

/**
 * Documents for a whole house or quarter (seed 001: what used to hang in the staircase) and for
 * owners only (seed 003), plus the Swedish house rules of the Malmö building.
 */
export function planBuildingDocuments(inputs: BuildingDocumentInputs): DocumentSpec[] {
  const { context, estates, people, users, statement } = inputs;
  const house1 = findBuilding(estates, '1');
  const house5 = findBuilding(estates, '5');
  const malmo = findBuilding(estates, '6', 'Malmö');
  const berlinEstate = estates.estates[0];
  const published = {
    houseRules: daysAgo(context, 300),
    quarterLetter: daysAgo(context, 20),
    minutes: daysAgo(context, 60),
    malmoRules: daysAgo(context, 200),
  };
  return [
    {
      row: {
        id: context.newId(),
        type: 'house_rules',
        title: 'Hausordnung Musterstraße 1',
        scope: 'building',
        buildingId: house1.row.id,
        audience: 'all',
        publishedAt: published.houseRules,
        createdByUserId: users.admin.id,
      },
      pdf: {
        title: 'Hausordnung Musterstraße 1',
        landlord,
        date: published.houseRules,
        lines: [
          'Ein gutes Miteinander braucht Rücksicht. Diese Hausordnung gilt für alle Bewohnerinnen und Bewohner.',
          { heading: '1. Ruhezeiten' },
          'Nachtruhe von 22 bis 6 Uhr, an Sonn- und Feiertagen ganztägig Rücksicht auf die Nachbarschaft.',
          { heading: '2. Reinigung' },
          'Treppenhaus und Gehwege reinigt eine beauftragte Firma; Keller- und Dachbodenräume halten alle gemeinsam sauber.',
          { heading: '3. Sicherheit' },
          'Haus- und Hoftüren bleiben von 22 bis 6 Uhr verschlossen. Fluchtwege, Treppenhaus und Kellergänge bleiben frei.',
          'Rauchwarnmelder werden jährlich gewartet; bitte ermöglichen Sie den angekündigten Termin.',
          { heading: '4. Abfall' },
          'Bitte trennen Sie Abfall nach den Vorgaben der Berliner Stadtreinigung. Sperrmüll gehört nicht in den Hof.',
          { heading: '5. Fahrräder und Kinderwagen' },
          'Fahrräder gehören in den Fahrradkeller, Kinderwagen und Rollatoren dürfen im Erdgeschoss abgestellt werden.',
        ],
      },
    },
    {
      row: {
        id: context.newId(),
        type: 'other',
        title: 'Quartiersbrief Musterquartier',
        scope: 'estate',
        estateId: berlinEstate?.id,
        audience: 'all',
        publishedAt: published.quarterLetter,
        createdByUserId: users.staff.id,
      },
      pdf: {
        title: 'Quartiersbrief Musterquartier',
        landlord,
        date: published.quarterLetter,
        lines: [
          'Liebe Nachbarinnen und Nachbarn,',
          'hier die Neuigkeiten aus dem Musterquartier:',
          { heading: 'Neue Fahrradbügel' },
          'Im Hof zwischen Musterstraße 3 und 5 stehen zwölf neue Fahrradbügel.',
          { heading: 'Mieterportal' },
          'Schäden, Anträge und Fragen erreichen uns jetzt rund um die Uhr über das Mieterportal – mit Foto und Status.',
          { heading: 'Sommerfest' },
          'Wir laden herzlich zum Hoffest ein. Den Termin finden Sie am schwarzen Brett im Portal.',
          'Ihr Team der Portier Wohnen eG',
        ],
      },
    },
    {
      // Owners only: tenants of the same house never see it (DESIGN.md roles, seed 003).
      row: {
        id: context.newId(),
        type: 'minutes',
        title: `Protokoll der Eigentümerversammlung ${published.minutes.getUTCFullYear()}`,
        scope: 'building',
        buildingId: house5.row.id,
        audience: 'owners',
        publishedAt: published.minutes,
        createdByUserId: users.admin.id,
      },
      pdf: {
        title: `Protokoll der ordentlichen Eigentümerversammlung, Musterstraße 5`,
        landlord,
        date: published.minutes,
        lines: [
          'Die Versammlung war beschlussfähig; vertreten waren 742/1000 Miteigentumsanteile.',
          { heading: 'TOP 1: Jahresabrechnung' },
          `Die Jahresabrechnung ${statement.year} wurde einstimmig beschlossen.`,
          { heading: 'TOP 2: Wirtschaftsplan' },
          'Der Wirtschaftsplan mit einer Zuführung zur Erhaltungsrücklage von 1,20 € je m² und Monat wurde beschlossen.',
          { heading: 'TOP 3: Fassade' },
          'Angebote für die Fassadensanierung werden bis zur nächsten Versammlung eingeholt (§ 19 WEG).',
        ],
      },
    },
    {
      row: {
        id: context.newId(),
        type: 'owner_statement',
        title: `Hausgeldabrechnung ${statement.year}`,
        scope: 'person',
        personId: people.owner.id,
        audience: 'owners',
        publishedAt: statement.publishedAt,
        createdByUserId: users.admin.id,
      },
      pdf: {
        title: `Hausgeldabrechnung ${statement.year} – Musterstraße 5, Wohnungen 5.01 und 5.02`,
        landlord,
        date: statement.publishedAt,
        recipient: ['Herr Olaf Eigner', 'Musterstraße 5', '10115 Berlin'],
        lines: [
          'Sehr geehrter Herr Eigner,',
          'anbei die Einzelabrechnung nach § 28 Abs. 2 WEG für Ihre Einheiten.',
          {
            rows: [
              ['Umlagefähige Kosten', euro(412_860)],
              ['Nicht umlagefähige Kosten', euro(98_420)],
              ['Zuführung Erhaltungsrücklage', euro(228_000)],
              ['Hausgeldvorauszahlungen', euro(732_000)],
              ['Nachzahlung', euro(7_280)],
            ],
          },
          'Mit freundlichen Grüßen',
          DEMO_LANDLORD.name,
        ],
      },
    },
    {
      row: {
        id: context.newId(),
        type: 'house_rules',
        title: 'Ordningsregler Utlandagatan 6',
        scope: 'building',
        buildingId: malmo.row.id,
        audience: 'all',
        publishedAt: published.malmoRules,
        createdByUserId: users.staffMalmo.id,
      },
      pdf: {
        title: 'Ordningsregler Utlandagatan 6',
        landlord: malmoLandlord,
        date: published.malmoRules,
        locale: 'sv',
        timeZone: 'Europe/Stockholm',
        lines: [
          'Välkommen till Utlandagatan 6. Reglerna gäller alla hyresgäster och deras besökare.',
          { heading: 'Entré och lastzon' },
          'Entrén låses kl. 19–07. Lastzonen får användas för av- och pålastning i högst 30 minuter.',
          { heading: 'Avfall' },
          'Sortera avfall i miljörummet. Grovavfall och elektronik hämtas efter beställning via Mina sidor.',
          { heading: 'Garage' },
          'Parkera endast på din hyrda plats. Laddning av elbil sker vid de markerade laddboxarna.',
          { heading: 'Felanmälan' },
          'Anmäl fel via Mina sidor. Vid akuta fel utanför kontorstid: ring jourtelefonen.',
        ],
      },
    },
  ];
}
