import { and, asc, count, desc, eq, gt, gte, inArray, isNotNull, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import { first, inIdArray, isPostgres, rawRows, type Tables, tablesOf } from '../dialect.ts';
import type { TicketStatus } from './tickets.ts';

/**
 * Service-desk reports (issue 15 item 7). Every figure is one aggregate query over `tickets`: the
 * database counts, the server never loads the period's tickets to count them. The CSV export alone
 * reads rows, a page at a time (listReportRows).
 */

/** Which tickets a report looks at. */
export interface ReportTicketFilter {
  /** The staff member's buildings; null for an unrestricted (`all`) scope. */
  scopeBuildingIds: string[] | null;
  teamId?: string;
  buildingId?: string;
  /** Created in [start, end); omitted for the backlog, which is "open now". */
  period?: { start: Date; end: Date };
}

/**
 * An instant as a raw-SQL value: SQLite's integer milliseconds, PostgreSQL's timestamptz. Where
 * the raw SQL subtracts instants, `msBetween` gives milliseconds on both.
 */
const instant = (db: DbOrTx, at: Date) =>
  isPostgres(db) ? sql`${at.toISOString()}::timestamptz` : sql`${at.getTime()}`;

const msBetween = (db: DbOrTx, later: SQL, earlier: SQL) =>
  isPostgres(db)
    ? sql`round(extract(epoch from (${later} - ${earlier})) * 1000)::bigint`
    : sql`(${later} - ${earlier})`;

function ticketWhere(db: DbOrTx, filter: ReportTicketFilter): SQL {
  const { tickets } = tablesOf(db);
  const scope =
    filter.scopeBuildingIds === null
      ? undefined
      : filter.scopeBuildingIds.length > 0
        ? inIdArray(db, tickets.buildingId, filter.scopeBuildingIds)
        : sql`1 = 0`;
  return (
    and(
      scope,
      filter.teamId ? eq(tickets.teamId, filter.teamId) : undefined,
      filter.buildingId ? eq(tickets.buildingId, filter.buildingId) : undefined,
      filter.period ? gte(tickets.createdAt, filter.period.start) : undefined,
      filter.period ? lt(tickets.createdAt, filter.period.end) : undefined,
    ) ?? sql`1 = 1`
  );
}

export async function countReportTickets(db: DbOrTx, filter: ReportTicketFilter): Promise<number> {
  const { tickets } = tablesOf(db);
  const row = await first(
    db
      .select({ n: count().mapWith(Number) })
      .from(tickets)
      .where(ticketWhere(db, filter)),
  );
  return row?.n ?? 0;
}

/**
 * Tickets per time slice (weeks in the landlord's zone, computed by the caller so DST is right):
 * the slices travel as a VALUES table and the count is one grouped join. Index i of the result is
 * slice i; empty slices are 0.
 */
export async function countTicketsPerSlice(
  db: DbOrTx,
  filter: ReportTicketFilter,
  slices: { start: Date; end: Date }[],
): Promise<number[]> {
  if (slices.length === 0) return [];
  const { tickets } = tablesOf(db);
  const postgres = isPostgres(db);
  const values = sql.join(
    slices.map((slice, index) =>
      postgres
        ? sql`(${index}::integer, ${instant(db, slice.start)}, ${instant(db, slice.end)})`
        : sql`(${index}, ${instant(db, slice.start)}, ${instant(db, slice.end)})`,
    ),
    sql`, `,
  );
  // PostgreSQL's count(*) is a bigint, read as a string.
  const rows = await rawRows<{ idx: number; n: number | string }>(
    db,
    sql`
    with slices(idx, starts, ends) as (values ${values})
    select slices.idx as idx, count(*) as n
    from slices join ${tickets}
      on ${tickets.createdAt} >= slices.starts and ${tickets.createdAt} < slices.ends
    where ${ticketWhere(db, filter)}
    group by slices.idx`,
  );
  const counts = slices.map(() => 0);
  for (const row of rows) counts[Number(row.idx)] = Number(row.n);
  return counts;
}

export async function countTicketsByType(db: DbOrTx, filter: ReportTicketFilter) {
  const { tickets } = tablesOf(db);
  return await db
    .select({ typeId: tickets.typeId, count: count().mapWith(Number) })
    .from(tickets)
    .where(ticketWhere(db, filter))
    .groupBy(tickets.typeId)
    .orderBy(desc(count()), asc(tickets.typeId));
}

export async function countTicketsByBuilding(db: DbOrTx, filter: ReportTicketFilter) {
  const { tickets, buildings } = tablesOf(db);
  return await db
    .select({
      buildingId: tickets.buildingId,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      city: buildings.city,
      count: count().mapWith(Number),
    })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .where(ticketWhere(db, filter))
    // The address columns too: PostgreSQL groups only by what it is told (they follow the id).
    .groupBy(tickets.buildingId, buildings.street, buildings.houseNumber, buildings.city)
    // Tickets without a building first on both stores (SQLite's default for NULL, not PostgreSQL's).
    .orderBy(
      desc(count()),
      sql`${buildings.street} asc nulls first`,
      sql`${buildings.houseNumber} asc nulls first`,
    );
}

const ownedStatuses: TicketStatus[] = ['new', 'in_progress'];

/**
 * The two SLA clocks as SQL. `done` is when the clock stopped; `owed` says whether a clock without
 * `done` still runs (server/services/sla.ts slaOf: the first-response clock runs until a reply
 * whatever the status; the resolution clock pauses while waiting for the tenant). A ticket closed
 * without passing `resolved` has no resolvedAt: its last change is when it was closed.
 */
const slaClocksOf = ({ tickets }: Tables) => ({
  firstResponse: {
    due: sql`${tickets.firstResponseDueAt}`,
    done: sql`${tickets.firstRespondedAt}`,
    owed: sql`1 = 1`,
  },
  resolution: {
    due: sql`${tickets.resolutionDueAt}`,
    done: sql`coalesce(${tickets.resolvedAt}, case when ${tickets.status} = 'closed' then coalesce(${tickets.updatedAt}, ${tickets.lastActivityAt}) end)`,
    owed: sql`${tickets.status} in (${sql.join(
      ownedStatuses.map((status) => sql`${status}`),
      sql`, `,
    )})`,
  },
});

export type SlaClockName = keyof ReturnType<typeof slaClocksOf>;

export interface SlaClockCounts {
  met: number;
  missed: number;
  pending: number;
  /** Minutes from filing to `done`, nearest rank; null without any done clock. */
  medianMs: number | null;
  p90Ms: number | null;
}

/** Met, missed and still pending clocks, and the median and p90 time to `done`, in two queries. */
export async function slaClockCounts(
  db: DbOrTx,
  filter: ReportTicketFilter,
  clock: SlaClockName,
  now: Date,
): Promise<SlaClockCounts> {
  const { tickets } = tablesOf(db);
  const { due, done, owed } = slaClocksOf(tablesOf(db))[clock];
  const at = instant(db, now);
  const missedOpen = sql`(${done} is null and ${owed} and ${due} < ${at})`;
  // Sums and counts: PostgreSQL answers bigints as strings, hence Number() below.
  type Figure = number | string | null;
  const [outcome] = await rawRows<{ met: Figure; missed: Figure; pending: Figure }>(
    db,
    sql`
    select
      sum(case when ${done} is not null and ${done} <= ${due} then 1 else 0 end) as met,
      sum(case when (${done} is not null and ${done} > ${due}) or ${missedOpen} then 1 else 0 end) as missed,
      sum(case when ${done} is null and not ${missedOpen} then 1 else 0 end) as pending
    from ${tickets}
    where ${ticketWhere(db, filter)} and ${due} is not null`,
  );
  // Nearest-rank percentiles (rank = ceil(p·n)) with a window over the sorted durations: SQLite has
  // no percentile function unless built with the optional extension.
  const [times] = await rawRows<{ median: Figure; p90: Figure }>(
    db,
    sql`
    with d as (
      select ${msBetween(db, done, sql`${tickets.createdAt}`)} as v from ${tickets}
      where ${ticketWhere(db, filter)} and ${done} is not null
    ),
    r as (select v, row_number() over (order by v) as rn, count(*) over () as n from d)
    select
      min(case when rn = (n + 1) / 2 then v end) as median,
      min(case when rn = (9 * n + 9) / 10 then v end) as p90
    from r`,
  );
  const orNull = (value: Figure | undefined) =>
    value === null || value === undefined ? null : Number(value);
  return {
    met: orNull(outcome?.met) ?? 0,
    missed: orNull(outcome?.missed) ?? 0,
    pending: orNull(outcome?.pending) ?? 0,
    medianMs: orNull(times?.median),
    p90Ms: orNull(times?.p90),
  };
}

const openStatuses: TicketStatus[] = ['new', 'in_progress', 'waiting_tenant'];

/**
 * Open tickets per age bucket: bucket i holds ages in [bounds[i], bounds[i + 1]) ms, the last one
 * everything older. One pass with a CASE per bucket.
 */
export async function countOpenTicketsByAge(
  db: DbOrTx,
  filter: Omit<ReportTicketFilter, 'period'>,
  now: Date,
  bounds: number[],
): Promise<number[]> {
  const { tickets } = tablesOf(db);
  const age = msBetween(db, instant(db, now), sql`${tickets.createdAt}`);
  const columns = bounds.map((lower, index) => {
    const upper = bounds[index + 1];
    const inBucket =
      upper === undefined ? sql`${age} >= ${lower}` : sql`${age} >= ${lower} and ${age} < ${upper}`;
    return sql`sum(case when ${inBucket} then 1 else 0 end) as ${sql.identifier(`b${index}`)}`;
  });
  const [row] = await rawRows<Record<string, number | string | null>>(
    db,
    sql`
    select ${sql.join(columns, sql`, `)} from ${tickets}
    where ${ticketWhere(db, filter)} and ${inArray(tickets.status, openStatuses)}`,
  );
  return bounds.map((_, index) => Number(row?.[`b${index}`] ?? 0));
}

export async function countRatings(db: DbOrTx, filter: ReportTicketFilter) {
  const { tickets } = tablesOf(db);
  const rows = await db
    .select({ stars: tickets.rating, count: count().mapWith(Number) })
    .from(tickets)
    .where(and(ticketWhere(db, filter), isNotNull(tickets.rating)))
    .groupBy(tickets.rating);
  return rows.flatMap((row) => (row.stars === null ? [] : [{ stars: row.stars, count: row.count }]));
}

export interface IncidentReportFilter {
  /** null: every incident; else incidents of these buildings or estates (an estate covers its buildings). */
  scope: { buildingIds: string[]; estateIds: string[] } | null;
  /** Only incidents touching this building: its own, or its estate's. */
  building?: { id: string; estateId: string };
  period: { start: Date; end: Date };
}

/** The period's incidents with their followers ("me too") and linked tickets, most followed first. */
export async function listIncidentFigures(db: DbOrTx, filter: IncidentReportFilter, limit = 100) {
  const { buildings, incidents } = tablesOf(db);
  let scope: SQL | undefined;
  if (filter.scope) {
    const { buildingIds, estateIds } = filter.scope;
    const estateBuildings = sql`(select ${buildings.id} from ${buildings} where ${inIdArray(db, sql`${buildings.estateId}`, estateIds)})`;
    scope =
      or(
        buildingIds.length > 0 ? inIdArray(db, sql`${incidents.buildingId}`, buildingIds) : undefined,
        estateIds.length > 0 ? inIdArray(db, sql`${incidents.estateId}`, estateIds) : undefined,
        estateIds.length > 0 ? sql`${incidents.buildingId} in ${estateBuildings}` : undefined,
      ) ?? sql`1 = 0`;
  }
  const place = filter.building
    ? or(eq(incidents.buildingId, filter.building.id), eq(incidents.estateId, filter.building.estateId))
    : undefined;
  // Spelled out: in a one-table select drizzle leaves columns unqualified, and a bare "id" inside
  // the subquery would name the subquery's own table.
  const incidentId = sql.raw('"incidents"."id"');
  // mapWith: PostgreSQL's count(*) is a bigint, read as a string.
  const followers =
    sql<number>`(select count(*) from incident_followers f where f.incident_id = ${incidentId})`.mapWith(
      Number,
    );
  const linkedTickets =
    sql<number>`(select count(*) from tickets t where t.incident_id = ${incidentId})`.mapWith(Number);
  return await db
    .select({
      id: incidents.id,
      title: incidents.title,
      kind: incidents.kind,
      status: incidents.status,
      createdAt: incidents.createdAt,
      followers,
      linkedTickets,
    })
    .from(incidents)
    .where(
      and(
        scope,
        place,
        gte(incidents.createdAt, filter.period.start),
        lt(incidents.createdAt, filter.period.end),
      ),
    )
    .orderBy(desc(followers), desc(incidents.createdAt))
    .limit(limit);
}

/** One ticket of the CSV export, with the names its ids stand for. */
export interface ReportTicketRow {
  id: string;
  number: string;
  createdAt: Date;
  typeId: string;
  status: TicketStatus;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  street: string | null;
  houseNumber: string | null;
  unitNumber: string | null;
  teamName: string | null;
  assigneeFirstName: string | null;
  assigneeLastName: string | null;
  firstResponseDueAt: Date | null;
  firstRespondedAt: Date | null;
  resolutionDueAt: Date | null;
  resolvedAt: Date | null;
  updatedAt: Date | null;
  lastActivityAt: Date;
}

/**
 * One page of the export in filing order, keyset-paged by (createdAt, id) so a year of tickets
 * streams in constant memory.
 */
export async function listReportRows(
  db: DbOrTx,
  filter: ReportTicketFilter,
  page: { limit: number; after?: { createdAt: Date; id: string } },
): Promise<ReportTicketRow[]> {
  const { tickets, buildings, units, teams, users, persons } = tablesOf(db);
  const after = page.after
    ? or(
        gt(tickets.createdAt, page.after.createdAt),
        and(eq(tickets.createdAt, page.after.createdAt), gt(tickets.id, page.after.id)),
      )
    : undefined;
  return await db
    .select({
      id: tickets.id,
      number: tickets.number,
      createdAt: tickets.createdAt,
      typeId: tickets.typeId,
      status: tickets.status,
      priority: tickets.priority,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      unitNumber: units.number,
      teamName: teams.name,
      assigneeFirstName: persons.firstName,
      assigneeLastName: persons.lastName,
      firstResponseDueAt: tickets.firstResponseDueAt,
      firstRespondedAt: tickets.firstRespondedAt,
      resolutionDueAt: tickets.resolutionDueAt,
      resolvedAt: tickets.resolvedAt,
      updatedAt: tickets.updatedAt,
      lastActivityAt: tickets.lastActivityAt,
    })
    .from(tickets)
    .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
    .leftJoin(units, eq(units.id, tickets.unitId))
    .leftJoin(teams, eq(teams.id, tickets.teamId))
    .leftJoin(users, eq(users.id, tickets.assigneeId))
    .leftJoin(persons, eq(persons.id, users.personId))
    .where(and(ticketWhere(db, filter), after))
    .orderBy(asc(tickets.createdAt), asc(tickets.id))
    .limit(page.limit);
}

/** Teams for the filter: all of them, or those named. */
export async function listReportTeams(db: DbOrTx, teamIds: string[] | null) {
  const { teams } = tablesOf(db);
  return await db
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(teamIds === null ? undefined : inArray(teams.id, teamIds))
    .orderBy(asc(teams.name));
}

/** Buildings for the filter: all of them, or those of a scope. */
export async function listReportBuildings(db: DbOrTx, buildingIds: string[] | null) {
  const { buildings } = tablesOf(db);
  return await db
    .select({
      id: buildings.id,
      estateId: buildings.estateId,
      street: buildings.street,
      houseNumber: buildings.houseNumber,
      city: buildings.city,
    })
    .from(buildings)
    .where(buildingIds === null ? undefined : inIdArray(db, sql`${buildings.id}`, buildingIds))
    .orderBy(asc(buildings.city), asc(buildings.street), asc(buildings.houseNumber));
}

export async function findReportBuilding(db: DbOrTx, buildingId: string) {
  const { buildings } = tablesOf(db);
  return await first(
    db
      .select({ id: buildings.id, estateId: buildings.estateId })
      .from(buildings)
      .where(eq(buildings.id, buildingId)),
  );
}
