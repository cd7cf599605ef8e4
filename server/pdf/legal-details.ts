/**
 * What the law wants on a company's business letters, as footer lines in the letter's language:
 * - eG (§ 25a GenG): legal form, seat, register court and cooperative register number, every board
 *   member with the chair named as such, and the chair of the supervisory board;
 * - GmbH (§ 35a GmbHG): legal form, seat, register court and number, every managing director and,
 *   where there is a supervisory board, its chair; AG (§ 80 AktG): the board with its chair likewise;
 * - Swedish aktiebolag (27 kap. 1 § aktiebolagslagen): name, registered office (säte) and organisation
 *   number; invoices add the VAT registration number (17 kap. 24 § mervärdesskattelagen) and the
 *   F-tax approval.
 */
import type { DocumentLocale } from './money-format.ts';

export type LegalForm = 'eG' | 'GmbH' | 'AG' | 'AB' | 'other';

export interface LegalDetails {
  form: LegalForm;
  /** Registered office: Sitz, säte. */
  seat?: string;
  /** "Amtsgericht Charlottenburg"; Swedish companies are registered with Bolagsverket (no court). */
  registerCourt?: string;
  /** As the register writes it: "GnR 1234 B", "HRB 98765 B". */
  registerNumber?: string;
  /** Swedish organisationsnummer, "559999-9991". */
  orgNumber?: string;
  /** Board members (Vorstand, styrelse); the chair is `boardChair` and is printed first. */
  board?: string[];
  boardChair?: string;
  supervisoryBoardChair?: string;
  /** Geschäftsführer of a GmbH, verkställande direktör of an AB. */
  managingDirectors?: string[];
  /** VAT identification number: "DE123456789", "SE559999999101". */
  vatId?: string;
  /** Swedish "Godkänd för F-skatt" (the seller pays its own preliminary tax). */
  fTaxApproved?: boolean;
  bank?: { name?: string; iban: string; bic?: string };
  /** Swedish bankgiro number, printed with the bank details. */
  bankgiro?: string;
}

const LABELS = {
  de: {
    seat: 'Sitz',
    board: 'Vorstand',
    chair: 'Vorsitz',
    supervisoryChair: 'Aufsichtsratsvorsitz',
    managingDirectors: 'Geschäftsführung',
    managingDirector: 'Geschäftsführung',
    vatId: 'USt-IdNr.',
    orgNumber: 'Org.-Nr.',
    fTax: 'Godkänd för F-skatt',
  },
  en: {
    seat: 'Registered office',
    board: 'Board',
    chair: 'chair',
    supervisoryChair: 'Chair of the supervisory board',
    managingDirectors: 'Managing directors',
    managingDirector: 'Managing director',
    vatId: 'VAT no.',
    orgNumber: 'Reg. no.',
    fTax: 'Approved for F-tax',
  },
  sv: {
    seat: 'Säte',
    board: 'Styrelse',
    chair: 'ordf.',
    supervisoryChair: 'Ordförande i tillsynsrådet',
    managingDirectors: 'Verkställande direktörer',
    managingDirector: 'Verkställande direktör',
    vatId: 'Momsreg.nr',
    orgNumber: 'Org.nr',
    fTax: 'Godkänd för F-skatt',
  },
} as const;

const LEGAL_FORM_NAMES: Record<LegalForm, Record<DocumentLocale, string>> = {
  eG: {
    de: 'eingetragene Genossenschaft',
    en: 'registered cooperative (eG)',
    sv: 'registrerad kooperativ förening (eG)',
  },
  GmbH: { de: 'GmbH', en: 'limited liability company (GmbH)', sv: 'tyskt aktiebolag (GmbH)' },
  AG: { de: 'Aktiengesellschaft', en: 'stock corporation (AG)', sv: 'tyskt aktiebolag (AG)' },
  AB: { de: 'Aktiebolag (AB)', en: 'limited company (AB)', sv: 'aktiebolag' },
  other: { de: '', en: '', sv: '' },
};

/**
 * The footer in columns (company and register, management, tax and bank); each column a list of
 * lines. Empty columns are left out.
 */
export function legalFooterColumns(
  companyName: string,
  legal: LegalDetails | undefined,
  locale: DocumentLocale,
): string[][] {
  if (!legal) return [[companyName]];
  const t = LABELS[locale];
  const company = [companyName];
  const form = LEGAL_FORM_NAMES[legal.form][locale];
  const seat = legal.seat ? `${t.seat}: ${legal.seat}` : '';
  company.push([form, seat].filter(Boolean).join(', '));
  if (legal.registerCourt || legal.registerNumber)
    company.push([legal.registerCourt, legal.registerNumber].filter(Boolean).join(', '));
  if (legal.orgNumber) company.push(`${t.orgNumber} ${legal.orgNumber}`);

  const management: string[] = [];
  const board = [
    ...(legal.boardChair ? [`${legal.boardChair} (${t.chair})`] : []),
    ...(legal.board ?? []).filter((name) => name !== legal.boardChair),
  ];
  if (board.length > 0) management.push(`${t.board}: ${board.join(', ')}`);
  const directors = legal.managingDirectors ?? [];
  if (directors.length > 0) {
    const label = directors.length === 1 ? t.managingDirector : t.managingDirectors;
    management.push(`${label}: ${directors.join(', ')}`);
  }
  if (legal.supervisoryBoardChair) management.push(`${t.supervisoryChair}: ${legal.supervisoryBoardChair}`);

  const money: string[] = [];
  if (legal.vatId) money.push(`${t.vatId} ${legal.vatId}`);
  if (legal.fTaxApproved) money.push(t.fTax);
  if (legal.bank) {
    money.push(
      [legal.bank.name, `IBAN ${legal.bank.iban.replace(/(.{4})(?=.)/g, '$1 ')}`].filter(Boolean).join(' · '),
    );
    if (legal.bank.bic) money.push(`BIC ${legal.bank.bic}`);
  }
  if (legal.bankgiro) money.push(`Bankgiro ${legal.bankgiro}`);
  return [company.filter(Boolean), management, money].filter((column) => column.length > 0);
}
