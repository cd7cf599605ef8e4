import type {
  ContractAccess,
  ContractKind,
  ContractPartyRole,
  ContractSummaryDto,
  RentAccountBalanceDto,
} from './contracts.ts';
import { resourceIdPattern } from './contracts.ts';
import type { DocumentDto, DocumentScope, DocumentType } from './documents.ts';
import type { HomeResponse } from './home.ts';
import type { InvoiceSummaryDto } from './invoices.ts';
import type { NotificationChannel, NotificationPreferenceMap } from './profile.ts';
import type { TicketStatus } from './tickets.ts';
import { z } from 'zod';
import { entityId } from './ids.ts';

/** Registration status of a tenant in the directory (issue 5 item 7). */
export const registrationStatuses = ['registered', 'invited', 'none'] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

export const tenantDirectoryQuery = z.strictObject({
  q: z.string().trim().max(100).optional(),
  building: z.string().min(1).max(64).optional(),
  status: z.enum(registrationStatuses).optional(),
});
export type TenantDirectoryQuery = z.infer<typeof tenantDirectoryQuery>;

export interface TenantRowDto {
  personId: string;
  name: string;
  customerNumber: string | null;
  language: 'de' | 'en' | 'sv';
  contractId: string;
  contractNumber: string;
  role: string;
  unitNumber: string;
  buildingId: string;
  address: string;
  /** registered: has a login; invited: an open (unused, unrevoked, unexpired) letter code; none: neither. */
  status: RegistrationStatus;
}

export interface BuildingOptionDto {
  id: string;
  address: string;
}

export interface TenantDirectoryDto {
  tenants: TenantRowDto[];
  buildings: BuildingOptionDto[];
}

const id = entityId;

/**
 * Exactly one of personIds, contractIds, buildingId, importRunId. `single` answers one multi-page PDF (one
 * letter per page, for printing); `per_person` answers a JSON list of `{ personId, fileName, pdf }`
 * with each letter as base64 — kept in one response because the codes exist only in that answer.
 */
export const registrationLettersRequest = z
  .strictObject({
    personIds: z.array(id).min(1).max(500).optional(),
    contractIds: z.array(id).min(1).max(500).optional(),
    buildingId: id.optional(),
    /** Everyone an ERP load brought in who has no login yet: the letters of a go-live (issue 14 item 7). */
    importRunId: id.optional(),
    layout: z.enum(['single', 'per_person']).default('single'),
  })
  .refine(
    (body) =>
      [body.personIds, body.contractIds, body.buildingId, body.importRunId].filter(
        (part) => part !== undefined,
      ).length === 1,
    { message: 'one_selection_required', path: ['personIds'] },
  );
export type RegistrationLettersRequest = z.infer<typeof registrationLettersRequest>;

export interface PerPersonLetterDto {
  personId: string;
  fileName: string;
  /** The PDF, base64. */
  pdf: string;
}

export interface RegeneratedCodeDto {
  personId: string;
  /** The new code: shown once to the staff member (for a phone call or a letter printed later). */
  code: string;
}

/**
 * "View as tenant": exactly what the tenant's own pages show, computed by the tenant-side services
 * for the tenant's login (read-only by construction: no session is switched).
 */
export interface TenantViewDto {
  person: { id: string; name: string; language: 'de' | 'en' | 'sv' };
  /** The tenant app's start page figures (GET /api/home) for that login. */
  home: HomeResponse;
  contracts: ContractSummaryDto[];
  invoices: InvoiceSummaryDto[];
  documents: DocumentDto[];
  tickets: TicketSummaryForViewDto[];
}

export interface TicketSummaryForViewDto {
  id: string;
  number: string;
  subject: string;
  status: TicketStatus;
  createdAt: string;
}

/**
 * `/staff/tenants/:personId[/…]`: the id in the path. A malformed id answers the same 404 as an
 * unknown one (the route maps a failed parse to not found), so the shape of an id tells nothing.
 */
export const tenantPersonParams = z.strictObject({
  personId: z.string().regex(resourceIdPattern),
});

