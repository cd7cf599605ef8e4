import { z } from 'zod';
import { entityId } from './ids.ts';
import { ticketPriorities, ticketTypeFormSchema, type TicketTypeForm } from '../ticket-types.ts';

/** Admin console (issue 5 item 8): ticket types, password policy and branding without a code change. */

export interface AdminTicketTypeDto {
  id: string;
  form: unknown;
  /** False when the stored form no longer passes ticketTypeFormSchema (then tenants do not see it). */
  formValid: boolean;
  slaFirstResponseHours: number;
  slaResolutionHours: number;
  defaultPriority: (typeof ticketPriorities)[number];
  routingTeamId: string | null;
  active: boolean;
}

export interface AdminTicketTypesDto {
  ticketTypes: AdminTicketTypeDto[];
  teams: { id: string; name: string }[];
}

const hours = z
  .int()
  .min(1)
  .max(24 * 365);

export const ticketTypeUpdate = z
  .strictObject({
    form: ticketTypeFormSchema.optional(),
    slaFirstResponseHours: hours.optional(),
    slaResolutionHours: hours.optional(),
    defaultPriority: z.enum(ticketPriorities).optional(),
    routingTeamId: z.string().min(1).max(64).nullable().optional(),
    active: z.boolean().optional(),
  })
  // An empty change is a client mistake, not a no-op worth an audit entry.
  .refine((patch) => Object.keys(patch).length > 0, { message: 'validation_empty_patch' });
export type TicketTypeUpdate = z.infer<typeof ticketTypeUpdate> & { form?: TicketTypeForm };

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'hex_colour');
const text = z.string().trim().min(1).max(200);

/** The `branding` setting (server/services/landlord.ts reads name and contact for every PDF). */
export const brandingUpdate = z.strictObject({
  name: text,
  primaryColor: hexColour,
  contactEmail: z.email().max(200),
  contactPhone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ()/-]{5,30}$/, 'phone'),
});
export type BrandingUpdate = z.infer<typeof brandingUpdate>;

export interface BrandingDto extends BrandingUpdate {
  /** Public URL of the uploaded logo (versioned by content), null when none. */
  logoUrl: string | null;
  /** Contrast of white text on the primary colour (WCAG 2.2 SC 1.4.3 needs ≥ 4.5). */
  contrastOnWhiteText: number;
}

/** WCAG 2.x relative luminance of an sRGB hex colour. */
export function relativeLuminance(hex: string): number {
  const channel = (offset: number) => {
    const value = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** Contrast ratio of white text on `hex` (WCAG 2.2 definition: (L1 + 0.05) / (L2 + 0.05)). */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (relativeLuminance(hex) + 0.05);
}

export const minimumTextContrast = 4.5;

/* Teams, scopes and staff accounts (issue 5 item 8). */

const id = entityId;

export const teamInput = z.strictObject({ name: text.max(100) });
export type TeamInput = z.infer<typeof teamInput>;

export const teamMembersInput = z.strictObject({ userIds: z.array(id).max(500) });
export type TeamMembersInput = z.infer<typeof teamMembersInput>;

/** `all` takes no id; `estate` and `building` name one that must exist (checked by the service). */
export const teamScopeInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('estate'), id }),
  z.strictObject({ kind: z.literal('building'), id }),
]);
export const teamScopesInput = z.strictObject({ scopes: z.array(teamScopeInput).max(200) });
export type TeamScopeInput = z.infer<typeof teamScopeInput>;
export type TeamScopesInput = z.infer<typeof teamScopesInput>;

export interface AdminTeamScopeDto {
  kind: 'all' | 'estate' | 'building';
  id?: string;
  /** Estate name or building address, for display. */
  label: string;
}

export interface AdminTeamDto {
  id: string;
  name: string;
  memberIds: string[];
  scopes: AdminTeamScopeDto[];
}

export interface AdminTeamsDto {
  teams: AdminTeamDto[];
  /** What a scope may name: every estate and building. */
  estates: { id: string; label: string }[];
  buildings: { id: string; label: string; estateId: string }[];
}

export const staffRoles = ['staff', 'admin'] as const;
export const staffLanguages = ['de', 'en', 'sv'] as const;

export const staffAccountCreate = z.strictObject({
  firstName: text.max(100),
  lastName: text.max(100),
  email: z.email().max(200),
  role: z.enum(staffRoles),
  language: z.enum(staffLanguages),
  teamIds: z.array(id).max(100).default([]),
});
export type StaffAccountCreate = z.infer<typeof staffAccountCreate>;

export const staffAccountPatch = z.strictObject({
  role: z.enum(staffRoles).optional(),
  teamIds: z.array(id).max(100).optional(),
  active: z.boolean().optional(),
});
export type StaffAccountPatch = z.infer<typeof staffAccountPatch>;

export interface AdminStaffAccountDto {
  id: string;
  name: string;
  email: string;
  role: (typeof staffRoles)[number];
  language: (typeof staffLanguages)[number];
  teamIds: string[];
  active: boolean;
  /** False until the account followed its "set your password" link. */
  passwordSet: boolean;
  lastLoginAt: string | null;
}

/** `GET /api/branding`: public facts only (the login page shows them before anyone signs in). */
export interface PublicBrandingDto {
  name: string;
  primaryColor: string;
  logoUrl: string | null;
  contact: { email: string; phone: string };
}
