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
  acceptElectronicDelivery: z.literal(true),
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

export type LoginRequest = z.infer<typeof loginRequest>;
export type RegisterRequest = z.infer<typeof registerRequest>;
export type ChangeEmailRequest = z.infer<typeof changeEmailRequest>;

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
}

/** Password policy as the client may show it; the server enforces it. */
export interface PasswordPolicyDto {
  minLength: number;
  maxLength: number;
  minLowercase: number;
  minUppercase: number;
  minDigits: number;
  minSymbols: number;
}
