import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { testOrigin } from '../helpers/auth.ts';
import { ack, LiveClient, waitFor } from '../helpers/live.ts';
import {
  api,
  freePort,
  inBatches,
  login,
  startServerProcess,
  type ServerProcess,
} from './helpers/server-process.ts';

/*
 * Issue 7: "`kill -9` of the server during a burst of 1,000 messages from 50 clients → after
 * restart every acknowledged message exists exactly once and clients that resync see all of them
 * in order". Durability comes from synchronous=FULL (an ack is sent after the commit is on disk),
 * exactly-once from the (author, clientId) idempotency of addMessage, order from the event log.
 */

const clientCount = 50;
const perClient = 20; // 50 × 20 = 1,000 messages
const killAfterAcks = 300;
const users = ['tenant', 'neighbour'] as const;

type SendAnswer = { message?: { id: string; clientId: string }; error?: { code: string } };
type MessageEvent = { message: { id: string; clientId: string | null; ticketId: string } };

interface BurstClient {
  index: number;
  user: (typeof users)[number];
  token: string;
  ticketId: string;
  live: LiveClient;
  sends: { ticketId: string; body: string; clientId: string }[];
  /** clientId → message id, as the acks said. */
  acked: Map<string, string>;
}

const clientIdOf = (client: number, message: number) =>
  `fault-msg-${String(client).padStart(2, '0')}-${String(message).padStart(2, '0')}`;

/** The burst messages a live client saw, in the order of the event log. */
function burstMessagesSeen(live: LiveClient): string[] {
  return live
    .ofType('message.created')
    .map((event) => (event.data as MessageEvent).message.clientId ?? '')
    .filter((clientId) => clientId.startsWith('fault-msg-'));
}

/** Each once, and each client's messages in the order it sent them. */
function expectCompleteAndOrdered(seen: string[], expected: Set<string>): void {
  expect(seen.length).toBe(expected.size);
  expect(new Set(seen)).toEqual(expected);
  const bySender = new Map<string, string[]>();
  for (const clientId of seen) {
    const sender = clientId.slice(0, -3);
    bySender.set(sender, [...(bySender.get(sender) ?? []), clientId]);
  }
  for (const sequence of bySender.values()) expect(sequence).toEqual([...sequence].sort());
}

