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
  /** Newest open invitation, ISO 8601; absent when none is pending. */
  invitedAt?: string;
  isMe: boolean;
}

/** `GET /api/contracts/:id/household`. */
export interface HouseholdResponse {
  members: HouseholdMemberDto[];
}

/** `POST /api/contracts/:id/household/invitations` — main tenant only (403 `not_main_tenant`). */
export const householdInvitationRequest = z.strictObject({
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  email: z.string().trim().max(254).pipe(z.email('email_invalid')),
  access: z.enum(householdAccessLevels),
});
export type HouseholdInvitationRequest = z.infer<typeof householdInvitationRequest>;

/** 201: the new member (no login yet) and when the code expires. */
export interface HouseholdInvitationResponse {
  member: HouseholdMemberDto;
  expiresAt: string;
}

/** `PATCH /api/contracts/:id/household/:personId` — main tenant only, not on themselves. */
export const updateHouseholdAccessRequest = z.strictObject({ access: z.enum(householdAccessLevels) });
export type UpdateHouseholdAccessRequest = z.infer<typeof updateHouseholdAccessRequest>;

/** 200 with the updated member. */
export interface HouseholdMemberResponse {
  member: HouseholdMemberDto;
}

/** Codes besides the generic ones (`not_found`, `validation_failed`, `forbidden`). */
export const householdErrorCodes = ['not_main_tenant', 'cannot_change_own_access', 'email_taken'] as const;
