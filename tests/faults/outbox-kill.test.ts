import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { waitFor } from '../helpers/live.ts';
import {
  api,
  freePort,
  login,
  pollUntil,
  startServerProcess,
  type ServerProcess,
} from './helpers/server-process.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from './helpers/smtp-sink.ts';

/*
 * Issue 7: "kill of the notification worker mid-send → nothing lost, no channel gets a duplicate".
 * The worker runs inside the server process (server/main.ts), so it dies with a `kill -9` of it.
 * Delivery is at-least-once by design (DESIGN.md "Notifications"): a mail the receiver took but
 * whose 250 the worker never saw is sent again after the lease, with the same Message-ID, which
 * receiving MTAs and mail clients use to drop the copy. So the check is: every outbox row was
 * delivered, the distinct Message-IDs are exactly the rows, and a repeated Message-ID carries the
 * same mail. The outbox lease (2 min, not configurable by env) makes this test last that long.
 */

const replies = 100; // each reaches the tenant and her household member: 200 mails + 1 receipt
const answeredBeforeStall = 40;

type OutboxRow = { id: string; status: string; attempts: number };

/** The same mail apart from what nodemailer makes new on every send: the Date and MIME boundaries. */
const contentOf = (mail: ReceivedMail) =>
  mail.raw.replace(/^Date: .*\r?\n/m, '').replace(/_NmP-[0-9a-f]+-Part_\d+/g, 'BOUNDARY');

describe('kill -9 of the notification worker mid-send', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-faults-outbox-'));
  let sink: SmtpSink | undefined;
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    await sink?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const outbox = (): OutboxRow[] => {
    const db = new Database(join(dataDir, 'portier.sqlite'), { readonly: true });
    try {
      return db
        .prepare(`select id, status, attempts from notifications where channel = 'email'`)
        .all() as OutboxRow[];
    } finally {
      db.close();
    }
  };

  it('delivers every notification after a restart; a redelivery repeats the same Message-ID and mail', async () => {
    sink = await startSmtpSink();
    sink.stallAfter(answeredBeforeStall);
    const port = await freePort();
    const env = { SMTP_URL: `smtp://127.0.0.1:${sink.port}` };
    server = await startServerProcess({ dataDir, port, demo: true, env });
    const { url } = server;

    const tenant = await login(url, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    const staff = await login(url, DEMO_LOGINS.staff, DEMO_PASSWORD);
    const { ticket } = await api<{ ticket: { id: string } }>(url, tenant, '/api/tickets', {
      type: 'general_correspondence',
      fields: { correspondence_topic: 'noise' },
      description: 'Outbox fault test',
      clientId: 'fault-outbox-ticket',
    });
    // Staff replies queue a mail per recipient in the reply's transaction (seed 004: mail on every reply).
    for (let i = 0; i < replies; i++) {
      await api(url, staff, `/api/staff/tickets/${ticket.id}/messages`, {
        body: `Reply ${i}: the plumber comes on Tuesday.`,
        clientId: `fault-outbox-reply-${i}`,
      });
    }
    // The worker is now in the middle of a batch: mails after the 40th are with the receiver, unanswered.
    await waitFor(() => sink!.received.length > answeredBeforeStall, 60_000, 'mails in flight');
    await server.kill9();
    const queued = outbox();
    const deliveredBeforeKill = sink.received.length;
    expect(queued.length).toBe(2 * replies + 1);
    expect(queued.filter((row) => row.status === 'sent').length).toBeLessThan(queued.length);

    sink.answerAll();
    server = await startServerProcess({ dataDir, port, env });
    // Pending rows go at once; rows that were `sending` when the worker died wait for their lease.
    await pollUntil(
      () => outbox().every((row) => row.status === 'sent' || row.status === 'dead'),
      240_000,
      'the outbox to empty',
    );
    await server.stop();

    const rows = outbox();
    expect(rows.filter((row) => row.status !== 'sent')).toEqual([]);
    const byMessageId = new Map<string, ReceivedMail[]>();
    for (const mail of sink.received) {
      expect(mail.messageId).not.toBeNull();
      byMessageId.set(mail.messageId!, [...(byMessageId.get(mail.messageId!) ?? []), mail]);
    }
    // Exactly one Message-ID per outbox row: nothing lost, nothing sent under a second id.
    expect(new Set(byMessageId.keys())).toEqual(
      new Set(rows.map((row) => `<notification-${row.id}@127.0.0.1>`)),
    );
    const redelivered = [...byMessageId.values()].filter((copies) => copies.length > 1);
    for (const copies of redelivered) {
      expect(new Set(copies.map(contentOf)).size).toBe(1);
    }
    // The kill really hit the window between delivery and the mark.
    expect(redelivered.length).toBeGreaterThan(0);
    console.info(
      `outbox-kill: ${rows.length} notifications, ${deliveredBeforeKill} mails received before kill -9 ` +
        `(${answeredBeforeStall} answered), ${sink.received.length} deliveries in all, ` +
        `${byMessageId.size} distinct Message-IDs, ${sink.received.length - byMessageId.size} redeliveries ` +
        `of ${redelivered.length} notifications (same Message-ID, same content)`,
    );
  });
});
