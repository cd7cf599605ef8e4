/**
 * Staff accounts (issue 5 item 8). A new account has no usable password: it gets a welcome mail
 * (`staff_welcome`: portal, the admin who created it, a "set your password" link — a reset token,
 * DESIGN.md "Passwords") through the outbox, in its own language, so no password is ever chosen or
 * seen by the admin. Deactivation ends every session and closes the sockets (the same bus event a
 * password reset uses). Audited.
 */
import { unitOfWork } from '../../unit-of-work/index.ts';
import { findPerson, insertPerson } from '../../../db/repositories/persons.ts';
import { insertUser, isLoginEmailTaken, updateUser } from '../../../db/repositories/users.ts';
import { deleteSessionsOfUser } from '../../../db/repositories/sessions.ts';
import {
  listAllTeamMembers,
  listStaffAccountsForAdmin,
  listTeams,
  replaceTeamsOfUser,
  updateUserRole,
} from '../../../db/repositories/admin.ts';
import type {
  AdminStaffAccountDto,
  StaffAccountCreate,
  StaffAccountPatch,
} from '../../../shared/api/staff-admin.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { conflict, notFound, validationFailed } from '../../lib/http-error.ts';
import { issueMailToken } from '../accounts/common.ts';
import { auditAdmin } from './admin-teams.ts';
import { getBranding } from './admin.ts';

export type StaffAdminDeps = Pick<Deps, 'db' | 'now' | 'config' | 'bus'>;

/** Longer than a forgotten-password link (1 h): a new colleague may open the mail days later. */
const setPasswordLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export async function listStaffForAdmin(deps: StaffAdminDeps): Promise<AdminStaffAccountDto[]> {
  const members = await listAllTeamMembers(deps.db);
  return (await listStaffAccountsForAdmin(deps.db)).map(({ user, person }) => ({
    id: user.id,
    name: [person.firstName, person.lastName].filter(Boolean).join(' ') || user.loginEmail,
    email: user.loginEmail,
    role: user.role === 'admin' ? 'admin' : 'staff',
    language: user.language,
    teamIds: members.filter((row) => row.userId === user.id).map((row) => row.teamId),
    active: user.disabledAt === null,
    passwordSet: user.passwordHash !== null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  }));
}

async function checkTeams(deps: StaffAdminDeps, teamIds: string[]): Promise<string[]> {
  const known = new Set((await listTeams(deps.db)).map((team) => team.id));
  const unique = [...new Set(teamIds)];
  if (unique.some((id) => !known.has(id))) throw validationFailed({ teamIds: 'unknown_team' });
  return unique;
}

const accountDto = async (deps: StaffAdminDeps, userId: string) =>
  (await listStaffForAdmin(deps)).find((row) => row.id === userId)!;

export async function createStaffAccount(
  deps: StaffAdminDeps,
  admin: SessionUser,
  input: StaffAccountCreate,
): Promise<AdminStaffAccountDto> {
  const email = input.email.toLowerCase();
  const teamIds = await checkTeams(deps, input.teamIds);
  if (await isLoginEmailTaken(deps.db, email))
    throw conflict('email_taken', 'An account with this e-mail address exists already.');
  const now = deps.now();
  const portal = (await getBranding(deps)).name;
  const creator = await findPerson(deps.db, admin.personId);
  const adminName = [creator?.firstName, creator?.lastName].filter(Boolean).join(' ') || admin.loginEmail;
  const userId = await unitOfWork(deps, async ({ tx, record }) => {
    const person = await insertPerson(tx, {
      kind: 'natural',
      firstName: input.firstName,
      lastName: input.lastName,
      email,
      language: input.language,
      createdAt: now,
    });
    const user = await insertUser(tx, {
      personId: person.id,
      loginEmail: email,
      passwordHash: null,
      role: input.role,
      language: input.language,
      createdAt: now,
    });
    await replaceTeamsOfUser(tx, user.id, teamIds);
    const link = await issueMailToken(tx, user.id, 'reset_password', now, setPasswordLifetimeMs, email);
    record({
      type: 'staff.account_created',
      to: {
        address: email,
        userId: user.id,
        language: input.language,
        name: `${input.firstName} ${input.lastName}`,
      },
      portal,
      admin: adminName,
      setPassword: {
        // The reset page sets the first password too: one token kind, one page to keep safe.
        url: `${deps.config.publicUrl}/reset-password?token=${link.token}`,
        expiresAt: link.expiresAt,
      },
      at: now,
    });
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.staff_created',
      { type: 'user', id: user.id },
      {
        role: input.role,
        teamIds,
      },
    );
    return user.id;
  });
  return await accountDto(deps, userId);
}

export async function changeStaffAccount(
  deps: StaffAdminDeps,
  admin: SessionUser,
  userId: string,
  patch: StaffAccountPatch,
): Promise<AdminStaffAccountDto> {
  const target = (await listStaffAccountsForAdmin(deps.db)).find((row) => row.user.id === userId);
  // Customers' ids answer like missing ones: this console manages staff accounts only.
  if (!target) throw notFound();
  if (userId === admin.id && patch.active === false)
    throw conflict('cannot_deactivate_self', 'You cannot deactivate your own account.');
  if (userId === admin.id && patch.role === 'staff')
    throw conflict('cannot_demote_self', 'You cannot take away your own admin role.');
  const teamIds = patch.teamIds && (await checkTeams(deps, patch.teamIds));
  const deactivate = patch.active === false && target.user.disabledAt === null;
  const now = deps.now();
  await unitOfWork(deps, async ({ tx, record }) => {
    if (patch.role && patch.role !== target.user.role) await updateUserRole(tx, userId, patch.role);
    if (teamIds) await replaceTeamsOfUser(tx, userId, teamIds);
    if (deactivate) {
      await updateUser(tx, userId, { disabledAt: now });
      await deleteSessionsOfUser(tx, userId);
    }
    if (patch.active === true && target.user.disabledAt !== null)
      await updateUser(tx, userId, { disabledAt: null });
    await auditAdmin(tx, deps, admin, 'admin.staff_changed', { type: 'user', id: userId }, { ...patch });
    // Other teams or another role: the account's open sockets move to the rooms of its new scope.
    if (!deactivate && (teamIds || (patch.role && patch.role !== target.user.role)))
      record({ type: 'access.changed', userIds: [userId] });
  });
  if (deactivate) deps.bus.publish('user.sessions.revoked', { userId });
  return await accountDto(deps, userId);
}
