import { z } from 'zod';

export const locales = ['de', 'en', 'sv'] as const;
export type Locale = (typeof locales)[number];
export const localeSchema = z.enum(locales);

const email = z.string().trim().max(254).pipe(z.email());
/** Upper bound only; the configurable policy (server) judges the rest. 128 per NIST 800-63B rev. 4 minimum. */
const password = z.string().min(1).max(128);
const token = z.string().min(10).max(200);

export const loginRequest = z.strictObject({
  /** E-mail or customer/member number (seeds 000, 001). */
  login: z.string().trim().min(1).max(254),
  password,
});

export const registerRequest = z.strictObject({
  code: z.string().trim().min(4).max(64),
  email,
  password,
  acceptPrivacy: z.literal(true),
  acceptTerms: z.literal(true),
  /**
   * A choice, not a condition: `false` keeps documents on paper (by post), and the registration
   * records that as the person's delivery channel.
   */
  acceptElectronicDelivery: z.boolean(),
  language: localeSchema.optional(),
});

export const verifyRequest = z.strictObject({ token });
export const forgotPasswordRequest = z.strictObject({ email });
export const resetPasswordRequest = z.strictObject({ token, password });
export const changePasswordRequest = z.strictObject({ current: password, next: password });
export const changeEmailRequest = z
  .strictObject({ email, emailRepeat: email, password })
  .refine((v) => v.email.toLowerCase() === v.emailRepeat.toLowerCase(), {
    path: ['emailRepeat'],
    message: 'emails_differ',
  });
export const confirmEmailRequest = z.strictObject({ token });
/** Contact data joins in a later issue; for now the language of the portal and of every mail. */
export const updateMeRequest = z.strictObject({ language: localeSchema.optional() });

export type LoginRequest = z.infer<typeof loginRequest>;
export type RegisterRequest = z.infer<typeof registerRequest>;
export type ChangeEmailRequest = z.infer<typeof changeEmailRequest>;
export type UpdateMeRequest = z.infer<typeof updateMeRequest>;

/** Why the server refused a password: `error.fields.password` (or `.next`) of a 400 `validation_failed`. */
export const passwordViolations = [
  'password_too_short',
  'password_too_long',
  'password_common',
  'password_personal',
  'password_needs_lowercase',
  'password_needs_uppercase',
  'password_needs_digits',
  'password_needs_symbols',
] as const;
export type PasswordViolation = (typeof passwordViolations)[number];

/** Every `error.code` the auth and account routes answer with (besides the generic ones). */
export const authErrorCodes = [
  'validation_failed',
  'invalid_json',
  'unsupported_media_type',
  'payload_too_large',
  'origin_mismatch',
  'unauthenticated',
  'forbidden',
  'invalid_credentials',
  'email_not_verified',
  'account_disabled',
  'too_many_requests',
  'invalid_code',
  'code_used',
  'already_registered',
  'registration_pending',
  'email_taken',
  'email_unchanged',
  'invalid_token',
  'current_password_wrong',
] as const;
export type AuthErrorCode = (typeof authErrorCodes)[number];

/** Bodies of the auth answers that carry no user. */
export interface StatusResponse<S extends string> {
  status: S;
}
export type RegisterResponse = StatusResponse<'verification_sent'>;
export type VerifyResponse = StatusResponse<'verified'>;
export type ForgotPasswordResponse = StatusResponse<'accepted'>;
export type ResetPasswordResponse = StatusResponse<'password_reset'>;
export type ChangePasswordResponse = StatusResponse<'password_changed'>;
export type ChangeEmailResponse = StatusResponse<'confirmation_sent'>;
export type ConfirmEmailResponse = StatusResponse<'email_changed'>;
/** `DELETE /api/me/email`: idempotent, so "nothing was pending" is a success that says so. */
export type CancelEmailChangeResponse = StatusResponse<'cancelled' | 'nothing_pending'>;

/** A login e-mail change awaiting confirmation from the new address. */
export interface PendingEmailChangeDto {
  /** The new address the confirmation link went to. */
  email: string;
  requestedAt: string;
  /** The confirmation link stops working then; the change ends by itself. */
  expiresAt: string;
}
/** `GET /api/me/email`. */
export interface PendingEmailChangeResponse {
  pending: PendingEmailChangeDto | null;
}

export type UserRole = 'customer' | 'staff' | 'admin';

/** The signed-in user as the client sees it (`GET /api/me`, `POST /api/auth/login`). */
export interface UserDto {
  id: string;
  role: UserRole;
  loginEmail: string;
  customerNumber: string | null;
  displayName: string;
  language: Locale;
  /** The visit before this one (seed 000: "Ihr letzter Besuch war am …"). */
  lastVisitAt: string | null;
  /** Pending login e-mail change awaiting confirmation (seed 002). */
  pendingEmail: string | null;
  /**
   * A customer who may only read: every contract of theirs has `read` access and they own no unit
   * (a household member the main tenant gave read rights). The app offers them no request forms.
   */
  readOnly: boolean;
}

/** Password policy as the client may show it; the server enforces it. */
export interface PasswordPolicyDto {
  minLength: number;
  maxLength: number;
  minLowercase: number;
  minUppercase: number;
  minDigits: number;
  minSymbols: number;
  /** null: no whole part of name or e-mail; n: no run of n + 1 characters from name or e-mail. */
  maxPersonalRun: number | null;
  blocksCommonPasswords: boolean;
}
