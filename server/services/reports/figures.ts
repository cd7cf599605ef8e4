import {
  countOpenTicketsByAge,
  countRatings,
  countReportTickets,
  countTicketsByBuilding,
  countTicketsByType,
  countTicketsPerSlice,
  listIncidentFigures,
  slaClockCounts,
  type SlaClockCounts,
} from '../../../db/repositories/reports.ts';
import {
  backlogBuckets,
  type SlaFiguresDto,
  type TicketReportDto,
  type TicketReportQuery,
} from '../../../shared/api/staff-reports.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { addDays } from '../../lib/dates.ts';
import { zonedInstant } from '../sla.ts';
import { resolveReportFilters } from './scope.ts';

const dayMs = 86_400_000;

/** Lower bounds of the backlog buckets (shared/api/staff-reports.ts `backlogBuckets`), in ms of age. */
const backlogBounds = [0, 1, 3, 7, 30].map((days) => days * dayMs);

/**
 * The period's weeks, Monday to Monday in the landlord's zone (ISO 8601 weeks, as staff in Germany
 * and Sweden count them), clipped to the period so the first and last week count only its days.
 */
export function weeksOf(from: string, to: string, timeZone: string, period: { start: Date; end: Date }) {
  const weekday = (new Date(`${from}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
  const weeks: { weekStart: string; start: Date; end: Date }[] = [];
  for (let monday = addDays(from, -weekday); monday <= to; monday = addDays(monday, 7)) {
    const start = zonedInstant(monday, '00:00', timeZone);
    const end = zonedInstant(addDays(monday, 7), '00:00', timeZone);
    weeks.push({
      weekStart: monday,
      start: new Date(Math.max(start, period.start.getTime())),
      end: new Date(Math.min(end, period.end.getTime())),
    });
  }
  return weeks;
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 60_000));

function slaFigures(counts: SlaClockCounts): SlaFiguresDto {
  const decided = counts.met + counts.missed;
  return {
    met: counts.met,
    missed: counts.missed,
    pending: counts.pending,
    metShare: decided === 0 ? null : counts.met / decided,
    medianMinutes: minutes(counts.medianMs),
    p90Minutes: minutes(counts.p90Ms),
  };
}

/** `GET /staff/reports/tickets`: every figure of the report page for one period and filter. */
export async function ticketReport(
  deps: Deps,
  user: SessionUser,
  query: TicketReportQuery,
): Promise<TicketReportDto> {
  const filters = await resolveReportFilters(deps, user, query);
  const { db } = deps;
  const now = deps.now();
  const timeZone = deps.config.timeZone;
  const weeks = weeksOf(query.from, query.to, timeZone, filters.tickets.period);
  const perWeek = await countTicketsPerSlice(db, filters.tickets, weeks);
  const { period: _period, ...openFilter } = filters.tickets;
  const backlog = await countOpenTicketsByAge(db, openFilter, now, backlogBounds);
  const ratings = (await countRatings(db, filters.tickets)).sort((a, b) => a.stars - b.stars);
  const rated = ratings.reduce((sum, row) => sum + row.count, 0);
  const starSum = ratings.reduce((sum, row) => sum + row.stars * row.count, 0);

  return {
    period: { from: query.from, to: query.to, timeZone },
    total: await countReportTickets(db, filters.tickets),
    volumeByWeek: weeks.map((week, index) => ({ weekStart: week.weekStart, count: perWeek[index] ?? 0 })),
    volumeByType: await countTicketsByType(db, filters.tickets),
    volumeByBuilding: (await countTicketsByBuilding(db, filters.tickets)).map((row) => ({
      buildingId: row.buildingId,
      label: row.street ? `${row.street} ${row.houseNumber ?? ''}`.trim() : null,
      count: row.count,
    })),
    sla: {
      firstResponse: slaFigures(await slaClockCounts(db, filters.tickets, 'firstResponse', now)),
      resolution: slaFigures(await slaClockCounts(db, filters.tickets, 'resolution', now)),
    },
    backlog: backlogBuckets.map((bucket, index) => ({ bucket, count: backlog[index] ?? 0 })),
    ratings: {
      rated,
      average: rated === 0 ? null : Math.round((starSum / rated) * 100) / 100,
      distribution: [1, 2, 3, 4, 5].map((stars) => ({
        stars,
        count: ratings.find((row) => row.stars === stars)?.count ?? 0,
      })),
    },
    incidents: (await listIncidentFigures(db, filters.incidents)).map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
    })),
  };
}
