import {
  listDoneJobs,
  listNotFixedAnswers,
  type DoneJobRow,
} from '../../../db/repositories/repair-reports.ts';
import type {
  ContractorRepairFiguresDto,
  ContractorRepairReportDto,
} from '../../../shared/api/repair-confirmation.ts';
import type { TicketReportQuery } from '../../../shared/api/staff-reports.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { resolveReportFilters } from './scope.ts';

const dayMs = 86_400_000;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** The middle value (the mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Per contractor over the jobs reported done: a first-time fix is a job the tenant confirmed
 * fixed with no "not fixed" answer on the same ticket before it was asked (whichever contractor
 * that was for). Days to fix: from the job's dispatch to its report of done, over the jobs
 * confirmed fixed — the contractor's own time to a repair that held, not the tenant's time to
 * answer. The rate is over the answered jobs: a question still open says nothing yet.
 */
export function contractorFigures(
  jobs: readonly DoneJobRow[],
  notFixed: readonly { ticketId: string; askedAt: Date }[],
): ContractorRepairFiguresDto[] {
  // The first "not fixed" per ticket (the answers come oldest first): an earlier one is before it.
  const firstNotFixed = new Map<string, number>();
  for (const answer of notFixed)
    if (!firstNotFixed.has(answer.ticketId)) firstNotFixed.set(answer.ticketId, answer.askedAt.getTime());
  const earlierNotFixed = (job: DoneJobRow) =>
    job.askedAt !== null && (firstNotFixed.get(job.ticketId) ?? Infinity) < job.askedAt.getTime();
  const byContractor = new Map<string, DoneJobRow[]>();
  for (const job of jobs) {
    const own = byContractor.get(job.contractorId);
    if (own) own.push(job);
    else byContractor.set(job.contractorId, [job]);
  }
  return [...byContractor.values()]
    .map((own) => {
      const answered = own.filter((job) => job.state === 'fixed' || job.state === 'not_fixed');
      const fixed = own.filter((job) => job.state === 'fixed');
      const firstTime = fixed.filter((job) => !earlierNotFixed(job)).length;
      const days = fixed.map((job) => (job.doneAt.getTime() - job.dispatchedAt.getTime()) / dayMs);
      const ratings = own.flatMap((job) => (job.rating === null ? [] : [job.rating]));
      const med = median(days);
      const avgDays = mean(days);
      const avgRating = mean(ratings);
      return {
        contractorId: own[0]!.contractorId,
        name: own[0]!.contractorName,
        jobsDone: own.length,
        answered: answered.length,
        firstTimeFixes: firstTime,
        firstTimeFixRate: answered.length === 0 ? null : round2(firstTime / answered.length),
        medianDaysToFix: med === null ? null : round2(med),
        meanDaysToFix: avgDays === null ? null : round2(avgDays),
        averageRating: avgRating === null ? null : round2(avgRating),
        rated: ratings.length,
      };
    })
    .sort((a, b) => b.jobsDone - a.jobsDone || a.name.localeCompare(b.name));
}

/** `GET /staff/reports/contractors`: the period's finished jobs in the caller's scope, per contractor. */
export async function contractorRepairReport(
  deps: Deps,
  user: SessionUser,
  query: TicketReportQuery,
): Promise<ContractorRepairReportDto> {
  const filters = await resolveReportFilters(deps, user, query);
  const { scopeBuildingIds, teamId, buildingId, period } = filters.tickets;
  const jobs = await listDoneJobs(deps.db, {
    scopeBuildingIds,
    period,
    ...(teamId !== undefined && { teamId }),
    ...(buildingId !== undefined && { buildingId }),
  });
  const notFixed = await listNotFixedAnswers(
    deps.db,
    jobs.map((job) => job.ticketId),
  );
  return {
    period: { from: query.from, to: query.to, timeZone: deps.config.timeZone },
    contractors: contractorFigures(jobs, notFixed),
  };
}
