import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { auditEntries } from '../schema/index.ts';

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

export function insertAuditEntry(db: DbOrTx, entry: AuditEntryInput): void {
  db.insert(auditEntries)
    .values({ ...entry, data: entry.data ?? null, ipAddress: entry.ipAddress ?? null })
    .run();
}

export function listAuditEntriesFor(db: DbOrTx, entityType: string, entityId: string): AuditEntryRow[] {
  return db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.entityType, entityType), eq(auditEntries.entityId, entityId)))
    .orderBy(desc(auditEntries.createdAt))
    .all();
}
