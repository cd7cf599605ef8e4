import { z } from 'zod';
import { localeSchema, type UserDto } from './auth.ts';

/**
 * Sign-up without a letter (seed 004): the organisation number (commercial tenants) or the
 * customer number (private tenants), a login e-mail and a password, then a one-time code to the
 * e-mail address or mobile number the landlord already holds.
 */
export const numberKinds = ['organisation', 'customer'] as const;
export type NumberKind = (typeof numberKinds)[number];

const email = z.string().trim().max(254).pipe(z.email());
/** The handle `POST …/by-number` answers with: public id + secret, like a mailed token. */
const signupId = z.string().min(10).max(200);

export const numberSignupStartRequest = z.strictObject({
  kind: z.enum(numberKinds),
  /** "556123-4567", "20060001": spaces and dashes are ignored. */
  number: z
    .string()
    .trim()
    .min(4)
    .max(32)
    .regex(/^[0-9A-Za-z\s-]+$/),
  email,
  password: z.string().min(1).max(128),
  acceptPrivacy: z.literal(true),
  acceptTerms: z.literal(true),
  /** A choice, as in the registration with a letter: `false` keeps documents on paper. */
  acceptElectronicDelivery: z.boolean(),
  language: localeSchema.optional(),
});
export type NumberSignupStartRequest = z.infer<typeof numberSignupStartRequest>;

export const signupChannelKinds = ['email', 'sms'] as const;
export type SignupChannelKind = (typeof signupChannelKinds)[number];

/** A contact the landlord holds, shown masked: "e•••@o•••.example", "+46 •• ••• •• 12". */
export interface SignupChannelDto {
  id: SignupChannelKind;
  kind: SignupChannelKind;
  masked: string;
}

/** `POST /api/auth/register/by-number` → 200. */
export interface NumberSignupStartResponse {
  signupId: string;
  channels: SignupChannelDto[];
  expiresAt: string;
}

export const numberSignupSendRequest = z.strictObject({
  signupId,
  channel: z.enum(signupChannelKinds),
});

/** `POST /api/auth/register/by-number/send` → 202. */
export interface NumberSignupSendResponse {
  status: 'code_sent';
  channel: SignupChannelKind;
  codeExpiresAt: string;
}

export const numberSignupConfirmRequest = z.strictObject({
  signupId,
  code: z
    .string()
    .trim()
    .regex(/^[0-9\s]{6,8}$/),
});

/**
 * `POST /api/auth/register/by-number/confirm` → 201. `registered`: the code went to the login
 * address itself, the login works and a session is set (next: complete your details).
 * `verification_sent`: the login address still has to be confirmed with the link mailed to it.
 */
export type NumberSignupConfirmResponse =
  { status: 'registered'; user: UserDto } | { status: 'verification_sent'; email: string };

/** The error codes of these routes besides the generic ones. */
export const numberSignupErrorCodes = [
  'number_not_verifiable',
  'signup_not_found',
  'signup_expired',
  'invalid_code',
  'code_expired',
  'code_not_sent',
  'email_taken',
  'already_registered',
  'registration_pending',
] as const;
