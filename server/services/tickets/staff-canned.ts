import {
  deleteCannedReply,
  findCannedReply,
  findTeam,
  insertCannedReply,
  listCannedReplies,
  listTeamIdsOfUser,
  updateCannedReply,
  type CannedReply,
} from '../../../db/repositories/staff.ts';
import { findTicketPanel } from '../../../db/repositories/tickets.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import {
  fillPlaceholders,
  type CannedReplyCreate,
  type CannedReplyDto,
  type CannedReplyPatch,
} from '../../../shared/api/staff.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { forbidden, notFound } from '../../lib/http-error.ts';
import { personName } from './staff-inbox.ts';
import { loadVisibleTicket } from './visibility.ts';
import { insertAuditEntry } from '../../../db/repositories/audit.ts';

/**
 * Canned replies per team (issue 5 item 2): every member of a team uses and manages its replies;
 * replies without a team are for everybody and only admins manage them. Another team's reply
 * answers 404 like a missing one.
 */
const toDto = (reply: CannedReply): CannedReplyDto => ({
  id: reply.id,
  teamId: reply.teamId,
  title: reply.title,
  body: reply.body,
  language: reply.language,
});

const teamsOf = async (deps: Deps, user: SessionUser) =>
  user.role === 'admin' ? null : await listTeamIdsOfUser(deps.db, user.id);

async function visibleReply(deps: Deps, user: SessionUser, replyId: string): Promise<CannedReply> {
  const reply = await findCannedReply(deps.db, replyId);
  const teams = await teamsOf(deps, user);
  if (!reply || (teams !== null && reply.teamId !== null && !teams.includes(reply.teamId))) throw notFound();
  return reply;
}

async function manageableReply(deps: Deps, user: SessionUser, replyId: string): Promise<CannedReply> {
  const reply = await visibleReply(deps, user, replyId);
  if (reply.teamId === null && user.role !== 'admin') {
    throw forbidden('admin_only', 'Replies for every team are managed by admins.');
  }
  return reply;
}

async function auditReply(
  deps: Deps,
  user: SessionUser,
  action: string,
  replyId: string,
  data: Record<string, unknown>,
) {
  await insertAuditEntry(deps.db, {
    actorUserId: user.id,
    action,
    entityType: 'canned_reply',
    entityId: replyId,
    data,
    createdAt: deps.now(),
  });
}

export async function listCannedRepliesFor(deps: Deps, user: SessionUser): Promise<CannedReplyDto[]> {
  return (await listCannedReplies(deps.db, await teamsOf(deps, user))).map(toDto);
}

export async function createCannedReply(
  deps: Deps,
  user: SessionUser,
  input: CannedReplyCreate,
): Promise<CannedReplyDto> {
  if (input.teamId === null) {
    if (user.role !== 'admin') throw forbidden('admin_only', 'Replies for every team are managed by admins.');
  } else {
    const teams = await teamsOf(deps, user);
    if (!(await findTeam(deps.db, input.teamId)) || (teams !== null && !teams.includes(input.teamId)))
      throw notFound();
  }
  const now = deps.now();
  const reply = await unitOfWork(deps, async ({ tx }) => {
    const row = await insertCannedReply(tx, { ...input, language: input.language ?? null, createdAt: now });
    await insertAuditEntry(tx, {
      actorUserId: user.id,
      action: 'canned_reply.created',
      entityType: 'canned_reply',
      entityId: row.id,
      data: { title: row.title, teamId: row.teamId },
      createdAt: now,
    });
    return row;
  });
  return toDto(reply);
}

export async function patchCannedReply(
  deps: Deps,
  user: SessionUser,
  replyId: string,
  patch: CannedReplyPatch,
): Promise<CannedReplyDto> {
  await manageableReply(deps, user, replyId);
  const updated = await updateCannedReply(deps.db, replyId, { ...patch, updatedAt: deps.now() });
  if (!updated) throw notFound();
  await auditReply(deps, user, 'canned_reply.updated', replyId, { fields: Object.keys(patch) });
  return toDto(updated);
}

export async function removeCannedReply(deps: Deps, user: SessionUser, replyId: string): Promise<void> {
  const reply = await manageableReply(deps, user, replyId);
  await deleteCannedReply(deps.db, replyId);
  await auditReply(deps, user, 'canned_reply.deleted', replyId, { title: reply.title });
}

/**
 * `GET /staff/tickets/:id/canned-replies/:replyId/render`: the reply with {tenant_name},
 * {address} and {ticket_number} filled from the ticket, ready for the reply box.
 */
export async function renderCannedReply(deps: Deps, user: SessionUser, ticketId: string, replyId: string) {
  const { ticket } = await loadVisibleTicket(deps, user, ticketId);
  const reply = await visibleReply(deps, user, replyId);
  const panel = await findTicketPanel(deps.db, ticketId);
  const person = panel?.person;
  const tenantName =
    (person?.kind === 'organisation'
      ? person.organisationName
      : personName(person?.firstName ?? null, person?.lastName ?? null)) ?? '';
  const building = panel?.building;
  const address = building?.street
    ? `${building.street} ${building.houseNumber}, ${building.postalCode} ${building.city}`
    : '';
  return {
    body: fillPlaceholders(reply.body, {
      tenant_name: tenantName,
      address,
      ticket_number: ticket.number,
    }),
  };
}
