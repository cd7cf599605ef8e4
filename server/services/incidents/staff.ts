import {
  findIncident,
  findTicketIdsByNumbers,
  insertIncident,
  insertIncidentUpdates,
  listIncidentsForStaff,
  listTicketsOfIncidents,
  updateIncident,
  type Incident,
} from '../../../db/repositories/incidents.ts';
import { findBuildingPlace } from '../../../db/repositories/notices.ts';
import { subjectFor } from '../../../shared/ticket-subject.ts';
import type { BroadcastReachDto } from '../../../shared/api/broadcast-reach.ts';
import type {
  StaffIncidentAttach,
  StaffIncidentCreate,
  StaffIncidentDto,
  StaffIncidentReach,
  StaffIncidentUpdate,
} from '../../../shared/api/staff-incidents.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { conflict, notFound } from '../../domain/errors.ts';
import { incidentAudience } from '../../notify/domain.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import { countDeliveries } from '../../notify/outbox.ts';
import { loadStaffScope, loadVisibleTicket, staffScopeCovers } from '../tickets/index.ts';
import { withCommonFields } from './tenant.ts';
import { linkIncident } from '../tickets/staff-links.ts';
import { placeFilterOf, resolveStaffPlace, type StaffPlace } from '../notices/staff.ts';

const placeOf = (incident: Incident): StaffPlace => ({
  kind: incident.scope,
  estateId: incident.estateId,
  buildingId: incident.buildingId,
  unitIds: [],
});

/** `locale`: the reader's, for the attached tickets' subjects (issue 15 item 3). */
async function toDtos(deps: Deps, rows: Incident[], locale: string): Promise<StaffIncidentDto[]> {
  const tickets = await listTicketsOfIncidents(
    deps.db,
    rows.map((row) => row.id),
  );
  return (await withCommonFields(deps, rows)).map(({ incident, common }) => ({
    ...common,
    scope: {
      kind: incident.scope,
      ids: [(incident.scope === 'estate' ? incident.estateId : incident.buildingId) ?? ''],
    },
    tickets: tickets
      .filter((t) => t.incidentId === incident.id)
      .map((ticket) => ({ id: ticket.id, number: ticket.number, subject: subjectFor(ticket, locale) })),
  }));
}

/** The incident if its place lies in the staff scope; otherwise the same 404 as a missing id. */
async function manageableIncident(deps: Deps, user: SessionUser, incidentId: string): Promise<Incident> {
  const incident = await findIncident(deps.db, incidentId);
  if (!incident) throw notFound();
  const scope = await loadStaffScope(deps.db, user);
  const covered =
    incident.scope === 'estate'
      ? scope.estateIds === null ||
        scope.buildingIds === null ||
        (incident.estateId !== null && scope.estateIds.includes(incident.estateId))
      : incident.buildingId !== null &&
        staffScopeCovers(scope, {
          buildingId: incident.buildingId,
          estateId: (await findBuildingPlace(deps.db, incident.buildingId))?.estateId ?? null,
        });
  if (!covered) throw notFound();
  return incident;
}

export async function listStaffIncidents(deps: Deps, user: SessionUser): Promise<StaffIncidentDto[]> {
  return await toDtos(
    deps,
    await listIncidentsForStaff(deps.db, await loadStaffScope(deps.db, user)),
    user.language,
  );
}

/**
 * `POST /staff/incidents/reach`: how many people "publish and notify" would reach per channel, by
 * the same selection `createStaffIncident` queues with. A place outside the scope is 404.
 */
export async function countIncidentReach(
  deps: Deps,
  user: SessionUser,
  input: StaffIncidentReach,
): Promise<BroadcastReachDto> {
  const place = await resolveStaffPlace(deps.db, await loadStaffScope(deps.db, user), input.scope);
  return await countDeliveries(
    deps.db,
    await incidentAudience(deps.db, {
      kind: input.kind,
      scope: placeFilterOf(place),
      now: deps.now(),
      timeZone: deps.config.timeZone,
    }),
  );
}

