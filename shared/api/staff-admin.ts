import { z } from 'zod';
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

export const ticketTypeUpdate = z.strictObject({
  form: ticketTypeFormSchema.optional(),
  slaFirstResponseHours: hours.optional(),
  slaResolutionHours: hours.optional(),
  defaultPriority: z.enum(ticketPriorities).optional(),
  routingTeamId: z.string().min(1).max(64).nullable().optional(),
  active: z.boolean().optional(),
});
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
