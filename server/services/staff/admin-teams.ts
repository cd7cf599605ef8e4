/**
 * Teams and their scopes (issue 5 item 8). Scopes are read on every request
 * (services/tickets/visibility.ts), so a change here limits or widens what the members see at once;
 * `access.changed` moves their open sockets into the rooms of the new scope (server/realtime).
 * Every change is audited with the admin's id in the same transaction.
 */
import { unitOfWork } from '../../unit-of-work/index.ts';
import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import { findTeam } from '../../../db/repositories/staff.ts';
import {
  countTeamDependents,
  deleteTeam,
  findUsersByIds,
  insertTeam,
  listAllTeamMembers,
  listAllTeamScopes,
  listBuildingsForAdmin,
  listEstatesForAdmin,
  listMemberIdsOfTeam,
  listTeams,
  renameTeam,
  replaceTeamMembers,
  replaceTeamScopes,
} from '../../../db/repositories/admin.ts';
import type { Tx } from '../../../db/transaction.ts';
import type {
  AdminTeamDto,
  AdminTeamsDto,
  TeamInput,
  TeamMembersInput,
  TeamScopesInput,
} from '../../../shared/api/staff-admin.ts';
import type { SessionUser } from '../../lib/context.ts';
import { conflict, notFound, validationFailed } from '../../lib/http-error.ts';
import type { AdminDeps, AdminWriteDeps } from './admin.ts';

/** Changes to members and scopes are `access.changed` events of their unit of work. */
type TeamDeps = AdminWriteDeps;

export async function auditAdmin(
  tx: Tx,
  deps: AdminDeps,
  admin: SessionUser,
  action: string,
  entity: { type: string; id: string },
  data: Record<string, unknown>,
): Promise<void> {
  await insertAuditEntry(tx, {
    actorUserId: admin.id,
    action,
    entityType: entity.type,
    entityId: entity.id,
    data,
    createdAt: deps.now(),
  });
}

/** Three queries for the whole page (no query per team). */
export async function listTeamsForAdmin(deps: AdminDeps): Promise<AdminTeamsDto> {
  const estates = (await listEstatesForAdmin(deps.db)).map((e) => ({
    id: e.id,
    label: `${e.name} (${e.city})`,
  }));
  const buildings = (await listBuildingsForAdmin(deps.db)).map((b) => ({
    id: b.id,
    estateId: b.estateId,
    label: `${b.street} ${b.houseNumber}, ${b.city}`,
  }));
  const labels = new Map([...estates, ...buildings].map((row) => [row.id, row.label]));
  const members = await listAllTeamMembers(deps.db);
  const scopes = await listAllTeamScopes(deps.db);
  const teams = (await listTeams(deps.db)).map((team): AdminTeamDto => ({
    id: team.id,
    name: team.name,
    memberIds: members.filter((row) => row.teamId === team.id).map((row) => row.userId),
    scopes: scopes
      .filter((row) => row.teamId === team.id)
      .map((row) => {
        if (row.kind === 'all') return { kind: 'all', label: '' };
        const id = (row.kind === 'estate' ? row.estateId : row.buildingId) ?? '';
        return { kind: row.kind, id, label: labels.get(id) ?? id };
      }),
  }));
  return { teams, estates, buildings };
}

const teamDto = async (deps: AdminDeps, teamId: string): Promise<AdminTeamDto> =>
  (await listTeamsForAdmin(deps)).teams.find((team) => team.id === teamId)!;

async function existingTeam(deps: AdminDeps, teamId: string) {
  const team = await findTeam(deps.db, teamId);
  if (!team) throw notFound();
  return team;
}

export async function createTeam(
  deps: AdminWriteDeps,
  admin: SessionUser,
  input: TeamInput,
): Promise<AdminTeamDto> {
  const id = await unitOfWork(deps, async ({ tx }) => {
    const team = await insertTeam(tx, { name: input.name, createdAt: deps.now() });
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.team_created',
      { type: 'team', id: team.id },
      { name: input.name },
    );
    return team.id;
  });
  return await teamDto(deps, id);
}

