import { z } from 'zod';

export type HouseholdRole = 'main_tenant' | 'co_tenant' | 'household_member' | 'guarantor';
export const householdAccessLevels = ['full', 'read'] as const;
export type HouseholdAccess = (typeof householdAccessLevels)[number];

export interface HouseholdMemberDto {
  personId: string;
  name: string;
  role: HouseholdRole;
  access: HouseholdAccess;
  /** Has a registered login (seed 003: every adult of the household has an own login). */
  hasLogin: boolean;
  isMe: boolean;
  /**
   * The main tenant asked for this member's removal and staff have not decided yet (the landlord
   * requires approval): shown as "removal requested".
   */
  removalRequested: boolean;
}

/**
 * An invitation not yet used, withdrawn or expired. Only the main tenant sees them: they carry the
 * invitee's e-mail address, and the invitee is not on the contract yet.
 */
export interface HouseholdInvitationDto {
  id: string;
  name: string;
  email: string;
  access: HouseholdAccess;
  createdAt: string;
  expiresAt: string;
}

/** `GET /api/contracts/:id/household`. `invitations` is empty for everyone but the main tenant. */
export interface HouseholdResponse {
  members: HouseholdMemberDto[];
  invitations: HouseholdInvitationDto[];
  /** The landlord requires staff approval before a member is removed (see `HouseholdRemovalResult`). */
  removalNeedsApproval: boolean;
}

/**
 * `DELETE /api/contracts/:id/household/:personId` where the landlord requires approval: 202 with
 * the contract-change request staff approve (the member keeps access until then); asking again
 * answers with the same request. Without approval: 204, removed at once.
 */
export interface HouseholdRemovalResult {
  removed: boolean;
  request: { id: string; number: string } | null;
}

/** `GET`/`PUT /api/staff/admin/household` (admin): the landlord's household rule. */
export const householdSettings = z.strictObject({ removalNeedsApproval: z.boolean() });
export type HouseholdSettings = z.infer<typeof householdSettings>;

/**
 * A person's first or last name as it goes into mails and onto the contract: letters of any script
 * (with their combining marks), single spaces, hyphens, apostrophes and dots between them, an
 * optional leading apostrophe ("’t Hart") and trailing dot ("J."). Everything else — digits,
 * control characters and CR/LF, `<>`, `@`, `:` and `/` — cannot be part of a name, so a "name" can
 * carry no link, header or markup into the invitation mail. The pattern has no ambiguous
 * repetition (letter runs alternate with one separator), so it runs in linear time.
 */
const nameShape = /^['’]?[\p{L}\p{M}]+(?:(?:[ '’-]|\. ?)[\p{L}\p{M}]+)*\.?$/u;
/** "evil.example", "www.evil.example": a dot between two words of two or more letters is a host. */
const hostLike = /[\p{L}\p{M}]{2}\.[\p{L}\p{M}]{2}/u;

export const personName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((value) => nameShape.test(value) && !hostLike.test(value), 'name_invalid');

/** `POST /api/contracts/:id/household/invitations` — main tenant only (403 `not_main_tenant`). */
export const householdInvitationRequest = z.strictObject({
  firstName: personName,
  lastName: personName,
  email: z.string().trim().max(254).pipe(z.email('email_invalid')),
  access: z.enum(householdAccessLevels),
});
export type HouseholdInvitationRequest = z.infer<typeof householdInvitationRequest>;

/**
 * 201 with the pending invitation, the same whether or not the address already has a login (the
 * answer must not tell). 429 `too_many_requests` with Retry-After past the daily allowance per
 * contract.
 */
export interface HouseholdInvitationResponse {
  invitation: HouseholdInvitationDto;
}

/**
 * `DELETE /api/contracts/:id/household/invitations/:invitationId` — main tenant only; 204, the code
 * stops working at once. `DELETE /api/contracts/:id/household/:personId` — main tenant only; 204,
 * a household member's access to the contract ends at once (403 `cannot_remove_member` for
 * oneself and for parties who signed the contract: main tenant, co-tenants, guarantors).
 */

/** `PATCH /api/contracts/:id/household/:personId` — main tenant only, not on themselves. */
export const updateHouseholdAccessRequest = z.strictObject({ access: z.enum(householdAccessLevels) });
export type UpdateHouseholdAccessRequest = z.infer<typeof updateHouseholdAccessRequest>;

/** 200 with the updated member. */
export interface HouseholdMemberResponse {
  member: HouseholdMemberDto;
}

/** Codes besides the generic ones (`not_found`, `validation_failed`, `forbidden`). */
export const householdErrorCodes = [
  'not_main_tenant',
  'cannot_change_own_access',
  'cannot_remove_member',
] as const;
