import { and, eq, getTableColumns, gt, inArray, isNull, lte, or, sql, type AnyColumn } from 'drizzle-orm';
import { inJsonArray } from '../prepared.ts';
import type { DbOrTx } from '../transaction.ts';
import { notificationPreferences, notifications, pushSubscriptions } from '../schema/notifications.ts';
import { users } from '../schema/accounts.ts';
import { persons, ownerships } from '../schema/people.ts';
import { contractParties, contractUnits } from '../schema/contracts.ts';
import { buildings, units } from '../schema/estates.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationInsert = typeof notifications.$inferInsert;
export type NotificationPreferenceRow = typeof notificationPreferences.$inferSelect;
/** A claimed row plus SQLite's rowid: insertion order, even within one millisecond. */
export type ClaimedNotification = NotificationRow & { seq: number };

export async function insertNotifications(
  db: DbOrTx,
  rows: NotificationInsert[],
): Promise<NotificationRow[]> {
  if (rows.length === 0) return [];
  return db.insert(notifications).values(rows).returning().all();
}

export async function findNotification(db: DbOrTx, id: string): Promise<NotificationRow | undefined> {
  return db.select().from(notifications).where(eq(notifications.id, id)).get();
}

export async function listNotificationsOfUser(db: DbOrTx, userId: string): Promise<NotificationRow[]> {
  return db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(notifications.createdAt)
    .all();
}

/** The users among `userIds` who got (or will get) a push of `category` since `since`: the hourly throttle. */
export async function listUsersPushedSince(
  db: DbOrTx,
  userIds: string[],
  category: NotificationRow['category'],
  since: Date,
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = db
    .selectDistinct({ userId: notifications.userId })
    .from(notifications)
    .where(
      and(
        inArray(notifications.userId, userIds),
        eq(notifications.channel, 'push'),
        eq(notifications.category, category),
        gt(notifications.createdAt, since),
      ),
    )
    .all();
  return new Set(rows.map((row) => row.userId!));
}

/**
 * Claims due rows in ONE statement: pending rows whose time has come, and `sending` rows whose
 * lease ran out (the worker died between claim and mark). `nextAttemptAt` doubles as the lease
 * end while a row is `sending`, so a crashed claim becomes due again by itself.
 */
export async function claimDueNotifications(
  db: DbOrTx,
  now: Date,
  leaseUntil: Date,
  limit: number,
): Promise<ClaimedNotification[]> {
  const due = db
    .select({ id: notifications.id })
    .from(notifications)
    .where(
      and(
        or(eq(notifications.status, 'pending'), eq(notifications.status, 'sending')),
        lte(notifications.nextAttemptAt, now),
      ),
    )
    .orderBy(notifications.nextAttemptAt)
    .limit(limit);
  return db
    .update(notifications)
    .set({
      status: 'sending',
      attempts: sql`${notifications.attempts} + 1`,
      nextAttemptAt: leaseUntil,
    })
    .where(inArray(notifications.id, due))
    .returning({ ...getTableColumns(notifications), seq: sql<number>`rowid` })
    .all();
}

/** Only the claim that sent it may mark it: a stale worker whose lease ran out changes nothing. */
const ownClaim = (row: Pick<NotificationRow, 'id' | 'attempts'>) =>
  and(
    eq(notifications.id, row.id),
    eq(notifications.status, 'sending'),
    eq(notifications.attempts, row.attempts),
  );

export async function markNotificationSent(
  db: DbOrTx,
  row: Pick<NotificationRow, 'id' | 'attempts'>,
  sentAt: Date,
  scrubbedData?: Record<string, unknown>,
): Promise<void> {
  db.update(notifications)
    .set({ status: 'sent', sentAt, lastError: null, ...(scrubbedData && { data: scrubbedData }) })
    .where(ownClaim(row))
    .run();
}

export async function markNotificationFailed(
  db: DbOrTx,
  row: Pick<NotificationRow, 'id' | 'attempts'>,
  error: string,
  nextAttemptAt: Date | null,
): Promise<void> {
  db.update(notifications)
    .set(
      nextAttemptAt
        ? { status: 'pending', lastError: error, nextAttemptAt }
        : { status: 'dead', lastError: error },
    )
    .where(ownClaim(row))
    .run();
}

export interface RecipientRow {
  userId: string;
  language: 'de' | 'en' | 'sv';
  loginEmail: string;
  emailVerified: boolean;
  role: 'customer' | 'staff' | 'admin';
  firstName: string | null;
  lastName: string | null;
  organisationName: string | null;
  mobile: string | null;
  phone: string | null;
}