export async function changeTeam(
  deps: AdminWriteDeps,
  admin: SessionUser,
  teamId: string,
  input: TeamInput,
): Promise<AdminTeamDto> {
  const team = await existingTeam(deps, teamId);
  await unitOfWork(deps, async ({ tx }) => {
    await renameTeam(tx, teamId, input.name);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.team_renamed',
      { type: 'team', id: teamId },
      {
        from: team.name,
        to: input.name,
      },
    );
  });
  return await teamDto(deps, teamId);
}

/**
 * Refused with 409 `team_in_use` while the team has members, tickets (closed ones too: they keep
 * their team) or ticket types routing to it, with the counts, so the admin knows what to move
 * first (issue 15 item 8; before, the foreign keys made it a 500).
 */
export async function removeTeam(deps: TeamDeps, admin: SessionUser, teamId: string): Promise<void> {
  const team = await existingTeam(deps, teamId);
  const { routedTypes, tickets, members: memberCount } = await countTeamDependents(deps.db, teamId);
  if (routedTypes > 0 || tickets > 0 || memberCount > 0)
    throw conflict(
      'team_in_use',
      `Move ${memberCount} members, ${tickets} tickets and ${routedTypes} ticket types to another team first.`,
      { members: memberCount, tickets, ticketTypes: routedTypes },
    );
  await unitOfWork(deps, async ({ tx, record }) => {
    const members = await listMemberIdsOfTeam(tx, teamId);
    await deleteTeam(tx, teamId);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.team_deleted',
      { type: 'team', id: teamId },
      { name: team.name },
    );
    record({ type: 'access.changed', userIds: members });
  });
}

/** Members must be staff or admin accounts: a tenant in a team would see the service desk. */
export async function setTeamMembers(
  deps: TeamDeps,
  admin: SessionUser,
  teamId: string,
  input: TeamMembersInput,
): Promise<AdminTeamDto> {
  await existingTeam(deps, teamId);
  const userIds = [...new Set(input.userIds)];
  const found = await findUsersByIds(deps.db, userIds);
  const staffIds = new Set(found.filter((u) => u.role !== 'customer').map((u) => u.id));
  if (userIds.some((id) => !staffIds.has(id))) throw validationFailed({ userIds: 'not_staff' });
  await unitOfWork(deps, async ({ tx, record }) => {
    const before = await listMemberIdsOfTeam(tx, teamId);
    await replaceTeamMembers(tx, teamId, userIds);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.team_members_changed',
      { type: 'team', id: teamId },
      { userIds },
    );
    // Those who left lose the team's rooms, those who joined gain them.
    record({ type: 'access.changed', userIds: [...new Set([...before, ...userIds])] });
  });
  return await teamDto(deps, teamId);
}

export async function setTeamScopes(
  deps: TeamDeps,
  admin: SessionUser,
  teamId: string,
  input: TeamScopesInput,
): Promise<AdminTeamDto> {
  await existingTeam(deps, teamId);
  const estateIds = new Set((await listEstatesForAdmin(deps.db)).map((e) => e.id));
  const buildingIds = new Set((await listBuildingsForAdmin(deps.db)).map((b) => b.id));
  input.scopes.forEach((scope, index) => {
    if (scope.kind === 'estate' && !estateIds.has(scope.id))
      throw validationFailed({ [`scopes.${index}.id`]: 'unknown_estate' });
    if (scope.kind === 'building' && !buildingIds.has(scope.id))
      throw validationFailed({ [`scopes.${index}.id`]: 'unknown_building' });
  });
  const unique = new Map(input.scopes.map((s) => [`${s.kind}:${'id' in s ? s.id : ''}`, s]));
  const rows = [...unique.values()].map((scope) => ({
    kind: scope.kind,
    estateId: scope.kind === 'estate' ? scope.id : null,
    buildingId: scope.kind === 'building' ? scope.id : null,
  }));
  await unitOfWork(deps, async ({ tx, record }) => {
    await replaceTeamScopes(tx, teamId, rows);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.team_scopes_changed',
      { type: 'team', id: teamId },
      {
        scopes: [...unique.values()],
      },
    );
    record({ type: 'access.changed', userIds: await listMemberIdsOfTeam(tx, teamId) });
  });
  return await teamDto(deps, teamId);
}
