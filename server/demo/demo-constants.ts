/**
 * The demo data's fixed facts (API.md "Demo data"): tests, the README and the e2e suite refer to
 * these instead of repeating literals. Everything here is fictitious; e-mail addresses use the
 * project's demo domain, phone numbers the ranges reserved for fiction.
 */

export const DEMO_PASSWORD = 'Portier-Demo-2026';

export const DEMO_LOGINS = {
  /** Erika Mustermann, main tenant of Musterstraße 1, flat 1.02 (API.md). */
  tenant: 'mieterin@demo.portier.dev',
  /** Max Nachbar, main tenant of Musterstraße 1, flat 1.05 (API.md). */
  neighbour: 'nachbar@demo.portier.dev',
  /** Staff in the team whose scope is `all` (API.md). */
  staff: 'staff@demo.portier.dev',
  admin: 'admin@demo.portier.dev',
  /** Jonas Mustermann: household member with `read` access on Erika's contract (seed 003). */
  householdMember: 'jonas@demo.portier.dev',
  /** Olaf Eigner: owner of Musterstraße 5, flats 5.01 and 5.02 (seed 003). */
  owner: 'owner@demo.portier.dev',
  /** Lars Lindqvist: staff for the Malmö estate only. */
  staffMalmo: 'malmo@demo.portier.dev',
  /** Öresund Design AB: commercial tenant in Malmö, Swedish, SEK invoices with OCR (API.md). */
  butik: 'butik@demo.portier.dev',
} as const;

export type DemoLogin = keyof typeof DEMO_LOGINS;

export const DEMO_ROLES: Record<DemoLogin, 'customer' | 'staff' | 'admin'> = {
  tenant: 'customer',
  neighbour: 'customer',
  staff: 'staff',
  admin: 'admin',
  householdMember: 'customer',
  owner: 'customer',
  staffMalmo: 'staff',
  butik: 'customer',
};

/** Printed on the registration letter of Hannah Neumann, who has no login yet (API.md). */
export const DEMO_REGISTRATION_CODE = 'DEMO-2026-REG1';

/** Customer / member numbers: 10 (estate) · house · flat · party, e.g. 10 01 02 01. */
export const DEMO_CUSTOMER_NUMBERS = {
  tenant: '10010201',
  householdMember: '10010202',
  neighbour: '10010501',
  unregistered: '10030401',
  owner: '30050001',
  /** Öresund Design AB (Malmö, seed 004). */
  butik: '20060001',
} as const;

/** Contract numbers: estate+house · unit · running number of contracts on that unit. */
export const DEMO_CONTRACT_NUMBERS = {
  tenant: '1001-02-03',
  neighbour: '1001-05-01',
  unregistered: '1003-04-02',
  /** Cooperative-style "Dauernutzungsvertrag" with shares (seed 002). */
  cooperative: '1005-03-01',
  /** Commercial lease in Malmö, SEK, organisation tenant (seed 004). */
  malmoCommercial: '2006-0101-01',
} as const;

export const DEMO_ESTATES = {
  berlin: { name: 'Musterquartier', city: 'Berlin', country: 'DE' },
  malmo: { name: 'Malmö Centrum', city: 'Malmö', country: 'SE' },
} as const;

/** Erika's flat as API.md names it. */
export const DEMO_TENANT_UNIT = { street: 'Musterstraße', houseNumber: '1', unitNumber: '1.02' } as const;

/** Months of invoices per contract, up to and including the current month. */
export const DEMO_INVOICE_MONTHS = 24;
/** Erika's last two invoices are open, so "unpaid only" shows something and her account is in arrears. */
export const DEMO_TENANT_UNPAID_INVOICES = 2;

export const DEMO_TICKET_SUBJECTS = {
  leakingTap: 'Wasserhahn tropft',
  operatingCostsQuestion: 'Frage zur Betriebskostenabrechnung',
  petRequest: 'Antrag auf Katzenhaltung',
  staircaseLight: 'Treppenhausbeleuchtung 2. OG defekt',
} as const;

export const DEMO_INCIDENT_TITLE = 'Wasserabstellung Dienstag 8–12 Uhr';

export const DEMO_LANDLORD = {
  name: 'Portier Wohnen eG',
  addressLines: ['Musterstraße 1', '10115 Berlin'],
  contactLine: 'service@demo.portier.dev · +49 30 23125 000',
  email: 'service@demo.portier.dev',
  phone: '+49 30 23125 000',
} as const;