describe('kill -9 during a burst of 1,000 messages from 50 clients', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-faults-burst-'));
  // The live helpers send the test origin; the server accepts it as a second origin.
  const env = { ALLOWED_ORIGINS: testOrigin };
  let server: ServerProcess | undefined;
  const clients: BurstClient[] = [];

  afterAll(async () => {
    for (const client of clients) client.live.disconnect();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged message exactly once; resyncing clients see all of them in order', async () => {
    const port = await freePort();
    server = await startServerProcess({ dataDir, port, demo: true, env });
    const { url } = server;

    // One session and one ticket per client; two tenants of the demo, 25 clients each.
    const tokens = await inBatches([...Array(clientCount).keys()], 4, (index) =>
      login(url, DEMO_LOGINS[users[index % 2]!], DEMO_PASSWORD),
    );
    for (const [index, token] of tokens.entries()) {
      const { ticket } = await api<{ ticket: { id: string } }>(url, token, '/api/tickets', {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'noise' },
        description: `Burst ticket ${index}`,
        clientId: `fault-burst-ticket-${index}`,
      });
      clients.push({
        index,
        user: users[index % 2]!,
        token,
        ticketId: ticket.id,
        live: new LiveClient(url, token),
        sends: Array.from({ length: perClient }, (_, m) => ({
          ticketId: ticket.id,
          body: `Burst message ${m} of client ${index}`,
          clientId: clientIdOf(index, m),
        })),
        acked: new Map(),
      });
    }
    await inBatches(clients, 10, (client) => client.live.connect());

    // The burst: every client sends its messages one after another, as a chat client does.
    let acks = 0;
    const burst = clients.map(async (client) => {
      for (const send of client.sends) {
        try {
          const answer = await ack<SendAnswer>(client.live.socket!, 'message.send', send);
          if (!answer.message) return;
          client.acked.set(send.clientId, answer.message.id);
          acks++;
        } catch {
          return; // disconnected or timed out: not acknowledged
        }
      }
    });
    await waitFor(() => acks >= killAfterAcks, 120_000, `${killAfterAcks} acks`);
    await server.kill9();
    await Promise.all(burst);
    const ackedBeforeKill = acks;
    expect(ackedBeforeKill).toBeLessThan(clientCount * perClient);

    server = await startServerProcess({ dataDir, port, env });
    const storedAtRestart = countBurstMessages(dataDir);

    // Reconnect (resync from the last id each client saw), then re-send everything not acknowledged.
    for (const client of clients) client.live.disconnect();
    await inBatches(clients, 10, (client) => client.live.connect(url));
    let resent = 0;
    await Promise.all(
      clients.map(async (client) => {
        for (const send of client.sends) {
          if (client.acked.has(send.clientId)) continue;
          const answer = await ack<SendAnswer>(client.live.socket!, 'message.send', send);
          expect(answer.message?.clientId).toBe(send.clientId);
          client.acked.set(send.clientId, answer.message!.id);
          resent++;
        }
      }),
    );
    expect(ackedBeforeKill + resent).toBe(clientCount * perClient);

    // A client whose ack got lost sends again too: the stored message comes back, no second copy.
    await Promise.all(
      clients.map(async (client) => {
        const send = client.sends[0]!;
        const answer = await ack<SendAnswer>(client.live.socket!, 'message.send', send);
        expect(answer.message?.id).toBe(client.acked.get(send.clientId));
      }),
    );

    // Every live client (resynced from its last id) and a fresh one (from 0) see all, in order, once.
    const expectedOf = (user: string) =>
      new Set(clients.filter((c) => c.user === user).flatMap((c) => c.sends.map((s) => s.clientId)));
    for (const client of clients) {
      const expected = expectedOf(client.user);
      await waitFor(() => burstMessagesSeen(client.live).length >= expected.size, 30_000, 'live events');
      expectCompleteAndOrdered(burstMessagesSeen(client.live), expected);
    }
    for (const user of users) {
      const fresh = new LiveClient(url, await login(url, DEMO_LOGINS[user], DEMO_PASSWORD));
      await fresh.connect();
      expectCompleteAndOrdered(burstMessagesSeen(fresh), expectedOf(user));
      fresh.disconnect();
    }

    for (const client of clients) client.live.disconnect();
    await server.stop();

    // The database itself, read after the last stop: each message once, and the acked ids are the stored ones.
    const db = new Database(join(dataDir, 'portier.sqlite'), { readonly: true });
    try {
      const rows = db
        .prepare(
          `select id, client_id as clientId, ticket_id as ticketId, count(*) over (partition by author_user_id, client_id) as copies
           from ticket_messages where client_id like 'fault-msg-%'`,
        )
        .all() as { id: string; clientId: string; ticketId: string; copies: number }[];
      expect(rows.length).toBe(clientCount * perClient);
      expect(rows.filter((row) => row.copies !== 1)).toEqual([]);
      const stored = new Map(rows.map((row) => [row.clientId, row]));
      for (const client of clients) {
        for (const [clientId, messageId] of client.acked) {
          expect(stored.get(clientId)).toMatchObject({ id: messageId, ticketId: client.ticketId });
        }
      }
    } finally {
      db.close();
    }
    console.info(
      `kill-burst: ${ackedBeforeKill} acked before kill -9, ${storedAtRestart} stored at restart ` +
        `(${storedAtRestart - ackedBeforeKill} committed without ack), ${resent} re-sent, ` +
        `${clientCount * perClient} stored once each`,
    );
  });
});

function countBurstMessages(dataDir: string): number {
  const db = new Database(join(dataDir, 'portier.sqlite'), { readonly: true });
  try {
    const row = db
      .prepare(`select count(*) as n from ticket_messages where client_id like 'fault-msg-%'`)
      .get() as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}
