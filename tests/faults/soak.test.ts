import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type { ClientSocket } from '../helpers/live.ts';
import { ack, connected } from '../helpers/live.ts';
import {
  api,
  freePort,
  inBatches,
  login,
  socketTo,
  startServerProcess,
  type ServerProcess,
} from './helpers/server-process.ts';

/*
 * Issue 7: "a 10-minute soak with 2,000 sockets (opt-in flag) shows no memory growth beyond 10 %".
 * Opt-in because it takes the machine for ten minutes: `npm run test:faults -- --soak` (or SOAK=1);
 * SOAK_MINUTES shortens it. Most sockets idle; one in a hundred is chatty (typing every 20 s), and
 * a message goes out every 2 s. The demo has two tenants to share the sockets, so every typing and
 * message event fans out to 1,000 sockets, all received by this one test process. The
 * server's resident set is sampled every 10 s; after the warm-up (a fifth of the run) the mean of
 * the last three samples may exceed the mean of the first three by at most 10 %.
 */

const soak = process.env.SOAK === '1';
const minutes = Number(process.env.SOAK_MINUTES ?? '10');
const socketCount = Number(process.env.SOAK_SOCKETS ?? '2000');
const sessionsPerUser = 10;
const sampleEveryMs = 10_000;
const users = ['tenant', 'neighbour'] as const;

function residentKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]);
}

const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe.skipIf(!soak)('soak: 2,000 sockets (opt-in: npm run test:faults -- --soak, or SOAK=1)', () => {
  // Made in the test, not here: a skipped suite still runs this body but never its afterAll.
  let dataDir: string | undefined;
  let server: ServerProcess | undefined;
  const sockets: ClientSocket[] = [];

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    `keeps the server's memory within 10 % over ${minutes} min`,
    async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'portier-faults-soak-'));
      const port = await freePort();
      server = await startServerProcess({ dataDir, port, demo: true });
      const { url, pid } = server;
      const sessions = await inBatches([...Array(users.length * sessionsPerUser).keys()], 4, async (i) => {
        const token = await login(url, DEMO_LOGINS[users[i % 2]!], DEMO_PASSWORD);
        const { ticket } = await api<{ ticket: { id: string } }>(url, token, '/api/tickets', {
          type: 'general_correspondence',
          fields: { correspondence_topic: 'noise' },
          description: `Soak ticket ${i}`,
          clientId: `fault-soak-ticket-${i}`,
        });
        return { token, ticketId: ticket.id };
      });

      let received = 0;
      const disconnects: string[] = [];
      const ticketOf = new Map<ClientSocket, string>();
      await inBatches([...Array(socketCount).keys()], 50, async (i) => {
        const session = sessions[i % sessions.length]!;
        const socket = socketTo(url, session.token);
        socket.on('event', () => received++);
        socket.on('disconnect', (reason) => disconnects.push(reason));
        await connected(socket);
        sockets.push(socket);
        ticketOf.set(socket, session.ticketId);
      });
      expect(sockets.length).toBe(socketCount);

      const chatty = sockets.filter((_, i) => i % 100 === 0);
      let sent = 0;
      let failures = 0;
      const typing = setInterval(() => {
        for (const socket of chatty) socket.emit('typing', { ticketId: ticketOf.get(socket)! });
      }, 20_000);
      const messages = setInterval(() => {
        const socket = chatty[sent % chatty.length]!;
        const clientId = `fault-soak-msg-${sent++}`;
        ack<{ message?: unknown }>(socket, 'message.send', {
          ticketId: ticketOf.get(socket)!,
          body: `Soak message ${clientId}`,
          clientId,
        }).then(
          (answer) => answer.message || failures++,
          () => failures++,
        );
      }, 2_000);

      const samples: { atMs: number; rssKb: number }[] = [];
      const started = Date.now();
      const durationMs = minutes * 60_000;
      try {
        while (Date.now() - started < durationMs) {
          await new Promise((resolve) => setTimeout(resolve, sampleEveryMs));
          samples.push({ atMs: Date.now() - started, rssKb: residentKb(pid) });
        }
      } finally {
        clearInterval(typing);
        clearInterval(messages);
      }

      const warmUpMs = Math.max(30_000, durationMs / 5);
      const measured = samples.filter((sample) => sample.atMs >= warmUpMs).map((sample) => sample.rssKb);
      expect(measured.length).toBeGreaterThanOrEqual(6);
      const baseline = mean(measured.slice(0, 3));
      const final = mean(measured.slice(-3));
      const growth = final / baseline - 1;
      console.info(
        `soak: ${socketCount} sockets, ${minutes} min, ${sent} messages (${failures} failed), ` +
          `${received} events received, ${disconnects.length} disconnects; RSS MB after warm-up ` +
          `${(baseline / 1024).toFixed(1)} → ${(final / 1024).toFixed(1)} (${(growth * 100).toFixed(1)} %), ` +
          `max ${(Math.max(...measured) / 1024).toFixed(1)}; samples ${samples.map((s) => Math.round(s.rssKb / 1024)).join(' ')}`,
      );
      expect(disconnects).toEqual([]);
      expect(failures).toBe(0);
      expect(growth).toBeLessThanOrEqual(0.1);
    },
    (minutes + 5) * 60_000,
  );
});
