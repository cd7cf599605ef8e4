import type { DbOrTx } from '../transaction.ts';
import { notices } from '../schema/index.ts';

export type NoticeInsert = typeof notices.$inferInsert;

export function insertNotices(db: DbOrTx, rows: NoticeInsert[]): void {
  if (rows.length > 0) db.insert(notices).values(rows).run();
}
