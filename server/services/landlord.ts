import { z } from 'zod';
import { findSetting } from '../../db/repositories/settings.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { LegalDetails } from '../pdf/legal-details.ts';

/**
 * The landlord as printed on invoices and certificates. One landlord per deployment (DESIGN.md), so
 * its name, address and bank accounts are configuration (the `settings` table), not schema. The
 * defaults are the demo landlord's, so a fresh demo prints complete documents.
 *
 * A landlord with buildings in another country writes to their tenants from its office there (setting
 * `offices`, keyed by ISO country): a Malmö tenant's letters come from the Swedish office, with its
 * address, contact and — when it is a company of its own, like a Swedish AB — its legal details.
 */
export interface LandlordProfile {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  email?: string;
  phone?: string;
  /** What business letters must state (setting `legal_details`; an office's own `legal`). */
  legal?: LegalDetails;
}

/** Where tenants pay, per invoice currency (setting `payment_accounts`). */
export interface PaymentAccounts {
  /** `creditorId`: the SEPA creditor identifier (Gläubiger-ID) that direct-debit pre-notifications name. */
  EUR: { name: string; iban: string; bic?: string; creditorId?: string };
  /** `ocrLengthDigit`: the Bankgiro OCR agreement wants a length digit in OCR references (ocr.ts). */
  SEK: { name: string; bankgiro: string; orgNumber?: string; ocrLengthDigit?: boolean };
}

const DEFAULT_LANDLORD: LandlordProfile = {
  name: 'Portier Wohnen eG',
  street: 'Musterstraße 1',
  postalCode: '10115',
  city: 'Berlin',
  country: 'DE',
  email: 'service@demo.portier.dev',
  phone: '+49 30 23125 000',
  // § 25a GenG: legal form, seat, register court and number, the whole board with its chair, and the
  // chair of the supervisory board. Fictitious demo people and numbers.
  legal: {
    form: 'eG',
    seat: 'Berlin',
    registerCourt: 'Amtsgericht Charlottenburg',
    registerNumber: 'GnR 999 B',
    boardChair: 'Dr. Jana Beispiel',
    board: ['Dr. Jana Beispiel', 'Tobias Muster'],
    supervisoryBoardChair: 'Petra Exempel',
    vatId: 'DE999999999',
    bank: { iban: 'DE02120300000000202051', bic: 'BYLADEM1001' },
  },
};

/**
 * The demo's Swedish office: a Swedish aktiebolag of its own, so its letters name firm, säte and
 * organisationsnummer (27 kap. 1 § ABL), and its invoices the VAT number and F-tax approval.
 */
const DEFAULT_OFFICES: Record<string, LandlordProfile> = {
  SE: {
    name: 'Portier Bostad Sverige AB',
    street: 'Utlandagatan 6',
    postalCode: '212 14',
    city: 'Malmö',
    country: 'SE',
    email: 'malmo@demo.portier.dev',
    phone: '+46 40 628 04 10',
    legal: {
      form: 'AB',
      seat: 'Malmö',
      orgNumber: '559999-9991',
      boardChair: 'Karin Exempelsson',
      board: ['Karin Exempelsson', 'Johan Prov'],
      vatId: 'SE559999999101',
      fTaxApproved: true,
      bankgiro: '5050-1055',
    },
  },
};

/**
 * Demo accounts that pass every check the renderers make: DE02120300000000202051 is the widely used
 * test IBAN (valid ISO 13616 mod-97), 5050-1055 the bankgiro Bankgirot uses in its own examples
 * (valid Luhn check digit). 559999-9991 is a fictitious organisation number with a valid check digit.
 * DE98ZZZ09999999999 is the example creditor identifier the Deutsche Bundesbank publishes.
 */
const DEFAULT_ACCOUNTS: PaymentAccounts = {
  EUR: {
    name: DEFAULT_LANDLORD.name,
    iban: 'DE02120300000000202051',
    bic: 'BYLADEM1001',
    creditorId: 'DE98ZZZ09999999999',
  },
  SEK: { name: DEFAULT_OFFICES.SE!.name, bankgiro: '5050-1055', orgNumber: '559999-9991' },
};

const text = z.string().trim().min(1).max(200);

/** The seed writes `{ name, primaryColor, contactEmail, contactPhone }`; an address may follow later. */
const brandingSetting = z.looseObject({
  name: text.optional(),
  contactEmail: text.optional(),
  contactPhone: text.optional(),
  address: z
    .object({ street: text, postalCode: text, city: text, country: z.string().regex(/^[A-Z]{2}$/) })
    .optional(),
});

const paymentAccountsSetting = z.looseObject({
  EUR: z
    .object({ name: text.optional(), iban: text, bic: text.optional(), creditorId: text.optional() })
    .optional(),
  SEK: z
    .object({
      name: text.optional(),
      bankgiro: text,
      orgNumber: text.optional(),
      ocrLengthDigit: z.boolean().optional(),
    })
    .optional(),
});

