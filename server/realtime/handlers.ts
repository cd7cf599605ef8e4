import type { Socket } from 'socket.io';
import type { z } from 'zod';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/api/live.ts';
import { socketMessageSend, socketRead, socketResync, socketTicketRef } from '../../shared/api/tickets.ts';
import type { Deps } from '../deps.ts';
import { busOf } from '../events/bus.ts';
import { placementOf } from '../events/ticket-events.ts';
import type { SessionUser } from '../lib/context.ts';
import { HttpError } from '../lib/http-error.ts';
import { storageConditionOf, storageUnavailable } from '../lib/storage-errors.ts';
import { parseWith } from '../lib/validate.ts';
import { addMessage, loadVisibleTicket, markRead } from '../services/tickets/index.ts';
import { resyncFor } from './audience.ts';

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

/** Errors become `{ error: { code, message } }` acks exactly like HTTP bodies; nothing else leaks. */
function answer<T>(ack: unknown, work: () => T): void {
  const reply = typeof ack === 'function' ? (ack as (value: T | ErrorAnswer) => void) : () => {};
  try {
    reply(work());
  } catch (error) {
    if (error instanceof HttpError) {
      reply({ error: { code: error.code, message: error.message } });
      return;
    }
    if (storageConditionOf(error)) {
      // The same answer as HTTP's 503 (issue 7): the client keeps the message and sends it again.
      const { code, message } = storageUnavailable();
      reply({ error: { code, message } });
      return;
    }
    console.error('socket handler failed', error);
    reply({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
  }
}

/**
 * Thin transport (STYLE.md 2): validate with the shared schema, call the same service as HTTP,
 * map the result. Every ticketId is checked for visibility; someone else's ticket answers
 * `not_found` and emits nothing.
 */
export function registerHandlers(deps: Deps, socket: LiveSocket): void {
  const { user, sessionId } = socket.data;
  const parse = <S extends z.ZodType>(schema: S, value: unknown) => parseWith(schema, value);

  socket.on('resync', (request, ack) =>
    answer(ack, () => resyncFor(deps, user, parse(socketResync, request).after)),
  );

  socket.on('message.send', (request, ack) =>
    answer(ack, () => {
      const { ticketId, ...input } = parse(socketMessageSend, request);
      return { message: addMessage(deps, user, ticketId, input).message };
    }),
  );

  const ephemeral = (type: 'typing' | 'presence', request: unknown, ack: unknown) =>
    answer(ack, () => {
      const { ticketId } = parse(socketTicketRef, request);
      const { ticket, staff } = loadVisibleTicket(deps, user, ticketId);
      busOf(deps).publish('ticket.ephemeral', {
        ticket: placementOf(ticket, ticket.estateId),
        type,
        // "Staff is viewing" (presence) and "… is typing": who, not the account details.
        data: { ticketId, userId: user.id, role: staff ? 'staff' : 'customer', at: deps.now().toISOString() },
        fromSessionId: sessionId,
      });
      return { ok: true as const };
    });
  socket.on('typing', (request, ack) => ephemeral('typing', request, ack));
  socket.on('viewing', (request, ack) => ephemeral('presence', request, ack));

  socket.on('read', (request, ack) =>
    answer(ack, () => {
      const { ticketId, messageId } = parse(socketRead, request);
      markRead(deps, user, ticketId, messageId);
      return { ok: true as const };
    }),
  );
}
