import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/api/live.ts';
import { isAllowedOrigin } from '../auth/origin.ts';
import { sessionTokenOf } from '../auth/cookies.ts';
import { validateSessionToken } from '../auth/sessions.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { busOf, type DomainEvents } from '../events/bus.ts';
import { registerHandlers, type LiveSocket, type SocketData } from './handlers.ts';
import { maxLivePacketBytes, maxSocketsPerSession, socketEventLimiter } from './limits.ts';
import { storageConditionOf } from '../lib/storage-errors.ts';
import { customerViewOnly, roomsOf, staffRoomsFor, toWire } from './audience.ts';
import { accessChangeOf, parseRoom, rooms } from './rooms.ts';
import { LogFeed, defaultLogFeedOptions, type LogFeedOptions } from './log-feed.ts';
import { trackViewers } from '../services/tickets/staff-viewers.ts';
import { findAccountByUserId } from '../../db/repositories/users.ts';
import { metricsOf } from '../lib/metrics.ts';
import type { ScaleOut } from '../scale/redis.ts';

/** Between instances (through the adapter): an instance committed event-log rows up to `lastId`. */
interface InterServerEvents {
  'log.appended': (lastId: number) => void;
}

export type LiveServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Realtime {
  io: LiveServer;
  /** Closes every socket of a session (logout). */
  disconnectSession(sessionId: string): void;
  /** Closes every socket of a user except one session's (password change keeps the current one). */
  disconnectUser(userId: string, exceptSessionId?: string): void;
  close(): Promise<void>;
}

/**
 * Sends committed log rows to this instance's sockets that may see them (rooms: see audience.ts).
 * Only this instance's: every instance sends the log to its own sockets in id order (log-feed.ts).
 */
function emitCommitted(server: LiveServer, { events, tickets = [] }: DomainEvents['log.committed']): void {
  const io = server.local;
  const placements = new Map(tickets.map((ticket) => [ticket.ticketId, ticket]));
  for (const event of events) {
    const wire = toWire(event);
    const room = parseRoom(event.room);
    if (room?.kind === 'ticket' || room?.kind === 'staff-ticket') {
      const ticket = placements.get(room.id);
      const staff = ticket ? staffRoomsFor(ticket) : [rooms.staffScopeAll()];
      if (room.kind === 'staff-ticket') {
        // Staff-only rows (internal notes, the staff view of a change): never a customer's room.
        io.to(staff).emit('event', wire);
        continue;
      }
      if (event.type === 'ticket.created' && ticket) {
        // A new ticket: its creator's and household's sockets start following it.
        io.in(rooms.user(ticket.createdByUserId)).socketsJoin(event.room);
        if (ticket.contractId) io.in(rooms.contract(ticket.contractId)).socketsJoin(event.room);
      }
      // A change reaches staff as its staff view (the `staff-ticket:` row of the same change).
      if (customerViewOnly(event)) io.to(event.room).emit('event', wire);
      else io.to(event.room).to(staff).emit('event', wire);
    } else if (room?.kind === 'building') {
      io.to(event.room).to(rooms.staffBuilding(room.id)).to(rooms.staffScopeAll()).emit('event', wire);
    } else if (room?.kind === 'estate') {
      io.to(event.room).to(rooms.staffEstate(room.id)).to(rooms.staffScopeAll()).emit('event', wire);
    } else {
      io.to(event.room).emit('event', wire);
    }
  }
}

/**
 * With Redis, broadcasts, room joins and leaves, disconnects and fetches reach the sockets of every
 * instance through one Redis stream (`@socket.io/redis-streams-adapter`, keys under `portier:`).
 * Connection-state recovery is not switched on: the resync protocol (API.md "Live") is the
 * guarantee, also across a Redis restart, and the adapter would keep its sessions in Redis if it
 * ever were (`sessionKeyPrefix`).
 */
function adapterOptions(redis: ScaleOut | undefined): Partial<ServerOptions> {
  if (!redis) return {};
  return {
    adapter: createAdapter(redis.liveClient, {
      streamName: redis.key('live'),
      channelPrefix: redis.key('live'),
      sessionKeyPrefix: redis.key('live-session:'),
      // Live payloads are JSON: no binary scan per packet.
      onlyPlaintext: true,
    }),
  };
}

