import { z } from 'zod';
import { entityId } from './ids.ts';
import { documentTypes, type DocumentType } from './documents.ts';

/** Publishing documents from the console (issue 5 item 6; seeds 000, 001, 002). */

const id = entityId;

export const staffDocumentCreate = z.strictObject({
  title: z.string().trim().min(1).max(200),
  type: z.enum(documentTypes),
  /** `ownership`: one owner's own document (seed 003), seen by the owner of that unit only. */
  scope: z.strictObject({ kind: z.enum(['person', 'contract', 'building', 'estate', 'ownership']), id }),
  /** An uploaded PDF (POST /uploads) of the publishing staff member. */
  attachmentId: id,
  /** Building/estate documents: tenants, owners or both (seed 003). */
  audience: z.enum(['all', 'tenants', 'owners']).default('all'),
});
export type StaffDocumentCreate = z.infer<typeof staffDocumentCreate>;

/** `GET /staff/documents/ownerships`: the ownerships in the staff member's scope to file a document to. */
export interface OwnershipOptionDto {
  ownershipId: string;
  ownerName: string;
  unitNumber: string;
  address: string;
}
export interface OwnershipOptionsResponse {
  ownerships: OwnershipOptionDto[];
}

/** `GET /staff/documents/recipients?q=`: a name, customer number or contract number (issue 15 item 9). */
export const documentRecipientQuery = z.strictObject({ q: z.string().trim().min(2).max(100) });
export type DocumentRecipientQuery = z.infer<typeof documentRecipientQuery>;

/** One current party of one contract in the staff member's scope: whom a single document can go to. */
export interface DocumentRecipientOptionDto {
  personId: string;
  name: string;
  customerNumber: string | null;
  contractId: string;
  contractNumber: string;
  unitNumber: string;
  address: string;
}

export interface DocumentRecipientSearchResponse {
  recipients: DocumentRecipientOptionDto[];
}

export const bulkPreviewRequest = z.strictObject({
  files: z
    .array(z.strictObject({ attachmentId: id, fileName: z.string().trim().min(1).max(255).optional() }))
    .min(1)
    .max(2000),
});
export type BulkPreviewRequest = z.infer<typeof bulkPreviewRequest>;

export const bulkPublishRequest = z.strictObject({
  type: z.enum(documentTypes),
  title: z.string().trim().min(1).max(200),
  items: z
    .array(z.strictObject({ attachmentId: id, contractId: id }))
    .min(1)
    .max(2000),
});
export type BulkPublishRequest = z.infer<typeof bulkPublishRequest>;

export type BulkMissReason = 'no_contract_number' | 'unknown_contract' | 'not_a_pdf' | 'unknown_attachment';

export interface BulkPreviewResponse {
  matched: { attachmentId: string; fileName: string; contractId: string; contractNumber: string }[];
  missed: { attachmentId: string; fileName: string; reason: BulkMissReason }[];
}

export interface DocumentRecipientDto {
  userId: string;
  name: string | null;
  /** First opening (proof of delivery); null = not opened yet. */
  openedAt: string | null;
}

export interface StaffDocumentDto {
  id: string;
  title: string;
  type: DocumentType;
  /** `ownership`: one owner's own document (seed 003), addressed to the owner of that unit. */
  scope: { kind: 'person' | 'contract' | 'building' | 'estate' | 'ownership'; id: string };
  publishedAt: string;
  recipients: DocumentRecipientDto[];
  openedCount: number;
}
