/**
 * Pre-filled self-service forms (seed 002: "Self-Service-Formular … bereits mit Ihren entsprechenden Daten
 * automatisch gefüllt … z. B. die Mietbescheinigung"): the rent certificate and the landlord's
 * confirmation of residence (Wohnungsgeberbestätigung, § 19 Bundesmeldegesetz). Pure renderers.
 */
import { formatDate, formatDecimal, formatMoney } from './money-format.ts';
import { drawLetterFooter, drawLetterHead, letterSender, type LetterHead } from './letter-layout.ts';
import type { LegalDetails } from './legal-details.ts';
import {
  CONTENT_WIDTH,
  FONT,
  GREY,
  PAGE,
  addressLines,
  drawRows,
  finish,
  openDocument,
  rule,
  section,
  write,
  type DocumentLocale,
  type PostalAddress,
  type RenderOptions,
} from './pdf-kit.ts';

export interface Landlord extends PostalAddress {
  email?: string;
  phone?: string;
  legal?: LegalDetails;
}

/** What is rented (units.kind): the words differ — a shop is no "Wohnung", "lägenhet" or "flat". */
export type UnitKind = 'flat' | 'commercial' | 'parking' | 'storage';

/** The flat as printed: `street` includes the house number (buildings.street + houseNumber). */
export interface FlatAddress {
  street: string;
  postalCode: string;
  city: string;
  country: string;
  unitNumber: string;
  /** Default 'flat'. */
  kind?: UnitKind;
  /** 0 = ground floor, negative = basement (units.floor). */
  floor?: number | null;
  livingAreaSqm?: number | null;
  rooms?: number | null;
}

export interface RentCertificateInput {
  locale: DocumentLocale;
  /** ISO `YYYY-MM-DD`. */
  issuedOn: string;
  landlord: Landlord;
  tenants: string[];
  flat: FlatAddress;
  contract: { number: string; startDate: string };
  /** The rent components valid on `validFrom`, in minor units of `currency`. */
  rent: {
    currency: string;
    validFrom: string;
    netRent: number;
    serviceChargeAdvance: number;
    heatingAdvance: number;
    /** Further monthly components (surcharges, parking), included in the total. */
    other?: { label: string; amount: number }[];
  };
}

export interface ResidenceConfirmationInput {
  locale: DocumentLocale;
  issuedOn: string;
  landlord: Landlord;
  /** Only when the landlord is not the owner: § 19 (3) no. 1 BMG then asks for the owner's name and address. */
  owner?: PostalAddress;
  moveInDate: string;
  flat: FlatAddress;
  /** Everyone moving in who must register (§ 17 (1) BMG). */
  residents: string[];
}

/** Printed document text. German defines the keys and the type; the other languages must match it. */
const de = {
  certificateTitle: 'Mietbescheinigung',
  certificateIntro: (one: boolean, kind: UnitKind) =>
    `Hiermit bestätigen wir, dass ${one ? 'die nachstehend genannte Person' : 'die nachstehend genannten Personen'} ${
      {
        flat: 'folgende Wohnung',
        commercial: 'folgende Gewerbeeinheit',
        parking: 'folgenden Stellplatz',
        storage: 'folgenden Lagerraum',
      }[kind]
    } von uns gemietet ${one ? 'hat' : 'haben'}.`,
  // "Mieter" is singular and plural alike.
  tenants: (one: boolean): string => (one ? 'Mieter' : 'Mieter'),
  flatAddress: (kind: UnitKind): string =>
    kind === 'flat' ? 'Anschrift der Wohnung' : 'Anschrift des Mietobjekts',
  unit: (kind: UnitKind): string => (kind === 'flat' ? 'Wohnungsnummer' : 'Objektnummer'),
  floor: 'Geschoss',
  livingArea: (kind: UnitKind): string => (kind === 'flat' ? 'Wohnfläche' : 'Nutzfläche'),
  rooms: 'Zimmer',
  contract: 'Vertragsnummer',
  contractStart: 'Mietbeginn',
  rentHeading: (date: string) => `Monatliche Miete (Stand ${date})`,
  netRent: 'Nettokaltmiete',
  serviceCharges: 'Betriebskostenvorauszahlung',
  heating: 'Heizkostenvorauszahlung',
  totalRent: 'Gesamtmiete',
  electronic: 'Diese Bescheinigung wurde elektronisch erstellt und ist ohne Unterschrift gültig.',
  floorName: (floor: number) =>
    floor === 0 ? 'Erdgeschoss' : floor > 0 ? `${floor}. Obergeschoss` : 'Untergeschoss',
  residenceTitle: 'Wohnungsgeberbestätigung',
  residenceSubtitle: 'nach § 19 des Bundesmeldegesetzes (BMG)',
  landlord: 'Wohnungsgeber (Name und Anschrift)',
  owner: 'Eigentümer (Name und Anschrift)',
  moveIn: 'Einzug am',
  residents: (one: boolean): string => (one ? 'Eingezogene Person' : 'Eingezogene Personen'),
  confirmation: (one: boolean): string =>
    `Ich bestätige als Wohnungsgeber oder als von ihm beauftragte Person, dass ${one ? 'die oben genannte Person' : 'die oben genannten Personen'} zum angegebenen Datum in die angegebene Wohnung eingezogen ${one ? 'ist' : 'sind'}.`,
  legalNotice:
    'Hinweis: Die meldepflichtigen Personen müssen sich innerhalb von zwei Wochen nach dem Einzug bei der Meldebehörde anmelden (§ 17 Abs. 1 BMG). Es ist verboten, eine Wohnungsanschrift für eine Anmeldung anzubieten oder zur Verfügung zu stellen, wenn ein tatsächlicher Bezug weder stattfindet noch beabsichtigt ist (§ 19 Abs. 6 BMG); ein Verstoß kann mit einer Geldbuße bis zu 50.000 Euro geahndet werden (§ 54 BMG).',
  signature: 'Unterschrift des Wohnungsgebers oder der beauftragten Person',
  date: 'Datum',
};

