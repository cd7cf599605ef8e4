import { z } from 'zod';
import { entityId } from './ids.ts';

/** The staff notice board (issue 5 item 4, seed 001 "schwarzes Brett"). */

const id = entityId;
const isoTime = z.iso.datetime({ offset: true });

export const noticeCategories = [
  'general',
  'maintenance',
  'cleaning',
  'event',
  'safety',
  'house_rules',
] as const;
export type NoticeCategory = (typeof noticeCategories)[number];

/**
 * Where a notice hangs. The data model holds one estate or one building per notice (or a set of
 * units of one building), so `estate` and `building` take exactly one id.
 */
export const noticeScopeInput = z
  .strictObject({
    kind: z.enum(['estate', 'building', 'units']),
    ids: z.array(id).min(1).max(500),
  })
  .refine((scope) => scope.kind === 'units' || scope.ids.length === 1, {
    message: 'validation_single_place',
    path: ['ids'],
  });
export type NoticeScopeInput = z.infer<typeof noticeScopeInput>;

export const staffNoticeCreate = z
  .strictObject({
    title: z.string().trim().min(1).max(200),
    body: z.string().trim().min(1).max(10_000),
    category: z.enum(noticeCategories),
    scope: noticeScopeInput,
    validFrom: isoTime,
    validTo: isoTime.nullable().optional(),
    /** Scheduled publishing: absent or past = now. */
    publishAt: isoTime.nullable().optional(),
    pinned: z.boolean().default(false),
    important: z.boolean().default(false),
    /** Not stored yet (no notice–attachment table in the schema): must be empty. */
    attachmentIds: z.array(id).max(0, { message: 'validation_attachments_unsupported' }).optional(),
  })
  .refine((n) => !n.validTo || n.validTo > n.validFrom, {
    message: 'validation_valid_to_before_from',
    path: ['validTo'],
  });
export type StaffNoticeCreate = z.infer<typeof staffNoticeCreate>;

/** "How many get it?" before publishing (issue 15 item 8): what the audience depends on. */
export const staffNoticeReach = z.strictObject({
  scope: noticeScopeInput,
  important: z.boolean().default(false),
});
export type StaffNoticeReach = z.infer<typeof staffNoticeReach>;

/** Editing never notifies again (issue 5); the scope is fixed once published. */
export const staffNoticePatch = z
  .strictObject({
    title: z.string().trim().min(1).max(200).optional(),
    body: z.string().trim().min(1).max(10_000).optional(),
    category: z.enum(noticeCategories).optional(),
    validFrom: isoTime.optional(),
    validTo: isoTime.nullable().optional(),
    publishAt: isoTime.optional(),
    pinned: z.boolean().optional(),
    important: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'validation_empty_patch' });
export type StaffNoticePatch = z.infer<typeof staffNoticePatch>;

export interface StaffNoticeDto {
  id: string;
  title: string;
  body: string;
  category: NoticeCategory;
  scope: { kind: 'estate' | 'building' | 'units'; ids: string[] };
  buildingId: string | null;
  estateId: string | null;
  validFrom: string | null;
  validTo: string | null;
  publishAt: string;
  /** False while scheduled for later. */
  published: boolean;
  pinned: boolean;
  important: boolean;
  createdAt: string;
  updatedAt: string | null;
  /** How many of the current audience opened it, of how many. */
  readCount: number;
  audienceCount: number;
}

export interface StaffPlacesDto {
  estates: { id: string; name: string; city: string }[];
  buildings: { id: string; estateId: string; street: string; houseNumber: string; city: string }[];
}