/** The enabled logins among `userIds`, with what every channel needs: one query. */
export async function listRecipients(db: DbOrTx, userIds: string[]): Promise<RecipientRow[]> {
  if (userIds.length === 0) return [];
  return db
    .select({
      userId: users.id,
      language: users.language,
      loginEmail: users.loginEmail,
      emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null`.mapWith(Boolean),
      role: users.role,
      firstName: persons.firstName,
      lastName: persons.lastName,
      organisationName: persons.organisationName,
      mobile: persons.mobile,
      phone: persons.phone,
    })
    .from(users)
    .innerJoin(persons, eq(persons.id, users.personId))
    .where(and(inArray(users.id, userIds), isNull(users.disabledAt)))
    .all();
}

export async function listPreferencesOfUsers(
  db: DbOrTx,
  userIds: string[],
): Promise<NotificationPreferenceRow[]> {
  if (userIds.length === 0) return [];
  return db
    .select()
    .from(notificationPreferences)
    .where(inArray(notificationPreferences.userId, userIds))
    .all();
}

export async function listUsersWithPushSubscription(db: DbOrTx, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = db
    .selectDistinct({ userId: pushSubscriptions.userId })
    .from(pushSubscriptions)
    .where(inArray(pushSubscriptions.userId, userIds))
    .all();
  return new Set(rows.map((row) => row.userId));
}

const current = (until: AnyColumn, today: string) => or(isNull(until), sql`${until} >= ${today}`);

/** The logins of everyone currently party to the contracts (tenant, co-tenant, household). */
export async function listUserIdsOfContracts(
  db: DbOrTx,
  contractIds: string[],
  today: string,
): Promise<string[]> {
  if (contractIds.length === 0) return [];
  return db
    .selectDistinct({ userId: users.id })
    .from(contractParties)
    .innerJoin(users, eq(users.personId, contractParties.personId))
    .where(
      and(
        inArray(contractParties.contractId, contractIds),
        current(contractParties.until, today),
        sql`${contractParties.role} <> 'guarantor'`,
      ),
    )
    .all()
    .map((row) => row.userId);
}

export interface PlaceFilter {
  buildingIds?: string[];
  estateIds?: string[];
  unitIds?: string[];
}

function placeCondition(filter: PlaceFilter) {
  const parts = [
    filter.buildingIds?.length ? inArray(units.buildingId, filter.buildingIds) : undefined,
    filter.estateIds?.length ? inArray(buildings.estateId, filter.estateIds) : undefined,
    filter.unitIds?.length ? inArray(units.id, filter.unitIds) : undefined,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? or(...parts) : sql`0`;
}

/**
 * Everyone whose current contracts or ownerships lie in the places (notices, incidents, building
 * documents): two queries, whatever the audience size.
 */
export async function listUserIdsInPlaces(
  db: DbOrTx,
  filter: PlaceFilter,
  today: string,
  audience: 'all' | 'tenants' | 'owners' = 'all',
): Promise<string[]> {
  const ids = new Set<string>();
  if (audience !== 'owners') {
    for (const row of db
      .selectDistinct({ userId: users.id })
      .from(contractParties)
      .innerJoin(users, eq(users.personId, contractParties.personId))
      .innerJoin(contractUnits, eq(contractUnits.contractId, contractParties.contractId))
      .innerJoin(units, eq(units.id, contractUnits.unitId))
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .where(
        and(
          placeCondition(filter),
          current(contractParties.until, today),
          sql`${contractParties.role} <> 'guarantor'`,
        ),
      )
      .all())
      ids.add(row.userId);
  }
  if (audience !== 'tenants') {
    for (const row of db
      .selectDistinct({ userId: users.id })
      .from(ownerships)
      .innerJoin(users, eq(users.personId, ownerships.personId))
      .innerJoin(units, eq(units.id, ownerships.unitId))
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .where(and(placeCondition(filter), current(ownerships.until, today)))
      .all())
      ids.add(row.userId);
  }
  return [...ids];
}

/** The user of a person (document addressed to a person). */
export async function listUserIdsOfPersons(db: DbOrTx, personIds: readonly string[]): Promise<string[]> {
  if (personIds.length === 0) return [];
  return db
    .select({ userId: users.id })
    .from(users)
    .where(inJsonArray(users.personId, personIds))
    .all()
    .map((row) => row.userId);
}