const TEXT: Record<DocumentLocale, typeof de> = {
  de,
  en: {
    certificateTitle: 'Rent certificate',
    certificateIntro: (one, kind) =>
      `We hereby confirm that ${one ? 'the person named below rents' : 'the persons named below rent'} the following ${
        {
          flat: 'flat',
          commercial: 'commercial premises',
          parking: 'parking space',
          storage: 'storage room',
        }[kind]
      } from us.`,
    tenants: (one) => (one ? 'Tenant' : 'Tenants'),
    flatAddress: (kind) => (kind === 'flat' ? 'Address of the flat' : 'Address of the premises'),
    unit: () => 'Unit number',
    floor: 'Floor',
    livingArea: (kind) => (kind === 'flat' ? 'Living area' : 'Floor area'),
    rooms: 'Rooms',
    contract: 'Contract number',
    contractStart: 'Tenancy start',
    rentHeading: (date: string) => `Monthly rent (as of ${date})`,
    netRent: 'Net rent',
    serviceCharges: 'Service-charge advance',
    heating: 'Heating advance',
    totalRent: 'Total monthly rent',
    electronic: 'This certificate was generated electronically and is valid without signature.',
    floorName: (floor: number) => (floor === 0 ? 'Ground floor' : floor > 0 ? `Floor ${floor}` : 'Basement'),
    residenceTitle: "Landlord's confirmation of residence",
    residenceSubtitle:
      'Wohnungsgeberbestätigung under section 19 of the German Federal Registration Act (BMG)',
    landlord: 'Landlord (name and address)',
    owner: 'Owner (name and address)',
    moveIn: 'Move-in date',
    residents: (one) => (one ? 'Person moving in' : 'Persons moving in'),
    confirmation: (one) =>
      `As the landlord, or a person authorised by the landlord, I confirm that ${one ? 'the person' : 'the persons'} named above moved into the flat stated on the date given.`,
    legalNotice:
      'Note: everyone moving in must register with the registration office within two weeks of moving in (section 17 (1) BMG). Offering or providing an address for registration when nobody actually moves in or intends to is prohibited (section 19 (6) BMG) and can be fined up to EUR 50,000 (section 54 BMG).',
    signature: 'Signature of the landlord or the authorised person',
    date: 'Date',
  },
  sv: {
    certificateTitle: 'Hyresintyg',
    certificateIntro: (one, kind) =>
      `Härmed intygas att ${one ? 'nedanstående person' : 'nedanstående personer'} hyr ${
        {
          flat: 'följande lägenhet',
          commercial: 'följande lokal',
          parking: 'följande parkeringsplats',
          storage: 'följande förråd',
        }[kind]
      } av oss.`,
    tenants: (one) => (one ? 'Hyresgäst' : 'Hyresgäster'),
    flatAddress: (kind) =>
      kind === 'flat' ? 'Lägenhetens adress' : kind === 'commercial' ? 'Lokalens adress' : 'Adress',
    unit: (kind) =>
      kind === 'flat' ? 'Lägenhetsnummer' : kind === 'commercial' ? 'Lokalnummer' : 'Objektnummer',
    floor: 'Våning',
    livingArea: (kind) => (kind === 'flat' ? 'Boarea' : 'Lokalarea'),
    rooms: 'Antal rum',
    contract: 'Avtalsnummer',
    contractStart: 'Hyresavtalet gäller från',
    rentHeading: (date: string) => `Månadshyra (per ${date})`,
    netRent: 'Grundhyra',
    serviceCharges: 'Förskott driftskostnader',
    heating: 'Förskott värme',
    totalRent: 'Total månadshyra',
    electronic: 'Detta intyg har skapats elektroniskt och är giltigt utan underskrift.',
    floorName: (floor: number) => (floor === 0 ? 'Bottenvåning' : floor > 0 ? `${floor} tr.` : 'Källarplan'),
    residenceTitle: 'Hyresvärdens bekräftelse av inflyttning',
    residenceSubtitle: 'Wohnungsgeberbestätigung enligt § 19 i den tyska folkbokföringslagen (BMG)',
    landlord: 'Hyresvärd (namn och adress)',
    owner: 'Ägare (namn och adress)',
    moveIn: 'Inflyttningsdatum',
    residents: (one) => (one ? 'Person som flyttar in' : 'Personer som flyttar in'),
    confirmation: (one) =>
      `Som hyresvärd, eller av hyresvärden befullmäktigad person, bekräftar jag att ovan nämnda ${one ? 'person' : 'personer'} har flyttat in i angiven lägenhet på angivet datum.`,
    legalNotice:
      'Observera: alla som flyttar in måste anmäla sig hos folkbokföringsmyndigheten inom två veckor efter inflyttningen (§ 17.1 BMG). Det är förbjudet att erbjuda eller tillhandahålla en adress för folkbokföring när ingen faktiskt flyttar in eller avser att göra det (§ 19.6 BMG); överträdelse kan ge böter på upp till 50 000 euro (§ 54 BMG).',
    signature: 'Underskrift av hyresvärden eller den befullmäktigade personen',
    date: 'Datum',
  },
};

