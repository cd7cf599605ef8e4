import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/api/live.ts';
import { socketMessageSend, socketRead, socketResync, socketTicketRef } from '../../shared/api/tickets.ts';
import { findSessionWithUser } from '../../db/repositories/sessions.ts';
import type { Deps } from '../deps.ts';
import { busOf } from '../events/bus.ts';
import { placementOf } from '../events/projector.ts';
import type { SessionUser } from '../lib/context.ts';
import { DomainError, unauthorized } from '../domain/errors.ts';
import { storageConditionOf, storageUnavailable, textRefusedByStore } from '../lib/storage-errors.ts';
import { parseWith } from '../lib/validate.ts';
import { addMessage, loadVisibleTicket, markRead } from '../services/tickets/index.ts';
import { resyncFor } from './audience.ts';
import type { SocketEventLimiter } from './limits.ts';

export interface SocketData {
  user: SessionUser;
  sessionId: string;
}

export type LiveSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<string, never>,
  SocketData
>;

type ErrorAnswer = { error: { code: string; message: string } };
type Reply = (value: unknown) => void;

const replyOf = (ack: unknown): Reply => (typeof ack === 'function' ? (ack as Reply) : () => {});

/**
 * The one mapping of a failure to a socket ack: a domain error as the `{ error: { code, message } }`
 * HTTP would answer (app.onError maps the same errors to statuses); nothing else leaks.
 */
export function errorAnswer(error: unknown): ErrorAnswer {
  const domain = error instanceof DomainError ? error : textRefusedByStore(error);
  if (domain) return { error: { code: domain.code, message: domain.message } };
  if (storageConditionOf(error)) {
    // The same answer as HTTP's 503 (issue 7): the client keeps the message and sends it again.
    const { code, message } = storageUnavailable();
    return { error: { code, message } };
  }
  console.error('socket handler failed', error);
  return { error: { code: 'internal_error', message: 'Something went wrong on our side.' } };
}

/**
 * The account as it is now, not as it was at connect (issue 13 finding 2): a demoted admin or a
 * disabled account must not act on the rights it had when the socket opened. One indexed read,
 * the same one every HTTP request makes. A session that ended or expired closes the socket.
 */
async function currentUser(deps: Deps, socket: LiveSocket): Promise<SessionUser> {
  const row = await findSessionWithUser(deps.db, socket.data.sessionId);
  if (!row || row.session.expiresAt.getTime() <= deps.now().getTime()) {
    // After the ack is written: the client learns why before the connection goes.
    setImmediate(() => socket.disconnect(true));
    throw unauthorized('Your session has ended. Sign in again.');
  }
  socket.data.user = row.user;
  return row.user;
}

/**
 * Thin transport (STYLE.md 2): validate with the shared schema, call the same service as HTTP,
 * map the result. Every event is rate-limited per socket, decided on the account's current role
 * and scope, and every ticketId checked for visibility: someone else's ticket answers `not_found`
 * and emits nothing. No handler can throw past `handle`: a client's packet never ends the process.
 */
/**
 * `roomsJoined` settles once the socket is in its ticket and staff rooms: a resync waits for it,
 * so an event committed between the resync's read and the join reaches the socket one way or the
 * other (by the resync answer, or live through the rooms).
 */
export function registerHandlers(
  deps: Deps,
  socket: LiveSocket,
  limiter: SocketEventLimiter,
  roomsJoined: Promise<void> = Promise.resolve(),
): void {
  const parse = <S extends z.ZodType>(schema: S, value: unknown) => parseWith(schema, value);

  const handle =
    (work: (request: unknown, user: SessionUser) => unknown) =>
    (request: unknown, ack?: unknown): void => {
      const reply = replyOf(ack);
      void limiter.admit(socket).then(
        async () => {
          try {
            reply(await work(request, await currentUser(deps, socket)));
          } catch (error) {
            reply(errorAnswer(error));
          }
        },
        (error: unknown) => {
          try {
            reply(errorAnswer(error));
          } catch (replyError) {
            console.error('socket reply failed', replyError);
          }
        },
      );
    };

  socket.on(
    'resync',
    handle(async (request, user) => {
      const { after } = parse(socketResync, request);
      await roomsJoined;
      return await resyncFor(deps, user, after);
    }),
  );

  socket.on(
    'message.send',
    handle(async (request, user) => {
      const { ticketId, ...input } = parse(socketMessageSend, request);
      return { message: (await addMessage(deps, user, ticketId, input)).message };
    }),
  );

  const ephemeral = (type: 'typing' | 'presence') =>
    handle(async (request, user) => {
      const { ticketId } = parse(socketTicketRef, request);
      const { ticket, staff } = await loadVisibleTicket(deps, user, ticketId);
      busOf(deps).publish('ticket.ephemeral', {
        ticket: placementOf(ticket, ticket.estateId),
        type,
        // "Staff is viewing" (presence) and "… is typing": who, not the account details.
        data: { ticketId, userId: user.id, role: staff ? 'staff' : 'customer', at: deps.now().toISOString() },
        fromSessionId: socket.data.sessionId,
      });
      return { ok: true as const };
    });
  socket.on('typing', ephemeral('typing'));
  socket.on('viewing', ephemeral('presence'));

  socket.on(
    'read',
    handle(async (request, user) => {
      const { ticketId, messageId } = parse(socketRead, request);
      await markRead(deps, user, ticketId, messageId);
      return { ok: true as const };
    }),
  );
}