const names = z.array(text).max(30);
const legalDetailsSetting = z.object({
  form: z.enum(['eG', 'GmbH', 'AG', 'AB', 'other']),
  seat: text.optional(),
  registerCourt: text.optional(),
  registerNumber: text.optional(),
  orgNumber: text.optional(),
  board: names.optional(),
  boardChair: text.optional(),
  supervisoryBoardChair: text.optional(),
  managingDirectors: names.optional(),
  vatId: text.optional(),
  fTaxApproved: z.boolean().optional(),
  bank: z.object({ name: text.optional(), iban: text, bic: text.optional() }).optional(),
  bankgiro: text.optional(),
});

/** `offices`: `{ "SE": { name?, address: { street, postalCode, city }, contactEmail?, contactPhone?, legal? } }`. */
const officesSetting = z.record(
  z.string().regex(/^[A-Z]{2}$/),
  z.object({
    name: text.optional(),
    address: z.object({ street: text, postalCode: text, city: text }),
    contactEmail: text.optional(),
    contactPhone: text.optional(),
    legal: legalDetailsSetting.optional(),
  }),
);

const certificatesSetting = z.looseObject({ residenceConfirmation: z.boolean().optional() });

/**
 * The sender of a letter to `country` (a building's country): the office there when there is one,
 * else the landlord's head office. Without `country`, the head office.
 */
export async function loadLandlordProfile(db: DbOrTx, country?: string): Promise<LandlordProfile> {
  const main = await loadHeadOffice(db);
  if (!country || country.toUpperCase() === main.country) return main;
  const offices = officesSetting.safeParse(await findSetting(db, 'offices'));
  const configured = offices.success ? offices.data[country.toUpperCase()] : undefined;
  if (configured) {
    const { name, address, contactEmail, contactPhone, legal } = configured;
    return {
      name: name ?? main.name,
      ...address,
      country: country.toUpperCase(),
      email: contactEmail ?? main.email,
      phone: contactPhone ?? main.phone,
      // An office without legal details of its own is a branch: the head office's details apply.
      legal: legal ?? main.legal,
    };
  }
  // The demo's Swedish office, unless the landlord configured offices of its own.
  if (!offices.success && isDemo(main.name)) return DEFAULT_OFFICES[country.toUpperCase()] ?? main;
  return main;
}

async function loadHeadOffice(db: DbOrTx): Promise<LandlordProfile> {
  const parsed = brandingSetting.safeParse(await findSetting(db, 'branding'));
  const branding = parsed.success ? parsed.data : {};
  const legal = legalDetailsSetting.safeParse(await findSetting(db, 'legal_details'));
  const name = branding.name ?? DEFAULT_LANDLORD.name;
  return {
    ...DEFAULT_LANDLORD,
    ...(branding.address ?? {}),
    name,
    email: branding.contactEmail ?? DEFAULT_LANDLORD.email,
    phone: branding.contactPhone ?? DEFAULT_LANDLORD.phone,
    // Another landlord's letters must not carry the demo's register entries.
    legal: legal.success ? legal.data : isDemo(name) ? DEFAULT_LANDLORD.legal : undefined,
  };
}

function isDemo(name: string): boolean {
  return name === DEFAULT_LANDLORD.name;
}

/** The demo landlord's sender for `country` (the seed renders its documents before settings exist). */
export function demoLandlordProfile(country = 'DE'): LandlordProfile {
  return DEFAULT_OFFICES[country.toUpperCase()] ?? DEFAULT_LANDLORD;
}

/** Payee accounts; each currency falls back to the demo default when not configured. */
export async function loadPaymentAccounts(db: DbOrTx, landlordName: string): Promise<PaymentAccounts> {
  const parsed = paymentAccountsSetting.safeParse(await findSetting(db, 'payment_accounts'));
  const configured = parsed.success ? parsed.data : {};
  return {
    EUR: configured.EUR
      ? { ...configured.EUR, name: configured.EUR.name ?? landlordName }
      : { ...DEFAULT_ACCOUNTS.EUR, name: landlordName },
    SEK: configured.SEK
      ? { ...configured.SEK, name: configured.SEK.name ?? (await loadLandlordProfile(db, 'SE')).name }
      : { ...DEFAULT_ACCOUNTS.SEK, name: (await loadLandlordProfile(db, 'SE')).name },
  };
}

/**
 * Whether tenants may download the Wohnungsgeberbestätigung themselves (seed 002 self-service forms).
 * Read from `certificates` → `{ residenceConfirmation }`; on by default for the demo.
 */
export async function residenceConfirmationEnabled(db: DbOrTx): Promise<boolean> {
  const parsed = certificatesSetting.safeParse(await findSetting(db, 'certificates'));
  return parsed.success ? (parsed.data.residenceConfirmation ?? true) : true;
}
