import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { inIdArray, tablesOf } from '../dialect.ts';
import { inChunks } from './chunks.ts';

/** Which finished jobs the repair report looks at: as the ticket report's filter (reports.ts). */
export interface RepairReportFilter {
  /** The staff member's buildings; null for an unrestricted (`all`) scope. */
  scopeBuildingIds: string[] | null;
  teamId?: string;
  buildingId?: string;
  /** Reported done in [start, end). */
  period: { start: Date; end: Date };
}

/** One job reported done, with the tenant's answer when there is one. */
export interface DoneJobRow {
  jobLinkId: string;
  ticketId: string;
  contractorId: string;
  contractorName: string;
  dispatchedAt: Date;
  doneAt: Date;
  state: 'asked' | 'fixed' | 'not_fixed' | null;
  rating: number | null;
  askedAt: Date | null;
}

/**
 * The jobs reported done in the period, in scope, oldest first. Rows, not aggregates: a median
 * needs each job's days, and finished jobs are few (a job is one contractor visit, not a ticket
 * message), so the service counts them. Jobs done before confirmations existed have no answer.
 */
export async function listDoneJobs(db: DbOrTx, filter: RepairReportFilter): Promise<DoneJobRow[]> {
  if (filter.scopeBuildingIds !== null && filter.scopeBuildingIds.length === 0) return [];
  const { contractors, jobLinkSteps, jobLinks, repairConfirmations, tickets } = tablesOf(db);
  return await db
    .select({
      jobLinkId: jobLinks.id,
      ticketId: jobLinks.ticketId,
      contractorId: contractors.id,
      contractorName: contractors.name,
      dispatchedAt: jobLinks.createdAt,
      doneAt: jobLinkSteps.createdAt,
      state: repairConfirmations.state,
      rating: repairConfirmations.rating,
      askedAt: repairConfirmations.askedAt,
    })
    .from(jobLinkSteps)
    .innerJoin(jobLinks, eq(jobLinks.id, jobLinkSteps.jobLinkId))
    .innerJoin(contractors, eq(contractors.id, jobLinks.contractorId))
    .innerJoin(tickets, eq(tickets.id, jobLinks.ticketId))
    .leftJoin(repairConfirmations, eq(repairConfirmations.jobLinkId, jobLinks.id))
    .where(
      and(
        eq(jobLinkSteps.kind, 'done'),
        // One JSON parameter, however many buildings the scope names.
        filter.scopeBuildingIds === null
          ? undefined
          : inIdArray(db, tickets.buildingId, filter.scopeBuildingIds),
        gte(jobLinkSteps.createdAt, filter.period.start),
        lt(jobLinkSteps.createdAt, filter.period.end),
        filter.teamId ? eq(tickets.teamId, filter.teamId) : undefined,
        filter.buildingId ? eq(tickets.buildingId, filter.buildingId) : undefined,
      ),
    )
    .orderBy(asc(jobLinkSteps.createdAt), asc(jobLinkSteps.id));
}

/** When each of these tickets was answered "not fixed", whatever the period (oldest first). */
export async function listNotFixedAnswers(
  db: DbOrTx,
  ticketIds: readonly string[],
): Promise<{ ticketId: string; askedAt: Date }[]> {
  const { repairConfirmations } = tablesOf(db);
  const found: { ticketId: string; askedAt: Date }[] = [];
  for (const chunk of await inChunks([...new Set(ticketIds)]))
    found.push(
      ...(await db
        .select({ ticketId: repairConfirmations.ticketId, askedAt: repairConfirmations.askedAt })
        .from(repairConfirmations)
        .where(and(inArray(repairConfirmations.ticketId, chunk), eq(repairConfirmations.state, 'not_fixed')))
        .orderBy(asc(repairConfirmations.askedAt))),
    );
  return found;
}
