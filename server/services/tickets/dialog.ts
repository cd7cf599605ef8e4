import { z } from 'zod';
import {
  latestStaffReadAt,
  listAttachmentsOfMessages,
  listMessagePageWithAuthorRole,
  type DialogPosition,
} from '../../../db/repositories/ticket-messages.ts';
import { entityId } from '../../../shared/api/ids.ts';
import { dialogPageSize, type DialogPageDto, type DialogPageQuery } from '../../../shared/api/tickets.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { badRequest, notFound } from '../../lib/http-error.ts';
import { toAttachmentDto } from '../uploads.ts';
import { messageWithRoleToDto } from './dto.ts';
import { isStaffUser, loadVisibleTicket } from './visibility.ts';

/**
 * The read side of a ticket's dialog, page by page: a detail carries the newest page, and
 * `…/messages?before=` the ones before it. A long dialog (over a thousand messages) is never sent
 * whole on every open.
 */

/** The cursor's content: the ticket it belongs to and the oldest message of the page it closes. */
const cursorContent = z.tuple([entityId, z.int().min(0), entityId]);

const invalidCursor = () => badRequest('invalid_cursor', 'The cursor is not valid for this ticket.');

/** Opaque to clients (base64url), but bound to its ticket and position, and checked when read. */
export function encodeDialogCursor(ticketId: string, oldest: DialogPosition): string {
  return Buffer.from(JSON.stringify([ticketId, oldest.createdAt.getTime(), oldest.id])).toString('base64url');
}

/** A cursor that does not decode, or one of another ticket, is a 400: it never reads elsewhere. */
export function decodeDialogCursor(ticketId: string, cursor: string): DialogPosition {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const content = cursorContent.safeParse(raw);
  if (!content.success || content.data[0] !== ticketId) throw invalidCursor();
  const createdAt = new Date(content.data[1]);
  if (Number.isNaN(createdAt.getTime())) throw invalidCursor();
  return { createdAt, id: content.data[2] };
}

/**
 * One page of the dialog as `reader` may see it: tenants get public messages only and no file of an
 * internal note; `ticketFiles` adds the files on the ticket itself (the detail shows them apart).
 */
export async function readDialogPage(
  deps: Deps,
  ticketId: string,
  options: { staff: boolean; before: DialogPosition | null; limit: number; ticketFiles: boolean },
): Promise<DialogPageDto> {
  const { staff, before, limit, ticketFiles } = options;
  const page = await listMessagePageWithAuthorRole(deps.db, ticketId, { publicOnly: !staff, before, limit });
  const ids = page.messages.map((message) => message.id);
  const attachments = (await listAttachmentsOfMessages(deps.db, ticketId, ids, ticketFiles))
    .filter((row) => staff || row.visibility !== 'internal')
    .map((row) => ({ ...toAttachmentDto(row), messageId: row.attachment.messageId }));
  const oldest = page.messages[0];
  return {
    messages: page.messages.map(messageWithRoleToDto),
    attachments,
    hasOlder: page.hasOlder,
    olderCursor: page.hasOlder && oldest ? encodeDialogCursor(ticketId, oldest) : null,
  };
}

async function pageFor(deps: Deps, ticketId: string, staff: boolean, query: DialogPageQuery) {
  const before = query.before ? decodeDialogCursor(ticketId, query.before) : null;
  return await readDialogPage(deps, ticketId, {
    staff,
    before,
    limit: query.limit ?? dialogPageSize,
    ticketFiles: false,
  });
}

/**
 * `GET /tickets/:id/messages`: someone else's ticket is the same 404 as a missing one; staff
 * reading through the tenant path see what they see in the console.
 */
export async function getDialogPage(
  deps: Deps,
  user: SessionUser,
  ticketId: string,
  query: DialogPageQuery,
): Promise<DialogPageDto> {
  const { staff } = await loadVisibleTicket(deps, user, ticketId);
  const page = await pageFor(deps, ticketId, staff, query);
  if (staff) return page;
  const staffReadAt = await latestStaffReadAt(deps.db, ticketId);
  return { ...page, staffReadAt: staffReadAt ? staffReadAt.toISOString() : null };
}

/** `GET /staff/tickets/:id/messages`: internal notes included, tickets outside the scope 404. */
export async function getStaffDialogPage(
  deps: Deps,
  user: SessionUser,
  ticketId: string,
  query: DialogPageQuery,
): Promise<DialogPageDto> {
  if (!isStaffUser(user)) throw notFound();
  await loadVisibleTicket(deps, user, ticketId);
  return await pageFor(deps, ticketId, true, query);
}
