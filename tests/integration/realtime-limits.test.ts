import { describe, expect, it } from 'vitest';
import type { ResyncAnswer } from '../../shared/api/live.ts';
import { maxLivePacketBytes, maxSocketsPerSession } from '../../server/realtime/limits.ts';
import { ack, connected, liveSocket, startLiveServer, waitFor, type ClientSocket } from '../helpers/live.ts';
import { staffWorld } from '../helpers/staff-world.ts';

type Answer = ResyncAnswer & { error?: { code: string } };

/** Issue 13 finding 11: what one session and one socket may cost the live layer. */
describe('live limits per session and per socket', async () => {
  const eventLimit = 20;
  const { ctx, session } = await staffWorld(['tenant'], {
    configure: (deps) => void (deps.config.liveEventLimit = eventLimit),
  });

  it(`one session opens at most ${maxSocketsPerSession} sockets; closing one makes room`, async () => {
    const server = await startLiveServer(ctx.deps);
    const sockets: ClientSocket[] = [];
    try {
      for (let i = 0; i < maxSocketsPerSession; i++) {
        const socket = liveSocket(server.url, { token: session.tenant });
        sockets.push(socket);
        await connected(socket);
      }
      const extra = liveSocket(server.url, { token: session.tenant });
      sockets.push(extra);
      await expect(connected(extra)).rejects.toThrow('too_many_connections');

      // The server frees the place when it sees the disconnect: a new socket gets in from then on.
      sockets[0]!.disconnect();
      let again: ClientSocket | null = null;
      const deadline = Date.now() + 5000;
      while (!again) {
        const socket = liveSocket(server.url, { token: session.tenant });
        sockets.push(socket);
        try {
          await connected(socket);
          again = socket;
        } catch (error) {
          expect(String(error)).toContain('too_many_connections');
          if (Date.now() > deadline) throw error;
        }
      }
      expect(again.connected).toBe(true);
    } finally {
      for (const socket of sockets) socket.close();
      await server.close();
    }
  });

  it('a socket over its event budget is answered 429, and closed when it floods', async () => {
    const server = await startLiveServer(ctx.deps);
    const socket = liveSocket(server.url, { token: session.tenant });
    try {
      await connected(socket);
      const answers = await Promise.all(
        Array.from({ length: eventLimit + 5 }, () => ack<Answer>(socket, 'resync', { after: 0 })),
      );
      expect(answers.slice(0, eventLimit).every((answer) => Array.isArray(answer.events))).toBe(true);
      expect(answers.slice(eventLimit).map((answer) => answer.error?.code)).toEqual(
        Array(5).fill('too_many_requests'),
      );
      // Keeps sending at three times its budget: a flood, not a busy tab.
      for (let i = 0; i < eventLimit * 2; i++) socket.emit('typing', { ticketId: 'x' });
      await waitFor(() => !socket.connected, 5000, 'the flooding socket is closed');
    } finally {
      socket.close();
      await server.close();
    }
  });

  it(`a packet over ${maxLivePacketBytes / 1024} KB closes that connection and nothing else`, async () => {
    const server = await startLiveServer(ctx.deps);
    const big = liveSocket(server.url, { token: session.tenant });
    const other = liveSocket(server.url, { token: session.tenant });
    try {
      await Promise.all([connected(big), connected(other)]);
      big.emit(
        'message.send',
        {
          ticketId: 'x',
          body: 'x'.repeat(maxLivePacketBytes + 1),
          clientId: 'too-big-1',
        },
        () => {},
      );
      await waitFor(() => !big.connected, 5000, 'the oversized sender is closed');
      const answer = await ack<Answer>(other, 'resync', { after: 0 });
      expect(Array.isArray(answer.events)).toBe(true);
    } finally {
      big.close();
      other.close();
      await server.close();
    }
  });
});
