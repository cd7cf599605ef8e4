import { z } from 'zod';

/** Document types (seeds 000, 001, 002); the database schema takes its enum from here. */
export const documentTypes = [
  'operating_cost_statement',
  'contract',
  'letter',
  'house_rules',
  'rent_change',
  'certificate',
  'owner_statement',
  'minutes',
  /** Seed 003, owners: the WEG's economic plan (Wirtschaftsplan, § 28 Abs. 1 WEG) setting the Hausgeld. */
  'economic_plan',
  /** Seed 003, owners: the invitation to the owners' meeting (§ 24 WEG), with its agenda. */
  'owners_meeting_invitation',
  'other',
] as const;
export type DocumentType = (typeof documentTypes)[number];
export type DocumentScope = 'person' | 'contract' | 'building' | 'estate' | 'ownership';

/** `GET /api/documents?type=` — the filter chips (seed 000 "Dokumente", seed 001 "persönliche Dokumente"). */
export const listDocumentsQuery = z.strictObject({ type: z.enum(documentTypes).optional() });
export type ListDocumentsQuery = z.infer<typeof listDocumentsQuery>;

export interface DocumentDto {
  id: string;
  type: DocumentType;
  title: string;
  scope: DocumentScope;
  /** ISO 8601 UTC. */
  publishedAt: string;
  /** False until this user opened the file once (the unread marker). */
  read: boolean;
  /** This user's first opening: the proof of delivery; null while unread. */
  firstOpenedAt: string | null;
  /** `/api/documents/:id/file`: the PDF, served inline. */
  fileUrl: string;
}

/** `GET /api/documents` — newest first. */
export interface DocumentListResponse {
  documents: DocumentDto[];
}

/** `GET /api/documents/types` — the types the user has at least one document of. */
export interface DocumentTypesResponse {
  types: DocumentType[];
}
