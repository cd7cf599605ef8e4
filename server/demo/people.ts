import type { PersonInsert as PersonRowInsert } from '../../db/repositories/persons.ts';
import type { NewUserRow } from '../../db/repositories/users.ts';
import type { OwnershipInsert } from '../../db/repositories/owners.ts';
import { luhnCheckDigit } from '../pdf/ocr.ts';
import { DEMO_CUSTOMER_NUMBERS, DEMO_LOGINS, type DemoLogin } from './demo-constants.ts';
import type { SeedContext } from './context.ts';

export type PersonInsert = PersonRowInsert & { id: string };
export type UserInsert = NewUserRow & { id: string };
export type { OwnershipInsert };

/** The people API.md and the tests name; generated tenants fill the other units. */
export type FixedPeople = {
  erika: PersonInsert;
  jonas: PersonInsert;
  max: PersonInsert;
  lea: PersonInsert;
  hannah: PersonInsert;
  owner: PersonInsert;
  staff: PersonInsert;
  admin: PersonInsert;
  lars: PersonInsert;
};

const natural = (
  context: SeedContext,
  fields: Omit<PersonInsert, 'id' | 'kind'> & { firstName: string; lastName: string },
): PersonInsert => ({ id: context.newId(), kind: 'natural', ...fields });

// Phone numbers come from ranges kept free for fiction: Bundesnetzagentur's 030 23125 xxx for Berlin,
// PTS's 040-628 04 xx for Malmö, so no demo ever rings a real person.
export const berlinPhone = (suffix: number) => `+49 30 23125 ${String(suffix).padStart(3, '0')}`;
export const malmoPhone = (suffix: number) => `+46 40 628 04 ${String(suffix % 100).padStart(2, '0')}`;

export function planFixedPeople(context: SeedContext): FixedPeople {
  return {
    erika: natural(context, {
      salutation: 'Frau',
      firstName: 'Erika',
      lastName: 'Mustermann',
      customerNumber: DEMO_CUSTOMER_NUMBERS.tenant,
      email: DEMO_LOGINS.tenant,
      mobile: berlinPhone(102),
      language: 'de',
    }),
    jonas: natural(context, {
      salutation: 'Herr',
      firstName: 'Jonas',
      lastName: 'Mustermann',
      customerNumber: DEMO_CUSTOMER_NUMBERS.householdMember,
      email: DEMO_LOGINS.householdMember,
      language: 'de',
    }),
    max: natural(context, {
      salutation: 'Herr',
      firstName: 'Max',
      lastName: 'Nachbar',
      customerNumber: DEMO_CUSTOMER_NUMBERS.neighbour,
      email: DEMO_LOGINS.neighbour,
      phone: berlinPhone(105),
      language: 'de',
    }),
    lea: natural(context, {
      salutation: 'Frau',
      firstName: 'Lea',
      lastName: 'Nachbar',
      customerNumber: '10010502',
      language: 'en',
    }),
    hannah: natural(context, {
      salutation: 'Frau',
      firstName: 'Hannah',
      lastName: 'Neumann',
      customerNumber: DEMO_CUSTOMER_NUMBERS.unregistered,
      language: 'de',
    }),
    owner: natural(context, {
      salutation: 'Herr',
      firstName: 'Olaf',
      lastName: 'Eigner',
      customerNumber: DEMO_CUSTOMER_NUMBERS.owner,
      email: DEMO_LOGINS.owner,
      phone: berlinPhone(501),
      language: 'de',
    }),
    staff: natural(context, {
      salutation: 'Frau',
      firstName: 'Sabine',
      lastName: 'Sommer',
      email: DEMO_LOGINS.staff,
      phone: berlinPhone(10),
      language: 'de',
    }),
    admin: natural(context, {
      salutation: 'Herr',
      firstName: 'Arne',
      lastName: 'Adler',
      email: DEMO_LOGINS.admin,
      phone: berlinPhone(1),
      language: 'de',
    }),
    lars: natural(context, {
      firstName: 'Lars',
      lastName: 'Lindqvist',
      email: DEMO_LOGINS.staffMalmo,
      phone: malmoPhone(10),
      language: 'sv',
    }),
  };
}

