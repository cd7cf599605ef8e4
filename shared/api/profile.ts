import { z } from 'zod';
import type { Locale } from './auth.ts';

/** Contact fields a customer may edit where the landlord allows it (seed 002, seed 003 "Kontaktdaten"). */
export const profileContactFields = ['email', 'phone', 'mobile'] as const;
export type ProfileContactField = (typeof profileContactFields)[number];

/**
 * Phone numbers as people type them: spaces, dashes, dots, slashes and parentheses are dropped,
 * what remains must be 6–20 digits with an optional leading + (E.164 allows 15 digits; national
 * formats with a trunk 0 and extensions need a few more).
 */
export const phoneNumberSchema = z
  .string()
  .trim()
  .max(40)
  .transform((value) => value.replace(/[\s\-./()]/g, ''))
  .pipe(z.string().regex(/^\+?\d{6,20}$/, 'phone_invalid'));

/** `null` or '' clears a number; the e-mail is the contact address (persons.email), not the login. */
export const updateProfileRequest = z.strictObject({
  email: z
    .union([z.literal(''), z.string().trim().max(254).pipe(z.email('email_invalid'))])
    .nullable()
    .optional(),
  phone: z
    .union([z.literal(''), phoneNumberSchema])
    .nullable()
    .optional(),
  mobile: z
    .union([z.literal(''), phoneNumberSchema])
    .nullable()
    .optional(),
});
export type UpdateProfileRequest = z.infer<typeof updateProfileRequest>;

export interface PersonProfileDto {
  salutation: string | null;
  firstName: string | null;
  lastName: string | null;
  organisationName: string | null;
  /** Contact e-mail (letters, notifications); the login e-mail is `/api/me`. */
  email: string | null;
  phone: string | null;
  mobile: string | null;
  language: Locale;
  customerNumber: string | null;
}

/** `GET /api/profile` and `PATCH /api/profile` (200). */
export interface ProfileResponse {
  person: PersonProfileDto;
  /** False where the ERP masters the field: PATCHing it answers 403 `field_locked`. */
  editable: Record<ProfileContactField, boolean>;
}

export const notificationCategories = ['documents', 'ticket_replies', 'notices', 'incidents'] as const;
export type NotificationCategory = (typeof notificationCategories)[number];
export const notificationChannels = ['email', 'push', 'sms', 'post'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

export type NotificationPreferenceMap = Record<NotificationCategory, Record<NotificationChannel, boolean>>;

const channelMap = z.strictObject({
  email: z.boolean(),
  push: z.boolean(),
  sms: z.boolean(),
  post: z.boolean(),
});

/**
 * `PUT /api/settings/notifications` — the complete map (seed 003 "Informationskanäle"). The GET
 * answer may be sent back as is: `categories` and `channels` are accepted and ignored.
 */
export const putNotificationPreferencesRequest = z.strictObject({
  categories: z.array(z.string()).max(20).optional(),
  channels: z.array(z.string()).max(20).optional(),
  preferences: z.strictObject({
    documents: channelMap,
    ticket_replies: channelMap,
    notices: channelMap,
    incidents: channelMap,
  }),
});
export type PutNotificationPreferencesRequest = z.infer<typeof putNotificationPreferencesRequest>;

/** `GET` and `PUT /api/settings/notifications` (200). */
export interface NotificationPreferencesResponse {
  categories: readonly NotificationCategory[];
  channels: readonly NotificationChannel[];
  preferences: NotificationPreferenceMap;
}

/** `POST /api/unsubscribe/:token` (RFC 8058 one-click, 200): that category's e-mail is now off. */
export interface UnsubscribeResponse {
  unsubscribed: { category: NotificationCategory; channel: 'email' };
}

export interface PushSubscriptionDto {
  id: string;
  userAgent: string | null;
  createdAt: string;
}

/** `GET /api/push/subscriptions` — the user's devices, newest first. */
export interface PushSubscriptionListResponse {
  subscriptions: PushSubscriptionDto[];
}

/** `DELETE /api/push/subscriptions[/:id]` (200). */
export interface PushSubscriptionsDeletedResponse {
  deleted: number;
}
