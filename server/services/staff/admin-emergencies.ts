/**
 * Admin side of emergencies (issue 15 items 6, 8): SLA targets per ticket type and priority, and
 * each team's on-call rota. New tickets read both at once; existing due dates are not recomputed
 * (a promise made to a tenant does not move because the table changed). Every change is audited.
 */
import { listAllTicketTypes } from '../../../db/repositories/admin.ts';
import {
  listActiveMemberIdsOfTeam,
  listShiftsOfTeam,
  listTicketTypeSlas,
  replaceShiftsOfTeam,
  replaceTicketTypeSlas,
  type OnCallShiftRow,
} from '../../../db/repositories/on-call.ts';
import { listRecipients } from '../../../db/repositories/notifications.ts';
import { findTeam } from '../../../db/repositories/staff.ts';
import { findTicketType } from '../../../db/repositories/tickets.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import type {
  OnCallRotaDto,
  OnCallRotaUpdate,
  OnCallShiftDto,
  SlaPrioritiesUpdate,
  SlaTableResponse,
  SlaTypeDto,
} from '../../../shared/api/emergencies.ts';
import { ticketPriorities } from '../../../shared/ticket-types.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { notFound, validationFailed } from '../../lib/http-error.ts';
import { alertAudience } from '../emergencies.ts';
import { loadBusinessHours } from '../sla.ts';
import { auditAdmin } from './admin-teams.ts';

type EmergencyDeps = Pick<Deps, 'db' | 'now' | 'config' | 'bus'>;

export async function getSlaTable(deps: Pick<Deps, 'db'>): Promise<SlaTableResponse> {
  const rows = await listTicketTypeSlas(deps.db);
  const types = (await listAllTicketTypes(deps.db)).map((type): SlaTypeDto => {
    const own = rows.filter((row) => row.typeId === type.id);
    const priorities = Object.fromEntries(
      ticketPriorities.map((priority) => {
        const row = own.find((candidate) => candidate.priority === priority);
        return [
          priority,
          row
            ? {
                firstResponseHours: row.firstResponseHours,
                resolutionHours: row.resolutionHours,
                clock: row.clock,
              }
            : null,
        ];
      }),
    ) as SlaTypeDto['priorities'];
    return {
      typeId: type.id,
      defaults: { firstResponseHours: type.slaFirstResponseHours, resolutionHours: type.slaResolutionHours },
      priorities,
    };
  });
  return { types };
}

/** `PUT /staff/admin/sla/:typeId`: every priority's targets of one type, or null for its default. */
export async function changeSlaOfType(
  deps: EmergencyDeps,
  admin: SessionUser,
  typeId: string,
  input: SlaPrioritiesUpdate,
): Promise<SlaTypeDto> {
  if (!(await findTicketType(deps.db, typeId))) throw notFound();
  const rows = ticketPriorities.flatMap((priority) => {
    const targets = input.priorities[priority];
    return targets
      ? [
          {
            typeId,
            priority,
            firstResponseHours: targets.firstResponseHours,
            resolutionHours: targets.resolutionHours,
            clock: targets.clock,
          },
        ]
      : [];
  });
  await unitOfWork(deps, async ({ tx }) => {
    await replaceTicketTypeSlas(tx, [typeId], rows);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.sla_changed',
      { type: 'ticket_type', id: typeId },
      {
        priorities: input.priorities,
      },
    );
  });
  return (await getSlaTable(deps)).types.find((type) => type.typeId === typeId)!;
}

function toShiftDto(row: OnCallShiftRow): OnCallShiftDto {
  if (row.kind === 'dates') {
    return {
      id: row.id,
      kind: 'dates',
      userId: row.userId,
      startDate: row.startDate!,
      endDate: row.endDate!,
    };
  }
  return {
    id: row.id,
    kind: 'weekly',
    userId: row.userId,
    weekday: row.weekday!,
    start: row.startTime!,
    end: row.endTime!,
  };
}

/** A team's rota, its members (who may be on call) and whom an emergency alerts right now. */
export async function getOnCallRota(deps: EmergencyDeps, teamId: string): Promise<OnCallRotaDto> {
  const team = await findTeam(deps.db, teamId);
  if (!team) throw notFound();
  const memberIds = await listActiveMemberIdsOfTeam(deps.db, teamId);
  const members = (await listRecipients(deps.db, memberIds)).map((row) => ({
    id: row.userId,
    name: [row.firstName, row.lastName].filter(Boolean).join(' ') || row.loginEmail || row.userId,
  }));
  const alertsNow = await alertAudience(deps.db, teamId, {
    now: deps.now(),
    timeZone: deps.config.timeZone,
    businessHours: await loadBusinessHours(deps.db),
  });
  return {
    teamId,
    teamName: team.name,
    shifts: (await listShiftsOfTeam(deps.db, teamId)).map(toShiftDto),
    members: members.sort((a, b) => a.name.localeCompare(b.name)),
    alertsNow,
  };
}

/** `PUT /staff/admin/teams/:id/on-call`: the whole rota; every person must be an active member. */
export async function changeOnCallRota(
  deps: EmergencyDeps,
  admin: SessionUser,
  teamId: string,
  input: OnCallRotaUpdate,
): Promise<OnCallRotaDto> {
  if (!(await findTeam(deps.db, teamId))) throw notFound();
  const members = new Set(await listActiveMemberIdsOfTeam(deps.db, teamId));
  const outsider = input.shifts.findIndex((shift) => !members.has(shift.userId));
  if (outsider >= 0) throw validationFailed({ [`shifts.${outsider}.userId`]: 'not_team_member' });
  const now = deps.now();
  const rows = input.shifts.map((shift, sort) => ({
    teamId,
    userId: shift.userId,
    kind: shift.kind,
    sort,
    createdAt: now,
    ...(shift.kind === 'weekly'
      ? { weekday: shift.weekday, startTime: shift.start, endTime: shift.end }
      : { startDate: shift.startDate, endDate: shift.endDate }),
  }));
  await unitOfWork(deps, async ({ tx }) => {
    await replaceShiftsOfTeam(tx, teamId, rows);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.on_call_changed',
      { type: 'team', id: teamId },
      { shifts: input.shifts.length },
    );
  });
  return await getOnCallRota(deps, teamId);
}