// Kept to Latin-1 letters: the PDFs use the standard fonts' WinAnsi encoding.
const firstNames = [
  ['Anna', 'Frau'],
  ['Lukas', 'Herr'],
  ['Sophie', 'Frau'],
  ['Leon', 'Herr'],
  ['Marie', 'Frau'],
  ['Paul', 'Herr'],
  ['Julia', 'Frau'],
  ['Felix', 'Herr'],
  ['Aylin', 'Frau'],
  ['Mehmet', 'Herr'],
  ['Katarzyna', 'Frau'],
  ['Tobias', 'Herr'],
  ['Petra', 'Frau'],
  ['Dmitri', 'Herr'],
  ['Fatma', 'Frau'],
  ['Jan', 'Herr'],
] as const;
const lastNames = [
  'Schmidt',
  'Becker',
  'Hoffmann',
  'Schulz',
  'Koch',
  'Richter',
  'Wolf',
  'Schröder',
  'Braun',
  'Zimmermann',
  'Krüger',
  'Hartmann',
  'Öztürk',
  'Kaya',
  'Nowak',
  'Lange',
] as const;

const emailLocalPart = (text: string) =>
  text
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z]/g, '');

/** A generated Berlin tenant; e-mails use example.org (RFC 2606), so nothing is ever delivered. */
export function randomBerlinTenant(
  context: SeedContext,
  customerNumber: string,
  lastName?: string,
): PersonInsert {
  const { random } = context;
  const [firstName, salutation] = random.pick(firstNames);
  const surname = lastName ?? random.pick(lastNames);
  const hasEmail = random.chance(0.7);
  return natural(context, {
    salutation,
    firstName,
    lastName: surname,
    customerNumber,
    email: hasEmail ? `${emailLocalPart(firstName)}.${emailLocalPart(surname)}@example.org` : null,
    phone: random.chance(0.5) ? berlinPhone(random.int(200, 999)) : null,
    language: random.chance(0.1) ? 'en' : 'de',
  });
}

/** A Swedish organisation number: 10 digits, the last a Luhn check digit (Skatteverket SKV 709). */
export function organisationNumber(firstNine: string): string {
  const digits = firstNine + String(luhnCheckDigit(firstNine));
  return `${digits.slice(0, 6)}-${digits.slice(6)}`;
}

export function malmoOrganisation(
  context: SeedContext,
  name: string,
  numberStem: string,
  customerNumber: string,
  domain: string,
): PersonInsert {
  return {
    id: context.newId(),
    kind: 'organisation',
    organisationName: name,
    organisationNumber: organisationNumber(numberStem),
    customerNumber,
    email: `ekonomi@${domain}`,
    phone: malmoPhone(context.random.int(20, 99)),
    language: 'sv',
  };
}

/** Logins for the fixed people; every demo user shares the one precomputed password hash. */
export function planUsers(
  context: SeedContext,
  people: FixedPeople,
  passwordHash: string,
): Record<DemoLogin, UserInsert> {
  const verifiedAt = new Date(context.now.getTime() - 400 * 86_400_000);
  const user = (person: PersonInsert, login: DemoLogin, role: UserInsert['role']): UserInsert => ({
    id: context.newId(),
    personId: person.id,
    loginEmail: DEMO_LOGINS[login],
    passwordHash,
    role,
    language: person.language ?? 'de',
    emailVerifiedAt: verifiedAt,
    passwordChangedAt: verifiedAt,
    createdAt: verifiedAt,
  });
  return {
    tenant: {
      ...user(people.erika, 'tenant', 'customer'),
      // "Ihr letzter Besuch war am …" (seed 000) has something to show from the first demo login on.
      lastLoginAt: new Date(context.now.getTime() - 3 * 86_400_000),
    },
    neighbour: user(people.max, 'neighbour', 'customer'),
    staff: user(people.staff, 'staff', 'staff'),
    admin: user(people.admin, 'admin', 'admin'),
    householdMember: user(people.jonas, 'householdMember', 'customer'),
    owner: user(people.owner, 'owner', 'customer'),
    staffMalmo: user(people.lars, 'staffMalmo', 'staff'),
    // The organisation is planned with the Malmö leases; `attachCommercialLogin` names it.
    butik: user({ id: '', language: 'sv' } as PersonInsert, 'butik', 'customer'),
  };
}

/** Öresund Design AB's login (API.md `butik@…`) belongs to the organisation planned with its lease. */
export function attachCommercialLogin(
  users: Record<DemoLogin, UserInsert>,
  tenants: readonly PersonInsert[],
): void {
  const oresund = tenants.find((person) => person.customerNumber === DEMO_CUSTOMER_NUMBERS.butik);
  if (!oresund) throw new Error('the demo lacks Öresund Design AB');
  users.butik.personId = oresund.id;
}
