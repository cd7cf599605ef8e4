import { z } from 'zod';
import { findSetting } from '../../db/repositories/settings.ts';
import type { DbOrTx } from '../../db/transaction.ts';

/**
 * The landlord as printed on invoices and certificates. One landlord per deployment (DESIGN.md), so
 * its name, address and bank accounts are configuration (the `settings` table), not schema. The
 * defaults are the demo landlord's, so a fresh demo prints complete documents.
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
}

/** Where tenants pay, per invoice currency (setting `payment_accounts`). */
export interface PaymentAccounts {
  /** `creditorId`: the SEPA creditor identifier (Gläubiger-ID) that direct-debit pre-notifications name. */
  EUR: { name: string; iban: string; bic?: string; creditorId?: string };
  SEK: { name: string; bankgiro: string; orgNumber?: string };
}

const DEFAULT_LANDLORD: LandlordProfile = {
  name: 'Portier Wohnen eG',
  street: 'Musterstraße 1',
  postalCode: '10115',
  city: 'Berlin',
  country: 'DE',
  email: 'service@demo.portier.dev',
  phone: '+49 30 23125 000',
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
  SEK: { name: DEFAULT_LANDLORD.name, bankgiro: '5050-1055', orgNumber: '559999-9991' },
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
  SEK: z.object({ name: text.optional(), bankgiro: text, orgNumber: text.optional() }).optional(),
});

const certificatesSetting = z.looseObject({ residenceConfirmation: z.boolean().optional() });

export function loadLandlordProfile(db: DbOrTx): LandlordProfile {
  const branding = brandingSetting.safeParse(findSetting(db, 'branding'));
  if (!branding.success) return DEFAULT_LANDLORD;
  const { name, contactEmail, contactPhone, address } = branding.data;
  return {
    ...DEFAULT_LANDLORD,
    ...(address ?? {}),
    name: name ?? DEFAULT_LANDLORD.name,
    email: contactEmail ?? DEFAULT_LANDLORD.email,
    phone: contactPhone ?? DEFAULT_LANDLORD.phone,
  };
}

/** Payee accounts; each currency falls back to the demo default when not configured. */
export function loadPaymentAccounts(db: DbOrTx, landlordName: string): PaymentAccounts {
  const parsed = paymentAccountsSetting.safeParse(findSetting(db, 'payment_accounts'));
  const configured = parsed.success ? parsed.data : {};
  return {
    EUR: configured.EUR
      ? { ...configured.EUR, name: configured.EUR.name ?? landlordName }
      : { ...DEFAULT_ACCOUNTS.EUR, name: landlordName },
    SEK: configured.SEK
      ? { ...configured.SEK, name: configured.SEK.name ?? landlordName }
      : { ...DEFAULT_ACCOUNTS.SEK, name: landlordName },
  };
}

/**
 * Whether tenants may download the Wohnungsgeberbestätigung themselves (seed 002 self-service forms).
 * Read from `certificates` → `{ residenceConfirmation }`; on by default for the demo.
 */
export function residenceConfirmationEnabled(db: DbOrTx): boolean {
  const parsed = certificatesSetting.safeParse(findSetting(db, 'certificates'));
  return parsed.success ? (parsed.data.residenceConfirmation ?? true) : true;
}
