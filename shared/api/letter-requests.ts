import { z } from 'zod';
import { localeSchema } from './auth.ts';

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => value || undefined)
    .optional();

/**
 * `POST /api/registration-letter-requests` (public, seed 002 "Sollten Sie noch kein Anschreiben
 * bekommen haben, können Sie dieses hier anfordern"): who asks, where they live, how to reach them.
 * At least one of e-mail and phone.
 */
export const letterRequestRequest = z
  .strictObject({
    name: z.string().trim().min(2).max(120),
    address: z.string().trim().min(3).max(200),
    unit: optionalText(40),
    customerNumber: optionalText(32),
    email: z
      .string()
      .trim()
      .max(254)
      .transform((value) => value || undefined)
      .pipe(z.email().optional())
      .optional(),
    phone: z
      .string()
      .trim()
      .max(40)
      .regex(/^[0-9+()\s/-]*$/)
      .transform((value) => value || undefined)
      .optional(),
    message: optionalText(1000),
    language: localeSchema.optional(),
  })
  .refine((body) => Boolean(body.email || body.phone), { message: 'contact_required', path: ['email'] });
export type LetterRequestRequest = z.infer<typeof letterRequestRequest>;

/** Always the same answer: it does not say whether the details match a tenant. */
export interface LetterRequestResponse {
  status: 'received';
}

/** One request as staff see it in the console (Tenants page). */
export interface LetterRequestDto {
  id: string;
  name: string;
  address: string;
  unit: string | null;
  customerNumber: string | null;
  email: string | null;
  phone: string | null;
  message: string | null;
  language: 'de' | 'en' | 'sv';
  status: 'open' | 'done';
  createdAt: string;
  handledAt: string | null;
}

export const letterRequestListQuery = z.strictObject({
  status: z.enum(['open', 'done']).default('open'),
});

/** `GET /api/staff/letter-requests?status=open|done`. */
export interface LetterRequestListResponse {
  requests: LetterRequestDto[];
}
