import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { auditEntries, persons, users } from '../schema/index.ts';

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
  db.insert(auditEntries)
    .values({ ...entry, data: entry.data ?? null, ipAddress: entry.ipAddress ?? null })
    .run();
}

export async function listAuditEntriesFor(
  db: DbOrTx,
  entityType: string,
  entityId: string,
): Promise<AuditEntryRow[]> {
  return db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.entityType, entityType), eq(auditEntries.entityId, entityId)))
    .orderBy(desc(auditEntries.createdAt))
    .all();
}

/** An entity's history, oldest first, with each actor's name (the workspace's history panel). */
export async function listAuditEntriesWithActor(db: DbOrTx, entityType: string, entityId: string) {
  return (
    db
      .select({ entry: auditEntries, firstName: persons.firstName, lastName: persons.lastName })
      .from(auditEntries)
      .leftJoin(users, eq(users.id, auditEntries.actorUserId))
      .leftJoin(persons, eq(persons.id, users.personId))
      .where(and(eq(auditEntries.entityType, entityType), eq(auditEntries.entityId, entityId)))
      // Entries of one transaction share a timestamp; the rowid keeps their insertion order.
      .orderBy(asc(auditEntries.createdAt), sql`${auditEntries}.rowid`)
      .all()
  );
}
