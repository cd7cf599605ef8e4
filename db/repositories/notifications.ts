import { and, eq, getTableColumns, gt, inArray, isNull, lte, or, sql, type AnyColumn } from 'drizzle-orm';
import { first, inIdArray, isPostgres, lockedSkippingLocked, type Tables, tablesOf } from '../dialect.ts';
import type { DbOrTx } from '../transaction.ts';
import type { notificationPreferences, notifications } from '../schema/notifications.ts';

export type NotificationRow = typeof notifications.$inferSelect;
export type NotificationInsert = typeof notifications.$inferInsert;
export type NotificationPreferenceRow = typeof notificationPreferences.$inferSelect;
/**
 * A claimed row plus SQLite's rowid: insertion order, even within one millisecond. PostgreSQL rows
 * have no such order: there it is 0, and the id orders rows of one millisecond.
 */
export type ClaimedNotification = NotificationRow & { seq: number };

export async function insertNotifications(
  db: DbOrTx,
  rows: NotificationInsert[],
): Promise<NotificationRow[]> {
  if (rows.length === 0) return [];
  const { notifications } = tablesOf(db);
  return await db.insert(notifications).values(rows).returning();
}

export async function findNotification(db: DbOrTx, id: string): Promise<NotificationRow | undefined> {
  const { notifications } = tablesOf(db);
  return await first(db.select().from(notifications).where(eq(notifications.id, id)));
}

export async function listNotificationsOfUser(db: DbOrTx, userId: string): Promise<NotificationRow[]> {
  const { notifications } = tablesOf(db);
  return await db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(notifications.createdAt);
}

/** The users among `userIds` who got (or will get) a push of `category` since `since`: the hourly throttle. */
export async function listUsersPushedSince(
  db: DbOrTx,
  userIds: string[],
  category: NotificationRow['category'],
  since: Date,
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const { notifications } = tablesOf(db);
  const rows = await db
    .selectDistinct({ userId: notifications.userId })
    .from(notifications)
    .where(
      and(
        inArray(notifications.userId, userIds),
        eq(notifications.channel, 'push'),
        eq(notifications.category, category),
        gt(notifications.createdAt, since),
      ),
    );
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
  const { notifications } = tablesOf(db);
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
  // PostgreSQL: the due rows are locked as they are chosen, and a row another worker is claiming is
  // skipped, so two instances never claim the same row (a row it claimed just before no longer
  // qualifies when read again). Each claim takes the earliest due rows not taken already.
  return await db
    .update(notifications)
    .set({
      status: 'sending',
      attempts: sql`${notifications.attempts} + 1`,
      nextAttemptAt: leaseUntil,
    })
    .where(inArray(notifications.id, lockedSkippingLocked(db, due)))
    .returning({
      ...getTableColumns(notifications),
      seq: isPostgres(db) ? sql<number>`0`.mapWith(Number) : sql<number>`rowid`,
    });
}

/** Only the claim that sent it may mark it: a stale worker whose lease ran out changes nothing. */
const ownClaim = ({ notifications }: Tables, row: Pick<NotificationRow, 'id' | 'attempts'>) =>
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
  const tables = tablesOf(db);
  await db
    .update(tables.notifications)
    .set({ status: 'sent', sentAt, lastError: null, ...(scrubbedData && { data: scrubbedData }) })
    .where(ownClaim(tables, row));
}

export async function markNotificationFailed(
  db: DbOrTx,
  row: Pick<NotificationRow, 'id' | 'attempts'>,
  error: string,
  nextAttemptAt: Date | null,
): Promise<void> {
  const tables = tablesOf(db);
  await db
    .update(tables.notifications)
    .set(
      nextAttemptAt
        ? { status: 'pending', lastError: error, nextAttemptAt }
        : { status: 'dead', lastError: error },
    )
    .where(ownClaim(tables, row));
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
  const { persons, users } = tablesOf(db);
  return await db
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
    .where(and(inArray(users.id, userIds), isNull(users.disabledAt)));
}

export async function listPreferencesOfUsers(
  db: DbOrTx,
  userIds: string[],
): Promise<NotificationPreferenceRow[]> {
  if (userIds.length === 0) return [];
  const { notificationPreferences } = tablesOf(db);
  return await db
    .select()
    .from(notificationPreferences)
    .where(inArray(notificationPreferences.userId, userIds));
}

export async function listUsersWithPushSubscription(db: DbOrTx, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const { pushSubscriptions } = tablesOf(db);
  const rows = await db
    .selectDistinct({ userId: pushSubscriptions.userId })
    .from(pushSubscriptions)
    .where(inArray(pushSubscriptions.userId, userIds));
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
  const { contractParties, users } = tablesOf(db);
  const rows = await db
    .selectDistinct({ userId: users.id })
    .from(contractParties)
    .innerJoin(users, eq(users.personId, contractParties.personId))
    .where(
      and(
        inArray(contractParties.contractId, contractIds),
        current(contractParties.until, today),
        sql`${contractParties.role} <> 'guarantor'`,
      ),
    );
  return rows.map((row) => row.userId);
}

export interface PlaceFilter {
  buildingIds?: string[];
  estateIds?: string[];
  unitIds?: string[];
}

function placeCondition({ buildings, units }: Tables, filter: PlaceFilter) {
  const parts = [
    filter.buildingIds?.length ? inArray(units.buildingId, filter.buildingIds) : undefined,
    filter.estateIds?.length ? inArray(buildings.estateId, filter.estateIds) : undefined,
    filter.unitIds?.length ? inArray(units.id, filter.unitIds) : undefined,
  ].filter((part) => part !== undefined);
  // No place matches nothing: `1 = 0` is false on both stores (PostgreSQL takes no integer as a condition).
  return parts.length > 0 ? or(...parts) : sql`1 = 0`;
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
  const tables = tablesOf(db);
  const { buildings, contractParties, contractUnits, ownerships, units, users } = tables;
  const ids = new Set<string>();
  if (audience !== 'owners') {
    for (const row of await db
      .selectDistinct({ userId: users.id })
      .from(contractParties)
      .innerJoin(users, eq(users.personId, contractParties.personId))
      .innerJoin(contractUnits, eq(contractUnits.contractId, contractParties.contractId))
      .innerJoin(units, eq(units.id, contractUnits.unitId))
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .where(
        and(
          placeCondition(tables, filter),
          current(contractParties.until, today),
          sql`${contractParties.role} <> 'guarantor'`,
        ),
      ))
      ids.add(row.userId);
  }
  if (audience !== 'tenants') {
    for (const row of await db
      .selectDistinct({ userId: users.id })
      .from(ownerships)
      .innerJoin(users, eq(users.personId, ownerships.personId))
      .innerJoin(units, eq(units.id, ownerships.unitId))
      .innerJoin(buildings, eq(buildings.id, units.buildingId))
      .where(and(placeCondition(tables, filter), current(ownerships.until, today))))
      ids.add(row.userId);
  }
  return [...ids];
}

/** The user of a person (document addressed to a person). */
export async function listUserIdsOfPersons(db: DbOrTx, personIds: readonly string[]): Promise<string[]> {
  if (personIds.length === 0) return [];
  const { users } = tablesOf(db);
  const rows = await db
    .select({ userId: users.id })
    .from(users)
    .where(inIdArray(db, users.personId, personIds));
  return rows.map((row) => row.userId);
}