/**
 * `POST /staff/incidents`: the incident, its `incident.published` event and the notification rows
 * commit together. An emergency pushes and texts everyone in scope whatever their choices (seed
 * 004 water leak by SMS, seed 002 building outage push; rules in notify/recipients.ts).
 */
export async function createStaffIncident(
  deps: Deps,
  user: SessionUser,
  input: StaffIncidentCreate,
): Promise<StaffIncidentDto> {
  const place = await resolveStaffPlace(deps.db, await loadStaffScope(deps.db, user), input.scope);
  const now = deps.now();
  const incident = await unitOfWork(deps, async ({ tx, record }) => {
    const incident = await insertIncident(tx, {
      title: input.title,
      body: input.body,
      kind: input.kind,
      scope: input.scope.kind,
      estateId: place.estateId,
      buildingId: place.buildingId,
      component: input.component ?? null,
      startsAt: input.startsAt ? new Date(input.startsAt) : null,
      endsAt: input.endsAt ? new Date(input.endsAt) : null,
      createdByUserId: user.id,
      createdAt: now,
    });
    record({ type: 'incident.published', incident, place, at: now });
    return incident;
  });
  return (await toDtos(deps, [incident], user.language))[0]!;
}

/** `POST /staff/incidents/:id/updates`: a progress line, optionally resolving or reopening. */
export async function postIncidentUpdate(
  deps: Deps,
  user: SessionUser,
  incidentId: string,
  input: StaffIncidentUpdate,
): Promise<StaffIncidentDto> {
  const incident = await manageableIncident(deps, user, incidentId);
  const now = deps.now();
  const updated = await unitOfWork(deps, async ({ tx, record }) => {
    await insertIncidentUpdates(tx, [
      { incidentId, body: input.body, createdByUserId: user.id, createdAt: now },
    ]);
    const status = input.status ?? incident.status;
    const updated =
      status === incident.status
        ? incident
        : await updateIncident(tx, incidentId, { status, resolvedAt: status === 'resolved' ? now : null });
    record({ type: 'incident.updated', incident: updated, place: placeOf(updated) });
    return updated;
  });
  return (await toDtos(deps, [updated], user.language))[0]!;
}

/** `POST /staff/incidents/:id/close`: resolved; tenants keep seeing it for a week ("water is back"). */
export async function closeIncident(
  deps: Deps,
  user: SessionUser,
  incidentId: string,
): Promise<StaffIncidentDto> {
  const incident = await manageableIncident(deps, user, incidentId);
  if (incident.status === 'resolved') throw conflict('already_closed', 'This incident is closed already.');
  const now = deps.now();
  const updated = await unitOfWork(deps, async ({ tx, record }) => {
    const updated = await updateIncident(tx, incidentId, { status: 'resolved', resolvedAt: now });
    record({ type: 'incident.updated', incident: updated, place: placeOf(updated) });
    return updated;
  });
  return (await toDtos(deps, [updated], user.language))[0]!;
}

/**
 * `POST /staff/incidents/:id/tickets`: attaches tickets filed for the same thing (seed 004
 * "related tickets"). Every ticket must be in scope, else 404 and nothing is attached.
 */
export async function attachTickets(
  deps: Deps,
  user: SessionUser,
  incidentId: string,
  input: StaffIncidentAttach,
): Promise<StaffIncidentDto> {
  await manageableIncident(deps, user, incidentId);
  const numbers = [...new Set(input.ticketNumbers ?? [])];
  const byNumber = await findTicketIdsByNumbers(deps.db, numbers);
  if (byNumber.length !== numbers.length) throw notFound();
  const ticketIds = [...new Set([...(input.ticketIds ?? []), ...byNumber.map((t) => t.id)])];
  for (const ticketId of ticketIds) await loadVisibleTicket(deps, user, ticketId);
  for (const ticketId of ticketIds) await linkIncident(deps, user, ticketId, incidentId);
  return (await toDtos(deps, [(await findIncident(deps.db, incidentId))!], user.language))[0]!;
}
