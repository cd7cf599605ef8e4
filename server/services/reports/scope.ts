import {
  findReportBuilding,
  listReportBuildings,
  listReportTeams,
  type IncidentReportFilter,
  type ReportTicketFilter,
} from '../../../db/repositories/reports.ts';
import { findTeam, listTeamIdsOfUser } from '../../../db/repositories/staff.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { ReportFilterOptionsDto, TicketReportQuery } from '../../../shared/api/staff-reports.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { addDays } from '../../lib/dates.ts';
import { notFound } from '../../lib/http-error.ts';
import { zonedInstant } from '../sla.ts';
import { loadInboxScope } from '../tickets/staff-inbox.ts';
import { loadStaffScope } from '../tickets/visibility.ts';

/**
 * What a report may look at: the staff member's buildings (as in the inbox, staff-inbox.ts
 * loadInboxScope) and their teams. A team or building outside them answers the same 404 as one
 * that does not exist (API.md "404 not found or not yours").
 */
export interface ReportScope {
  /** null: every building (admins, `all` teams). */
  buildingIds: string[] | null;
  /** null: every team; else the teams the staff member belongs to. */
  teamIds: string[] | null;
  /** The raw team scopes, for incidents, which may cover a whole estate. */
  places: { buildingIds: string[]; estateIds: string[] } | null;
}

export async function loadReportScope(db: DbOrTx, user: SessionUser, now: Date): Promise<ReportScope> {
  const { buildingIds } = await loadInboxScope(db, user, now);
  if (buildingIds === null) return { buildingIds: null, teamIds: null, places: null };
  const staff = await loadStaffScope(db, user);
  return {
    buildingIds,
    teamIds: await listTeamIdsOfUser(db, user.id),
    places: { buildingIds: staff.buildingIds ?? [], estateIds: staff.estateIds ?? [] },
  };
}

/** The inclusive local dates `from`–`to` as the instants [start, end) in the landlord's zone. */
export function periodInstants(from: string, to: string, timeZone: string) {
  return {
    start: new Date(zonedInstant(from, '00:00', timeZone)),
    end: new Date(zonedInstant(addDays(to, 1), '00:00', timeZone)),
  };
}

export interface ReportFilters {
  tickets: ReportTicketFilter & { period: { start: Date; end: Date } };
  incidents: IncidentReportFilter;
}

/** The query's filters checked against the scope (404 for a team or building outside it). */
export async function resolveReportFilters(
  deps: Deps,
  user: SessionUser,
  query: Pick<TicketReportQuery, 'from' | 'to' | 'team' | 'building'>,
): Promise<ReportFilters> {
  const scope = await loadReportScope(deps.db, user, deps.now());
  if (query.team !== undefined) {
    const known = (await findTeam(deps.db, query.team)) !== undefined;
    if (!known || (scope.teamIds !== null && !scope.teamIds.includes(query.team))) throw notFound();
  }
  let building: { id: string; estateId: string } | undefined;
  if (query.building !== undefined) {
    building = await findReportBuilding(deps.db, query.building);
    if (!building || (scope.buildingIds !== null && !scope.buildingIds.includes(building.id))) {
      throw notFound();
    }
  }
  const period = periodInstants(query.from, query.to, deps.config.timeZone);
  return {
    tickets: {
      scopeBuildingIds: scope.buildingIds,
      teamId: query.team,
      buildingId: query.building,
      period,
    },
    incidents: { scope: scope.places, building, period },
  };
}

/** `GET /staff/reports/filters`: the teams and buildings the filters may offer. */
export async function reportFilterOptions(deps: Deps, user: SessionUser): Promise<ReportFilterOptionsDto> {
  const scope = await loadReportScope(deps.db, user, deps.now());
  return {
    teams: await listReportTeams(deps.db, scope.teamIds),
    buildings: (await listReportBuildings(deps.db, scope.buildingIds)).map((row) => ({
      id: row.id,
      label: `${row.street} ${row.houseNumber}, ${row.city}`,
    })),
  };
}
