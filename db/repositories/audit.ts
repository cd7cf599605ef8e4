import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { auditEntries } from '../schema/index.ts';
import { isPostgres, tablesOf } from '../dialect.ts';

export type AuditEntryRow = typeof auditEntries.$inferSelect;

export interface AuditEntryInput {
  actorUserId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  data?: Record<string, unknown> | null;
  ipAddress?: string | null;
  createdAt: Date;
}

export async function insertAuditEntry(db: DbOrTx, entry: AuditEntryInput): Promise<void> {
  const { auditEntries } = tablesOf(db);
  await db
    .insert(auditEntries)
    .values({ ...entry, data: entry.data ?? null, ipAddress: entry.ipAddress ?? null });
}

export async function listAuditEntriesFor(
  db: DbOrTx,
  entityType: string,
  entityId: string,
): Promise<AuditEntryRow[]> {
  const { auditEntries } = tablesOf(db);
  return await db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.entityType, entityType), eq(auditEntries.entityId, entityId)))
    .orderBy(desc(auditEntries.createdAt));
}

/** An entity's history, oldest first, with each actor's name (the workspace's history panel). */
export async function listAuditEntriesWithActor(db: DbOrTx, entityType: string, entityId: string) {
  const { auditEntries, persons, users } = tablesOf(db);
  // Entries of one transaction share a timestamp; the rowid keeps their insertion order.
  // PostgreSQL: no rowid, and the table has no insertion sequence; the row's physical position
  // (ctid) keeps the order of an insert-only table's rows in practice but not by guarantee.
  const insertionOrder = isPostgres(db) ? sql`${auditEntries}.ctid` : sql`${auditEntries}.rowid`;
  return await db
    .select({ entry: auditEntries, firstName: persons.firstName, lastName: persons.lastName })
    .from(auditEntries)
    .leftJoin(users, eq(users.id, auditEntries.actorUserId))
    .leftJoin(persons, eq(persons.id, users.personId))
    .where(and(eq(auditEntries.entityType, entityType), eq(auditEntries.entityId, entityId)))
    .orderBy(asc(auditEntries.createdAt), insertionOrder);
}
