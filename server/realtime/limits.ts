import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { tooMany } from '../lib/http-error.ts';
import type { LiveSocket } from './handlers.ts';

/**
 * Limits on what one client may cost the live layer (issue 13 finding 11).
 *
 * - A packet is at most 64 KB, the JSON body limit of HTTP: a message body of 10,000 characters
 *   fits with room for escaping; Socket.IO's default of 1 MB let 900 KB nested payloads cost a
 *   quarter of a second of CPU each.
 * - One session (one browser) opens at most 16 sockets: tabs, a PWA window, a reconnect overlapping
 *   the old connection. More is a script.
 * - One socket sends at most `LIVE_EVENT_LIMIT` events per 10 s (default 60): typing is throttled
 *   by the app to one per 2 s, and a client far behind resyncs in pages of 500, a few requests in a
 *   row. The live benchmark raises it: its few sender sockets stand in for hundreds of tenants.
 */
export const maxLivePacketBytes = 64 * 1024;
export const maxSocketsPerSession = 16;
const windowSeconds = 10;
/** A socket that keeps sending at this many times its allowance is a flood, not a busy tab: closed. */
const floodFactor = 3;

export interface SocketEventLimiter {
  /** Resolves when the socket may send one more event; rejects with 429 `too_many_requests`. */
  admit(socket: LiveSocket): Promise<void>;
  forget(socket: LiveSocket): void;
}

/**
 * Per-socket event budget with rate-limiter-flexible's in-memory store: sockets live in one process,
 * so their counters do too (a socket on another instance has its own budget there).
 */
export function socketEventLimiter(eventsPerWindow: number): SocketEventLimiter {
  const limiter = new RateLimiterMemory({
    keyPrefix: 'socket_events',
    points: eventsPerWindow,
    duration: windowSeconds,
  });
  return {
    async admit(socket) {
      try {
        await limiter.consume(socket.id);
      } catch (outcome) {
        if (!(outcome instanceof RateLimiterRes)) throw outcome;
        if (outcome.consumedPoints >= eventsPerWindow * floodFactor) socket.disconnect(true);
        throw tooMany(Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)));
      }
    },
    forget(socket) {
      void limiter.delete(socket.id);
    },
  };
}
