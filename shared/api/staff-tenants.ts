import type { ContractSummaryDto } from './contracts.ts';
import type { DocumentDto } from './documents.ts';
import type { InvoiceSummaryDto } from './invoices.ts';
import { z } from 'zod';

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

const id = z.string().min(1).max(64);

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
  contracts: ContractSummaryDto[];
  invoices: InvoiceSummaryDto[];
  documents: DocumentDto[];
  tickets: TicketSummaryForViewDto[];
}

export interface TicketSummaryForViewDto {
  id: string;
  number: string;
  subject: string;
  status: string;
  createdAt: string;
}
