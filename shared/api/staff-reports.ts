import { z } from 'zod';
import { entityId } from './ids.ts';
import { localeSchema } from './auth.ts';

/**
 * Service-desk reports (issue 15 item 7): figures over the tickets created in a period, in the
 * staff member's scope, and the same tickets as a CSV (API.md "Reports").
 */

const id = entityId;

/** A calendar date `YYYY-MM-DD`, read in the landlord's time zone (both ends inclusive). */
const day = z.iso.date({ message: 'invalid_date' });

/** Two years of weeks is the longest period a chart still reads and a report query stays cheap. */
export const reportMaxDays = 731;

const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** Days in the inclusive period `from`–`to`. */
export const reportPeriodDays = (from: string, to: string) => dayNumber(to) - dayNumber(from) + 1;

const reportFilters = {
  from: day,
  to: day,
  /** Only tickets routed to this team; a team outside the caller's scope is a 404. */
  team: id.optional(),
  /** Only tickets of this building; a building outside the caller's scope is a 404. */
  building: id.optional(),
};

type Period = { from: string; to: string };

const periodChecks = <T extends Period>(value: T, ctx: z.core.$RefinementCtx<T>) => {
  const days = reportPeriodDays(value.from, value.to);
  if (days < 1) ctx.addIssue({ code: 'custom', path: ['to'], message: 'period_order' });
  else if (days > reportMaxDays) ctx.addIssue({ code: 'custom', path: ['to'], message: 'period_too_long' });
};

export const ticketReportQuery = z.strictObject(reportFilters).superRefine(periodChecks);
export type TicketReportQuery = z.infer<typeof ticketReportQuery>;

/** The CSV also takes the language of its labels (the console's, which may differ from the account's). */
export const ticketCsvQuery = z
  .strictObject({ ...reportFilters, lang: localeSchema.optional() })
  .superRefine(periodChecks);
export type TicketCsvQuery = z.infer<typeof ticketCsvQuery>;

/** Open tickets by age, the buckets Zendesk and Freshdesk show for a backlog. */
export const backlogBuckets = ['under_1d', 'd1_3', 'd3_7', 'd7_30', 'over_30d'] as const;
export type BacklogBucket = (typeof backlogBuckets)[number];

/**
 * One SLA clock over the period's tickets. `met` and `missed` count tickets whose clock has an
 * outcome (done, or past due while still owed); `pending` are still within their target. Times are
 * wall-clock minutes from filing (what the tenant waited), median and p90 by nearest rank.
 */
export interface SlaFiguresDto {
  met: number;
  missed: number;
  pending: number;
  /** met / (met + missed), 0–1; null when no clock has an outcome yet. */
  metShare: number | null;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

export interface TicketReportDto {
  period: { from: string; to: string; timeZone: string };
  /** Tickets created in the period. */
  total: number;
  /** Monday-based weeks in the landlord's time zone; every week of the period, empty ones as 0. */
  volumeByWeek: { weekStart: string; count: number }[];
  volumeByType: { typeId: string; count: number }[];
  /** `buildingId` null: tickets not tied to a building. */
  volumeByBuilding: { buildingId: string | null; label: string | null; count: number }[];
  sla: { firstResponse: SlaFiguresDto; resolution: SlaFiguresDto };
  /** Tickets open now (not only those of the period), by age; in the same team and building filter. */
  backlog: { bucket: BacklogBucket; count: number }[];
  /** Tenants' ratings (1–5 stars) of the period's tickets. */
  ratings: { rated: number; average: number | null; distribution: { stars: number; count: number }[] };
  /**
   * Incidents created in the period whose place lies in scope (and covers the building filter):
   * tenants who followed them ("me too") and tickets linked to them. Incidents belong to places,
   * not teams, so the team filter does not narrow them.
   */
  incidents: {
    id: string;
    title: string;
    kind: 'planned' | 'emergency';
    status: 'open' | 'resolved';
    createdAt: string;
    followers: number;
    linkedTickets: number;
  }[];
}

/** What the filters may offer: only teams and buildings in the caller's scope. */
export interface ReportFilterOptionsDto {
  teams: { id: string; name: string }[];
  buildings: { id: string; label: string }[];
}