const LABEL_WIDTH = 170;

export async function renderRentCertificatePdf(
  input: RentCertificateInput,
  options: RenderOptions = {},
): Promise<Buffer> {
  const { locale, rent } = input;
  const t = TEXT[locale];
  if (input.tenants.length === 0) throw new RangeError('A rent certificate needs at least one tenant');
  const components: Array<[string, number]> = [
    [t.netRent, rent.netRent],
    [t.serviceCharges, rent.serviceChargeAdvance],
    [t.heating, rent.heatingAdvance],
    ...(rent.other ?? []).map((component): [string, number] => [component.label, component.amount]),
  ];
  const money = (minor: number) => formatMoney(minor, rent.currency, locale);
  const total = components.reduce((sum, [, amount]) => sum + amount, 0);

  const doc = openDocument({ title: t.certificateTitle, author: input.landlord.name, locale }, options);
  const kind = input.flat.kind ?? 'flat';
  const one = input.tenants.length === 1;
  let y = openLetter(doc, input, input.tenants, t.certificateTitle);
  y = write(doc, t.certificateIntro(one, kind), PAGE.left, y, { width: CONTENT_WIDTH }) + 12;
  y = drawRows(
    doc,
    [
      [t.tenants(one), input.tenants.join('\n')],
      ...flatRows(input.flat, locale),
      [t.contract, input.contract.number],
      [t.contractStart, formatDate(input.contract.startDate, locale)],
    ],
    PAGE.left,
    y,
    LABEL_WIDTH,
    300,
  );
  y =
    write(doc, t.rentHeading(formatDate(rent.validFrom, locale)), PAGE.left, y + 16, {
      font: FONT.bold,
      size: 11,
      tag: 'H2',
    }) + 6;
  const amountX = PAGE.left + LABEL_WIDTH + 140;
  y = section(doc, 'Table', {}, () => {
    for (const [label, amount] of components) {
      section(doc, 'TR', {}, () => {
        write(doc, label, PAGE.left, y, { width: LABEL_WIDTH + 130, tag: 'TH', struct: { scope: 'Row' } });
        y = write(doc, money(amount), amountX, y, { width: 100, align: 'right', tag: 'TD' }) + 3;
      });
    }
    rule(doc, y, PAGE.left, amountX + 100);
    section(doc, 'TR', {}, () => {
      write(doc, t.totalRent, PAGE.left, y + 5, { font: FONT.bold, tag: 'TH', struct: { scope: 'Row' } });
      y = write(doc, money(total), amountX, y + 5, {
        font: FONT.bold,
        width: 100,
        align: 'right',
        tag: 'TD',
      });
    });
    return y + 30;
  });
  y = write(doc, `${input.landlord.city}, ${formatDate(input.issuedOn, locale)}`, PAGE.left, y) + 4;
  y = write(doc, input.landlord.name, PAGE.left, y) + 24;
  write(doc, t.electronic, PAGE.left, y, { size: 8.5, color: GREY, width: CONTENT_WIDTH });
  drawLetterFooter(doc, letterHeadOf(input));
  return finish(doc);
}

