import { insertAuditEntry } from '../../db/repositories/audit.ts';
import { findPerson, updatePersonContact, type PersonContactPatch } from '../../db/repositories/persons.ts';
import {
  listNotificationPreferences,
  replaceNotificationPreferences,
} from '../../db/repositories/preferences.ts';
import {
  deletePushSubscriptionOfUser,
  listPushSubscriptionsOfUser,
} from '../../db/repositories/push-subscriptions.ts';
import { findSetting } from '../../db/repositories/settings.ts';
import { unitOfWork } from '../unit-of-work/index.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { forbidden, notFound, unauthorized } from '../lib/http-error.ts';
import { defaultChannelChoice } from '../notify/recipients.ts';
import { queueContactChangeWebhook } from './integration/webhook-events.ts';
import type { RequestMeta } from '../lib/request-meta.ts';
import {
  notificationCategories,
  notificationChannels,
  profileContactFields,
  type NotificationPreferenceMap,
  type NotificationPreferencesResponse,
  type ProfileContactField,
  type ProfileResponse,
  type PushSubscriptionDto,
  type UpdateProfileRequest,
} from '../../shared/api/profile.ts';

/*
 * A `read` household member may change THEIR OWN profile, notification channels and push devices:
 * it is their own person and login, not contract data. `read` (seed 003) only withholds acting on
 * the contract: requests, household changes, contract and bank data. So nothing here checks access.
 */

export type ProfileDeps = Pick<Deps, 'db' | 'now' | 'config' | 'bus'>;

/** Landlord setting; where the ERP masters a field the portal must not overwrite it (seed 002 "stellenweise"). */
export const editableFieldsSettingKey = 'profile.editableFields';
const defaultEditableFields: readonly ProfileContactField[] = ['phone', 'mobile', 'email'];

async function editableFields(db: DbOrTx): Promise<Set<ProfileContactField>> {
  const stored = await findSetting(db, editableFieldsSettingKey);
  if (!Array.isArray(stored)) return new Set(defaultEditableFields);
  return new Set(profileContactFields.filter((field) => stored.includes(field)));
}

export async function getProfile(deps: ProfileDeps, user: SessionUser): Promise<ProfileResponse> {
  const person = await findPerson(deps.db, user.personId);
  if (!person) throw unauthorized();
  const editable = await editableFields(deps.db);
  return {
    person: {
      salutation: person.salutation,
      firstName: person.firstName,
      lastName: person.lastName,
      organisationName: person.organisationName,
      email: person.email,
      phone: person.phone,
      mobile: person.mobile,
      language: person.language,
      customerNumber: person.customerNumber,
    },
    editable: {
      email: editable.has('email'),
      phone: editable.has('phone'),
      mobile: editable.has('mobile'),
    },
  };
}

/**
 * Contact data (seed 002 "Kontaktdaten"). The body is fully validated before this runs, and a
 * locked field refuses the whole request, so either every given field changes or none does.
 */
export async function updateProfile(
  deps: ProfileDeps,
  user: SessionUser,
  input: UpdateProfileRequest,
  meta: RequestMeta,
): Promise<ProfileResponse> {
  const editable = await editableFields(deps.db);
  const patch: PersonContactPatch = {};
  for (const field of profileContactFields) {
    const value = input[field];
    if (value === undefined) continue;
    if (!editable.has(field))
      throw forbidden(
        'field_locked',
        `The ${field} is kept by the landlord's system and cannot be changed here.`,
      );
    patch[field] = value === '' || value === null ? null : field === 'email' ? value.toLowerCase() : value;
  }
  const fields = Object.keys(patch);
  if (fields.length > 0) {
    const now = deps.now();
    await unitOfWork(deps, async ({ tx }) => {
      const person = await findPerson(tx, user.personId);
      await updatePersonContact(tx, user.personId, patch, now);
      // The ERP masters contact data (issue 14 item 5): it hears what changed, to apply it there.
      if (person) await queueContactChangeWebhook(tx, person, patch, now);
      await insertAuditEntry(tx, {
        actorUserId: user.id,
        action: 'person.contact_updated',
        entityType: 'person',
        entityId: user.personId,
        // Which fields, not their values: the audit log is not a second copy of personal data.
        data: { fields },
        ipAddress: meta.ip,
        createdAt: now,
      });
    });
  }
  return await getProfile(deps, user);
}

/** Seed 003 "Informationskanäle" as the outbox applies them when nothing is stored. */
function defaultPreferences(): NotificationPreferenceMap {
  const map = {} as NotificationPreferenceMap;
  for (const category of notificationCategories) {
    map[category] = {
      email: defaultChannelChoice(category, 'email'),
      push: defaultChannelChoice(category, 'push'),
      sms: defaultChannelChoice(category, 'sms'),
      post: defaultChannelChoice(category, 'post'),
    };
  }
  return map;
}

export async function getNotificationPreferences(
  deps: ProfileDeps,
  user: SessionUser,
): Promise<NotificationPreferencesResponse> {
  const preferences = defaultPreferences();
  for (const row of await listNotificationPreferences(deps.db, user.id)) {
    // `account` mails (password, e-mail change) are always sent and not offered as a choice;
    // `staff_alerts` are the service desk's emergencies, not a tenant's to choose.
    if (row.category === 'account' || row.category === 'staff_alerts') continue;
    preferences[row.category][row.channel] = row.enabled;
  }
  return { categories: notificationCategories, channels: notificationChannels, preferences };
}

export async function putNotificationPreferences(
  deps: ProfileDeps,
  user: SessionUser,
  preferences: NotificationPreferenceMap,
): Promise<NotificationPreferencesResponse> {
  const rows = notificationCategories.flatMap((category) =>
    notificationChannels.map((channel) => ({ category, channel, enabled: preferences[category][channel] })),
  );
  await unitOfWork(deps, async ({ tx }) => await replaceNotificationPreferences(tx, user.id, rows));
  return await getNotificationPreferences(deps, user);
}

export async function listPushSubscriptions(
  deps: ProfileDeps,
  user: SessionUser,
): Promise<PushSubscriptionDto[]> {
  return (await listPushSubscriptionsOfUser(deps.db, user.id)).map((row) => ({
    id: row.id,
    userAgent: row.userAgent,
    createdAt: row.createdAt.toISOString(),
  }));
}

/** Another user's device id answers like a missing one. */
export async function deletePushSubscription(
  deps: ProfileDeps,
  user: SessionUser,
  subscriptionId: string,
): Promise<number> {
  const deleted = await deletePushSubscriptionOfUser(deps.db, user.id, subscriptionId);
  if (deleted === 0) throw notFound();
  return deleted;
}
