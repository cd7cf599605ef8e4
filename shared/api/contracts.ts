import { z } from 'zod';
import { localeSchema } from './auth.ts';

/**
 * Contracts as the tenant sees them (API.md `GET /contracts`, `GET /contracts/:id`): the degewo
 * "Mietvertrag" page of seed 000 (rent composition, rent account), contract data with cooperative
 * shares of seed 002 and the signed contract and related tickets of seed 004.
 * Money is integer minor units beside its currency; dates are ISO `YYYY-MM-DD`.
 */

export type ContractKind = 'residential' | 'commercial' | 'parking' | 'cooperative';
export type ContractPartyRole = 'main_tenant' | 'co_tenant' | 'household_member' | 'guarantor';
export type ContractAccess = 'full' | 'read';
export type RentComponentKind =
  'net_rent' | 'service_charge_advance' | 'heating_advance' | 'surcharge' | 'parking' | 'vat';
/**
 * How the rent arrives: collected by the landlord (`direct_debit`), transferred by the tenant for each
 * invoice (`transfer`), or paid by the tenant's own standing order (`standing_order`, Dauerauftrag).
 */
export type PaymentMethod = 'direct_debit' | 'transfer' | 'standing_order';
/** Rent account: `arrears` = the tenant owes (balance > 0), `credit` = the landlord owes (balance < 0). */
export type BalanceState = 'credit' | 'arrears' | 'settled';

export interface RentAccountBalanceDto {
  /** Minor units from the tenant's view: positive = owed by the tenant, negative = credit. */
  amount: number;
  currency: string;
  state: BalanceState;
}

export interface ContractSummaryDto {
  id: string;
  number: string;
  kind: ContractKind;
  /** "Musterstraße 1, 10115 Berlin" of the (first) unit's building. */
  addressLine: string;
  unitNumbers: string[];
  startDate: string;
  endDate: string | null;
  myRole: ContractPartyRole;
  myAccess: ContractAccess;
  /** Sum of the rent components valid today. */
  currentRentTotal: number;
  currency: string;
  balance: RentAccountBalanceDto;
}

export interface ContractsListResponse {
  contracts: ContractSummaryDto[];
}

export interface ContractObjectDto {
  unitId: string;
  unitNumber: string;
  unitKind: 'flat' | 'commercial' | 'parking' | 'storage';
  /** 0 = ground floor, negative = basement. */
  floor: number | null;
  areaSqm: number | null;
  rooms: number | null;
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
}

/** Names and roles only: other parties' contact data is never shown (GDPR data minimisation). */
export interface ContractPartyDto {
  name: string;
  role: ContractPartyRole;
  /** True for the signed-in person's own row. */
  isMe: boolean;
}

export interface RentComponentDto {
  kind: RentComponentKind;
  /** The landlord's own label ("Zuschlag Einbauküche", "Moms 25 %"), null → the client's i18n of `kind`. */
  label: string | null;
  amount: number;
}

export interface RentPeriodDto {
  validFrom: string;
  /** Null for the composition in force today (or later). */
  validTo: string | null;
  components: RentComponentDto[];
  total: number;
}

export interface PaymentMethodDto {
  method: PaymentMethod;
  /** Only ever masked, e.g. "DE89 •••• •••• •••• •••• 00"; null for transfers. */
  ibanMasked: string | null;
  accountHolder: string | null;
  /** The direct-debit mandate; null for transfers. */
  mandate: DirectDebitMandateDto | null;
}

/**
 * The SEPA direct-debit mandate (EUR) or autogiro consent (SEK) the rent is collected under. `reference`
 * is the mandate reference (SEPA) or the payer number (autogiro); null where the landlord has not
 * recorded it.
 */
export interface DirectDebitMandateDto {
  scheme: 'sepa' | 'autogiro';
  reference: string | null;
  signedOn: string | null;
  /** Short mask, e.g. "DE•• •••• 1234". */
  accountMasked: string | null;
  accountHolder: string | null;
}

export interface CooperativeSharesDto {
  shareCount: number;
  shareValue: number;
  totalValue: number;
}

export interface LinkedTicketDto {
  id: string;
  number: string;
  subject: string;
  status: 'new' | 'in_progress' | 'waiting_tenant' | 'resolved' | 'closed';
  /** ISO 8601 UTC of the last public activity. */
  updatedAt: string;
}

export interface ContractDetailDto {
  id: string;
  number: string;
  kind: ContractKind;
  startDate: string;
  endDate: string | null;
  currency: string;
  myRole: ContractPartyRole;
  myAccess: ContractAccess;
  objects: ContractObjectDto[];
  parties: ContractPartyDto[];
  currentRent: { validFrom: string | null; components: RentComponentDto[]; total: number };
  /** Every composition the contract had, newest first (seed 000 rent history). */
  rentHistory: RentPeriodDto[];
  payment: PaymentMethodDto;
  deposit: number | null;
  cooperativeShares: CooperativeSharesDto | null;
  balance: RentAccountBalanceDto;
  linkedTickets: LinkedTicketDto[];
  /** `/api/contracts/:id/signed.pdf` when a signed PDF exists, else null. */
  signedContractUrl: string | null;
  /** Self-service certificate downloads (seed 002); `residence` null when the landlord disabled it. */
  certificates: { rent: string; residence: string | null };
  /** `/api/contracts/:id/ledger`. */
  ledgerUrl: string;
}

export interface ContractDetailResponse {
  contract: ContractDetailDto;
}

export type LedgerEntryKind = 'charge' | 'payment' | 'credit' | 'adjustment';

export interface LedgerEntryDto {
  id: string;
  bookedOn: string;
  kind: LedgerEntryKind;
  description: string;
  /** Signed from the tenant's view: charge > 0, payment < 0. */
  amount: number;
  /** Rent account balance after this entry. */
  balanceAfter: number;
}

/** `GET /contracts/:id/ledger`: the rent account (Mietkonto, seed 000), newest first. */
export interface ContractLedgerResponse {
  entries: LedgerEntryDto[];
  balance: number;
  currency: string;
  state: BalanceState;
}

/** `?lang=` on PDF downloads; otherwise the user's language. */
export const pdfQuery = z.object({ lang: localeSchema.optional() });
export type PdfQuery = z.infer<typeof pdfQuery>;

/** Ids are opaque strings; anything longer or stranger is simply not found. */
export const resourceIdPattern = /^[A-Za-z0-9_-]{1,64}$/;