export async function renderResidenceConfirmationPdf(
  input: ResidenceConfirmationInput,
  options: RenderOptions = {},
): Promise<Buffer> {
  const { locale, landlord } = input;
  const t = TEXT[locale];
  if (input.residents.length === 0)
    throw new RangeError('A confirmation of residence needs at least one resident');
  const nameAndAddress = (address: PostalAddress) =>
    `${address.name}\n${address.street}\n${address.postalCode} ${address.city}`;

  const doc = openDocument({ title: t.residenceTitle, author: landlord.name, locale }, options);
  let y = openLetter(doc, input, input.residents, t.residenceTitle);
  y = write(doc, t.residenceSubtitle, PAGE.left, y - 8, { color: GREY }) + 14;
  const rows: Array<[string, string]> = [[t.landlord, nameAndAddress(landlord)]];
  if (input.owner) rows.push([t.owner, nameAndAddress(input.owner)]);
  rows.push([t.moveIn, formatDate(input.moveInDate, locale)], ...flatRows(input.flat, locale));
  const one = input.residents.length === 1;
  rows.push([t.residents(one), input.residents.join('\n')]);
  y = drawRows(doc, rows, PAGE.left, y, LABEL_WIDTH, 300) + 14;
  y = write(doc, t.confirmation(one), PAGE.left, y, { width: CONTENT_WIDTH }) + 40;
  write(doc, `${landlord.city}, ${formatDate(input.issuedOn, locale)}`, PAGE.left, y - 14);
  rule(doc, y + 14, PAGE.left, PAGE.left + 260);
  y = write(doc, t.signature, PAGE.left, y + 18, { size: 8.5, color: GREY }) + 2;
  y = write(doc, landlord.name, PAGE.left, y, { size: 8.5, color: GREY }) + 20;
  write(doc, t.legalNotice, PAGE.left, y, { size: 8, color: GREY, width: CONTENT_WIDTH });
  drawLetterFooter(doc, letterHeadOf(input));
  return finish(doc);
}

/**
 * The letter head (DIN 5008 form B) with the addressees at the flat's address, and the title;
 * returns the y to continue at.
 */
function openLetter(
  doc: PDFKit.PDFDocument,
  input: LetterInput,
  addressees: string[],
  title: string,
): number {
  const y = drawLetterHead(doc, letterHeadOf(input, addressees));
  return write(doc, title, PAGE.left, y, { font: FONT.bold, size: 17, tag: 'H1' }) + 18;
}

type LetterInput = { locale: DocumentLocale; landlord: Landlord; flat: FlatAddress; issuedOn: string };

function letterHeadOf(input: LetterInput, addressees: string[] = []): LetterHead {
  const { landlord, flat, locale } = input;
  const recipient = { ...flat, name: addressees.join(', ') };
  return {
    locale,
    sender: letterSender(landlord),
    recipient: addressLines(recipient, landlord.country, locale),
    info: [[TEXT[locale].date, formatDate(input.issuedOn, locale)]],
  };
}

function flatRows(flat: FlatAddress, locale: DocumentLocale): Array<[string, string]> {
  const t = TEXT[locale];
  const kind = flat.kind ?? 'flat';
  const rows: Array<[string, string]> = [
    [t.flatAddress(kind), `${flat.street}\n${flat.postalCode} ${flat.city}`],
    [t.unit(kind), flat.unitNumber],
  ];
  if (flat.floor != null) rows.push([t.floor, t.floorName(flat.floor)]);
  if (flat.livingAreaSqm != null)
    rows.push([t.livingArea(kind), `${formatDecimal(flat.livingAreaSqm, locale)} m²`]);
  if (flat.rooms != null) rows.push([t.rooms, formatDecimal(flat.rooms, locale, 1)]);
  return rows;
}
