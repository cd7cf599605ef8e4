import {
  findTicketType,
  listTicketsWithoutSubjects,
  setTicketSubjects,
} from '../../../db/repositories/tickets.ts';
import { findSetting, putSetting } from '../../../db/repositories/settings.ts';
import { unitOfWork, type UnitOfWorkDeps } from '../../unit-of-work/index.ts';
import { findTicketTypeDefinition, ticketTypeFormSchema } from '../../../shared/ticket-types.ts';
import { storedSubjects } from './create.ts';

/** Rows per transaction: keeps the write lock short on a large history. */
const batchSize = 500;

/**
 * Set in `settings` once every ticket of this database has its subjects: later starts skip the
 * backfill without reading the tickets table (every ticket filed since stores its subjects).
 */
export const subjectsBackfillDoneKey = 'maintenance.ticket_subjects_backfilled';

/**
 * Tickets filed before subjects were stored per language (issue 15 item 3) kept one English enum
 * subject ("Damage report: flat, bathroom, mould"). At start, each gets its subjects computed once
 * from its type's form and answers, by the same code as a new ticket (storedSubjects), so every
 * reader — inbox, case, tenant app, mails, search — reads the stored text in their language and no
 * read path needs a fallback. Idempotent: only rows without subjects are touched. Runs once per
 * database: when it finds nothing more to do it records that, and later starts return at once.
 */
export async function backfillTicketSubjects(deps: UnitOfWorkDeps, now: Date = new Date()): Promise<number> {
  const { db } = deps;
  if ((await findSetting(db, subjectsBackfillDoneKey)) !== undefined) return 0;
  let done = 0;
  for (;;) {
    const rows = await listTicketsWithoutSubjects(db, batchSize);
    if (rows.length === 0) {
      await unitOfWork(
        deps,
        async ({ tx }) =>
          await putSetting(tx, subjectsBackfillDoneKey, { at: now.toISOString(), tickets: done }, now),
      );
      return done;
    }
    await unitOfWork(deps, async ({ tx }) => {
      for (const row of rows) {
        const stored = ticketTypeFormSchema.safeParse((await findTicketType(tx, row.typeId))?.form);
        const form = stored.success ? stored.data : findTicketTypeDefinition(row.typeId)?.form;
        const { subject, subjects } = storedSubjects({
          typeId: row.typeId,
          form,
          fields: row.fields,
          title: row.title,
        });
        await setTicketSubjects(tx, row.id, { subject, subjects });
      }
    });
    done += rows.length;
  }
}
