import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { isPostgres } from '../../db/dialect.ts';
import {
  explainInboxQuery,
  type InboxFilters,
  type InboxScope,
  type InboxViewName,
} from '../../db/repositories/staff-inbox.ts';
import { inTransaction } from '../../db/transaction.ts';
import { execute } from './raw-sql.ts';

/**
 * The plan of an inbox view's page query (db/repositories/staff-inbox.ts `explainInboxQuery`) and
 * its lines that read the whole tickets table. SQLite: a `SCAN tickets` without an index. PostgreSQL
 * plans a sequential scan of a test's few tickets whatever the indexes, so there the planner is told
 * to avoid one for this query: it still plans one only where no index serves the query.
 */
export async function inboxFullScans(
  db: Db,
  view: InboxViewName,
  scope: InboxScope,
  filters: InboxFilters,
): Promise<{ plan: string[]; fullScans: string[] }> {
  if (!isPostgres(db)) {
    const plan = (await explainInboxQuery(db, view, scope, filters)).map((row) => row.detail);
    return { plan, fullScans: plan.filter((line) => /^SCAN tickets\b/.test(line) && !/USING/.test(line)) };
  }
  const rows = await inTransaction(db, async (tx) => {
    await execute(tx as unknown as Db, sql`set local enable_seqscan = off`);
    return await explainInboxQuery(tx, view, scope, filters);
  });
  const plan = rows.map((row) => row.detail);
  return { plan, fullScans: plan.filter((line) => /\bSeq Scan on tickets\b/.test(line)) };
}