/**
 * The live layer (API.md "Live"), on the same HTTP server as the API. The handshake needs an
 * allowed Origin (CSWSH defence, the Lucia guide's CSRF rule applied to WebSockets) and a valid
 * `portier_session` cookie; rooms are joined only after that.
 */
export function attachRealtime(
  httpServer: HttpServer,
  deps: Deps,
  options: { logFeed?: LogFeedOptions } = {},
): Realtime {
  const io: LiveServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    maxHttpBufferSize: maxLivePacketBytes,
    ...adapterOptions(deps.redis),
  });
  const metrics = metricsOf(deps);
  metrics.liveSockets = () => io.of('/').sockets.size;
  const socketsBySession = new Map<string, Set<LiveSocket>>();
  const limiter = socketEventLimiter(deps.config.liveEventLimit);

  // Issue 13 finding 1: a throw in a handshake middleware became an unhandled rejection inside
  // Socket.IO and ended the process. Every step here refuses instead of throwing.
  io.use((socket, next) => void handshake(socket, next));
  async function handshake(socket: LiveSocket, next: (error?: Error) => void): Promise<void> {
    try {
      const headers = socket.handshake.headers;
      if (!isAllowedOrigin(deps.config, headers.origin)) return next(new Error('origin_mismatch'));
      const valid = await validateSessionToken(deps.db, sessionTokenOf(headers.cookie), deps.now());
      if (!valid) return next(new Error('unauthenticated'));
      // Counted per instance, also with Redis: a session's sockets on other instances are not
      // looked up on every handshake (the cap stops a script, not a browser with many tabs).
      if ((socketsBySession.get(valid.session.id)?.size ?? 0) >= maxSocketsPerSession)
        return next(new Error('too_many_connections'));
      socket.data = { user: valid.user, sessionId: valid.session.id };
      next();
    } catch (error) {
      if (!storageConditionOf(error)) console.error('live handshake failed', error);
      next(new Error(storageConditionOf(error) ? 'storage_unavailable' : 'handshake_failed'));
    }
  }

  io.on('connection', async (socket: LiveSocket) => {
    try {
      const { user, sessionId } = socket.data;
      // Revocation rooms first, before anything can await: logout and password changes find the
      // socket through them on every instance.
      void socket.join([rooms.session(sessionId), rooms.account(user.id)]);
      let set = socketsBySession.get(sessionId);
      if (!set) socketsBySession.set(sessionId, (set = new Set()));
      set.add(socket);
      socket.on('disconnect', () => {
        set.delete(socket);
        if (set.size === 0) socketsBySession.delete(sessionId);
        limiter.forget(socket);
      });
      let joined = () => {};
      const roomsJoined = new Promise<void>((resolve) => (joined = resolve));
      registerHandlers(deps, socket, limiter, roomsJoined);
      await socket.join(await roomsOf(deps, user));
      joined();
    } catch (error) {
      // Rooms could not be worked out (the database is busy or gone): no half-joined socket.
      if (!storageConditionOf(error)) console.error('live connection failed', error);
      socket.disconnect(true);
    }
  });

  // Through rooms, so the adapter carries them to every instance (a logout on A closes B's sockets).
  const disconnectSession = (sessionId: string) => {
    io.in(rooms.session(sessionId)).disconnectSockets(true);
  };
  const disconnectUser = (userId: string, exceptSessionId?: string) => {
    const sockets = io.in(rooms.account(userId));
    (exceptSessionId ? sockets.except(rooms.session(exceptSessionId)) : sockets).disconnectSockets(true);
  };
  /** Rooms a socket keeps whatever its access: its own id and the revocation rooms. */
  const fixedRooms = (socket: { id: string; data: SocketData }) => [
    socket.id,
    rooms.session(socket.data.sessionId),
    rooms.account(socket.data.user.id),
  ];

  /**
   * Rooms follow access: leave what the user lost, join what they gained; the socket stays. The
   * role is read again too (an admin made staff keeps the socket, not the admin's scope). Role and
   * rooms are worked out once per user, however many tabs and phones they have open.
   */
  const refreshAccess = async (userIds: string[]) => {
    const fresh = new Map<string, { user: SessionUser; rooms: Set<string> }>();
    const accessOf = async (user: SessionUser) => {
      let access = fresh.get(user.id);
      if (!access) {
        const role = (await findAccountByUserId(deps.db, user.id))?.user.role ?? user.role;
        const updated = { ...user, role };
        fresh.set(user.id, (access = { user: updated, rooms: new Set(await roomsOf(deps, updated)) }));
      }
      return access;
    };
    // This instance's sockets of these users, found through their account rooms rather than by
    // looking at every socket: every instance reads the change from the log (`send` below).
    const local = io.of('/');
    const socketIds = userIds.flatMap((id) => [...(local.adapter.rooms.get(rooms.account(id)) ?? [])]);
    for (const socketId of socketIds) {
      const socket = local.sockets.get(socketId);
      if (!socket) continue;
      const { user, rooms: fresh } = await accessOf(socket.data.user);
      socket.data.user = user;
      const keep = new Set([...fixedRooms(socket), ...fresh]);
      for (const room of socket.rooms) if (!keep.has(room)) void socket.leave(room);
      void socket.join([...fresh]);
    }
  };

  // Deliveries and access refreshes in the order of the log: a step waits for the one queued before
  // it (a refresh reads the store), and runs at once when none is.
  let tail: Promise<void> | null = null;
  const inOrder = (step: () => void | Promise<void>) => {
    const started = tail ? tail.then(step) : step();
    if (!started) return;
    const current: Promise<void> = started
      .catch((error: unknown) => console.error('live update failed', error))
      .finally(() => {
        if (tail === current) tail = null;
      });
    tail = current;
  };

  const bus = busOf(deps);
  // The workspace lists who is viewing a ticket: follow presence from the first socket on,
  // not only from the first staff HTTP request after a restart.
  trackViewers(deps);
  /**
   * Committed rows in id order to this instance's sockets. An access row of the log (a change of
   * who may see what, `rooms.access`) moves the sockets of its users first; the rows after it wait
   * for that. Every instance reads the same rows in the same order, so each moves its own sockets
   * before anything committed after the change reaches them.
   */
  const send = (committed: DomainEvents['log.committed']) => {
    const { events } = committed;
    let start = 0;
    const flush = (end: number) => {
      const part = events.slice(start, end);
      if (part.length > 0) inOrder(() => emitCommitted(io, { ...committed, events: part }));
    };
    events.forEach((event, index) => {
      const userIds = accessChangeOf(event);
      if (!userIds) return;
      flush(index);
      start = index + 1;
      inOrder(() => refreshAccess(userIds));
    });
    flush(events.length);
    const last = events.at(-1);
    if (last && last.id > metrics.lastLiveEventId) metrics.lastLiveEventId = last.id;
  };
  // One instance: the rows of each commit as they come (units commit one after another). Several
  // (Redis): each instance reads the log in id order for its own sockets and tells the others.
  const feed = deps.redis ? new LogFeed(deps, send, options.logFeed ?? defaultLogFeedOptions) : null;
  if (feed) {
    void feed.start();
    io.on('log.appended', (lastId) => feed.appended(lastId));
  }
  const unsubscribe = [
    bus.on('log.committed', (payload) => {
      if (!feed) return send(payload);
      feed.committed(payload);
      const last = payload.events.at(-1);
      // The other instances read up to here.
      if (last) io.serverSideEmit('log.appended', last.id);
    }),
    bus.on('ticket.ephemeral', ({ ticket, type, data, fromSessionId }) => {
      // Typing and presence: id 0, not stored, only to sockets that may see the ticket; not back
      // to the sender's own session (on any instance).
      const except = fromSessionId ? [rooms.session(fromSessionId)] : [];
      io.to(rooms.ticket(ticket.ticketId))
        .to(staffRoomsFor(ticket))
        .except(except)
        .emit('event', { id: 0, type, data });
    }),
    bus.on('session.revoked', ({ sessionId }) => disconnectSession(sessionId)),
    bus.on('user.sessions.revoked', ({ userId, exceptSessionId }) => disconnectUser(userId, exceptSessionId)),
  ];

  return {
    io,
    disconnectSession,
    disconnectUser,
    async close() {
      for (const off of unsubscribe) off();
      await feed?.stop();
      metrics.liveSockets = () => 0;
      // Only this instance's sockets (with Redis, io.disconnectSockets would close every instance's).
      for (const socket of io.of('/').sockets.values()) socket.disconnect(true);
      // io.close() also closes the HTTP server it is attached to.
      await io.close();
    },
  };
}
