import {
  deleteIncidentFollower,
  insertIncidentFollowers,
  listFollowedIncidentIds,
  listIncidentsForPlaces,
  listOpenIncidentsMatching,
  listUpdatesOfIncidents,
  type Incident,
  type IncidentPlaces,
} from '../../../db/repositories/incidents.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { notFound } from '../../lib/http-error.ts';
import { allBuildingIds, assertCanSeeContract, loadCustomerScope } from '../access.ts';
import { listContractPlacementsOfPerson } from '../../../db/repositories/access.ts';

/** Resolved incidents stay on the list for a week, so "water is back" is seen (seed 004). */
const recentlyResolvedMs = 7 * 24 * 3_600_000;

async function placesOf(deps: Deps, user: SessionUser): Promise<IncidentPlaces> {
  const scope = await loadCustomerScope(deps, user);
  return { buildingIds: allBuildingIds(scope), estateIds: [...scope.estateIds] };
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/**
 * What tenants and staff both see of an incident, its updates included (one query for the whole
 * list); each side adds its own place and extras (following, linked tickets).
 */
export async function withCommonFields(deps: Deps, rows: Incident[]) {
  const updates = await listUpdatesOfIncidents(
    deps.db,
    rows.map((row) => row.id),
  );
  return rows.map((incident) => ({
    incident,
    common: {
      id: incident.id,
      title: incident.title,
      body: incident.body,
      kind: incident.kind,
      status: incident.status,
      component: incident.component,
      startsAt: iso(incident.startsAt),
      endsAt: iso(incident.endsAt),
      createdAt: incident.createdAt.toISOString(),
      resolvedAt: iso(incident.resolvedAt),
      updates: updates
        .filter((update) => update.incidentId === incident.id)
        .map((update) => ({ id: update.id, body: update.body, createdAt: update.createdAt.toISOString() })),
    },
  }));
}

async function toDtos(deps: Deps, user: SessionUser, rows: Incident[]) {
  const followed = await listFollowedIncidentIds(
    deps.db,
    user.id,
    rows.map((row) => row.id),
  );
  return (await withCommonFields(deps, rows)).map(({ incident, common }) => ({
    ...common,
    scope: incident.scope,
    buildingId: incident.buildingId,
    estateId: incident.estateId,
    following: followed.has(incident.id),
  }));
}

export type IncidentDto = Awaited<ReturnType<typeof toDtos>>[number];

/** `GET /incidents`: open and recently resolved incidents at the user's buildings and estates. */
export async function listIncidents(deps: Deps, user: SessionUser): Promise<IncidentDto[]> {
  const since = new Date(deps.now().getTime() - recentlyResolvedMs);
  return await toDtos(deps, user, await listIncidentsForPlaces(deps.db, await placesOf(deps, user), since));
}

/**
 * Whether an incident's time window covers `now`: started (or without a start) and not yet over (or
 * without an end). A water shut-off planned for next week is no answer to "no water today".
 */
export function coversNow(incident: Pick<Incident, 'startsAt' | 'endsAt'>, now: Date): boolean {
  const time = now.getTime();
  if (incident.startsAt && incident.startsAt.getTime() > time) return false;
  if (incident.endsAt && incident.endsAt.getTime() < time) return false;
  return true;
}

/**
 * `GET /incidents/matching?contractId=&component=`: open incidents at the contract's building that
 * cover the component and whose time window covers now, so the PWA offers "already known — follow
 * it" before filing (seed 004).
 */
export async function listMatchingIncidents(
  deps: Deps,
  user: SessionUser,
  contractId: string,
  component?: string,
) {
  const scope = await loadCustomerScope(deps, user);
  assertCanSeeContract(scope, contractId);
  const placements = (await listContractPlacementsOfPerson(deps.db, user.personId)).filter(
    (p) => p.contractId === contractId,
  );
  const places = {
    buildingIds: [...new Set(placements.map((p) => p.buildingId))],
    estateIds: [...new Set(placements.map((p) => p.estateId))],
  };
  const now = deps.now();
  const current = (await listOpenIncidentsMatching(deps.db, places, component)).filter((incident) =>
    coversNow(incident, now),
  );
  return await toDtos(deps, user, current);
}

async function visibleIncident(deps: Deps, user: SessionUser, incidentId: string): Promise<Incident> {
  const since = new Date(deps.now().getTime() - recentlyResolvedMs);
  const incident = (await listIncidentsForPlaces(deps.db, await placesOf(deps, user), since)).find(
    (row) => row.id === incidentId,
  );
  if (!incident) throw notFound();
  return incident;
}

/** `POST /incidents/:id/follow`: updates of the incident reach the user instead of a duplicate ticket. */
export async function followIncident(
  deps: Deps,
  user: SessionUser,
  incidentId: string,
): Promise<IncidentDto> {
  const incident = await visibleIncident(deps, user, incidentId);
  await insertIncidentFollowers(deps.db, [{ incidentId, userId: user.id, createdAt: deps.now() }]);
  return (await toDtos(deps, user, [incident]))[0]!;
}

export async function unfollowIncident(
  deps: Deps,
  user: SessionUser,
  incidentId: string,
): Promise<IncidentDto> {
  const incident = await visibleIncident(deps, user, incidentId);
  await deleteIncidentFollower(deps.db, incidentId, user.id);
  return (await toDtos(deps, user, [incident]))[0]!;
}
