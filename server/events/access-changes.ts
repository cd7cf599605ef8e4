import { appendEvent, type StoredEvent } from '../../db/repositories/events.ts';
import type { DbOrTx } from '../../db/transaction.ts';
import { accessChangedType, rooms } from '../realtime/rooms.ts';

/**
 * The log's row of an `access.changed` event (domain-events.ts): written by the projector for a
 * unit of work, and by an ERP load inside its own transaction (services/import/apply.ts), which
 * keeps the projector's module graph out of the load's worker thread. No row when nobody's access
 * changed.
 */
export async function appendAccessChange(
  tx: DbOrTx,
  userIds: readonly string[],
): Promise<StoredEvent | null> {
  if (userIds.length === 0) return null;
  return await appendEvent(tx, rooms.access(), accessChangedType, { userIds: [...userIds] });
}