export interface TenantContactDto {
  email: string | null;
  phone: string | null;
  mobile: string | null;
  /** The login's e-mail, when it differs from the contact address. */
  loginEmail: string | null;
}

/** One current or past contract of the person with its units and rent account (issue 15 item 5). */
export interface TenantContractDto {
  id: string;
  number: string;
  kind: ContractKind;
  role: ContractPartyRole;
  access: ContractAccess;
  startDate: string;
  endDate: string | null;
  /** False once the contract or the person's part in it has ended. */
  current: boolean;
  units: {
    id: string;
    number: string;
    kind: string;
    buildingId: string;
    /** "Musterstraße 1, 10115 Berlin". */
    address: string;
  }[];
  currency: string;
  /** The same figure the tenant sees on GET /api/contracts (ledger sum; positive = arrears). */
  balance: RentAccountBalanceDto;
  /** Open invoices past their due date: how many and what is still open of them. */
  overdue: { count: number; amount: number };
}

export type HouseholdAccessState = 'full' | 'read' | 'invited' | 'no_login';

export interface TenantHouseholdMemberDto {
  /** Null for an invitation whose invitee is not on the contract yet. */
  personId: string | null;
  name: string;
  contractId: string;
  contractNumber: string;
  role: ContractPartyRole | null;
  /**
   * full: has a login and can act; read: has a login, sees only; no_login: on the contract without
   * a login; invited: an open household invitation.
   */
  state: HouseholdAccessState;
  /** When an invitation stops working. */
  invitationExpiresAt: string | null;
  isSelf: boolean;
}

export interface TenantTicketDto {
  id: string;
  number: string;
  subject: string;
  type: string;
  status: TicketStatus;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  createdAt: string;
  lastActivityAt: string;
}

export interface TenantDocumentDto {
  id: string;
  title: string;
  type: DocumentType;
  scope: DocumentScope;
  publishedAt: string;
  /** This person's first opening (proof of delivery); null while unopened or without a login. */
  firstOpenedAt: string | null;
}

export type ConsentKindDto = 'privacy' | 'terms' | 'electronic_delivery';

export interface TenantConsentDto {
  kind: ConsentKindDto;
  version: string;
  acceptedAt: string;
  withdrawnAt: string | null;
}

export interface TenantChannelsDto {
  /** Channels with a way to reach the person: an address, a number, a device. Paper always. */
  reachable: Record<NotificationChannel, boolean>;
  pushDevices: number;
  /** The choices per category as the outbox applies them (defaults where nothing is stored); null without a login. */
  preferences: NotificationPreferenceMap | null;
  /** Whether documents may be delivered electronically instead of by post (the consent, not withdrawn). */
  electronicDelivery: boolean;
}

/** `GET /api/staff/tenants/:personId`: the tenant record (issue 15 item 5). */
export interface TenantRecordDto {
  person: {
    id: string;
    name: string;
    kind: 'natural' | 'organisation';
    customerNumber: string | null;
    language: 'de' | 'en' | 'sv';
  };
  contact: TenantContactDto;
  registration: RegistrationStatus;
  lastLoginAt: string | null;
  contracts: TenantContractDto[];
  /** Per currency over the current contracts: the balance and the overdue invoices. */
  totals: { currency: string; balance: RentAccountBalanceDto; overdue: { count: number; amount: number } }[];
  household: TenantHouseholdMemberDto[];
  tickets: TenantTicketDto[];
  documents: TenantDocumentDto[];
  consents: TenantConsentDto[];
  channels: TenantChannelsDto;
}

/** `GET /api/staff/tenants/:personId/summary`: the compact card beside a case. */
export interface TenantSummaryDto {
  person: TenantRecordDto['person'];
  contact: TenantContactDto;
  contracts: { id: string; number: string; unit: string; address: string }[];
  totals: TenantRecordDto['totals'];
  /** Other people on the person's current contracts (members with or without login). */
  householdCount: number;
  openTickets: number;
}
