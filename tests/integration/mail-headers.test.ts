import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LANDLORD, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { inTransaction } from '../../db/transaction.ts';
import { findAccountByLoginEmail, type Account } from '../../db/repositories/users.ts';
import { listNotificationsOfUser } from '../../db/repositories/notifications.ts';
import { notifyDocumentPublished, notifyTicketStatus } from '../../server/notify/domain.ts';
import { drainOutbox } from '../../server/notify/worker.ts';
import type { NotificationPreferencesResponse } from '../../shared/api/profile.ts';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { call, loginAs, testOrigin } from '../helpers/auth.ts';
import { startSmtpSink, type SmtpSink } from '../faults/helpers/smtp-sink.ts';

const publicUrl = 'https://portier.test';

/**
 * Mail headers of issue 17 (RFC 3834, 8058, 3676) read back from mails delivered over SMTP and
 * parsed by an independent parser, and the one-click unsubscribe those headers point at.
 */
describe('notification mails and the one-click unsubscribe', () => {
  let sink: SmtpSink;
  let ctx: TestWorld;
  let app: ReturnType<typeof createApp>;
  let tenant: Account;
  let neighbour: Account;
  let tenantSession: string;
  let neighbourSession: string;

  beforeAll(async () => {
    sink = await startSmtpSink();
    ctx = await createTestWorld({
      publicUrl,
      allowedOrigins: [testOrigin, publicUrl],
      smtpUrl: `smtp://127.0.0.1:${sink.port}`,
    });
    app = createApp(ctx.deps);
    await seedDemo(ctx.deps);
    await drainOutbox(ctx.deps);
    tenant = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.tenant))!;
    neighbour = (await findAccountByLoginEmail(ctx.deps.db, DEMO_LOGINS.neighbour))!;
    tenantSession = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    neighbourSession = await loginAs(app, DEMO_LOGINS.neighbour, DEMO_PASSWORD);
  }, 60_000);
  afterAll(async () => {
    await sink.close();
    await ctx.close();
  });

  let documents = 0;
  /** A personal document for `account`, announced as the staff publishing flow does. */
  const publishDocumentFor = async (account: Account) =>
    await inTransaction(
      ctx.deps.db,
      async (tx) =>
        await notifyDocumentPublished(
          tx,
          {
            id: `doc-${++documents}`,
            title: `Betriebskostenabrechnung ${documents}`,
            scope: 'person',
            personId: account.user.personId,
            contractId: null,
            buildingId: null,
            estateId: null,
            audience: 'all',
          },
          ctx.deps.now(),
        ),
    );

  /** Everything delivered to `address` from here on, parsed. */
  const mailsTo = async (address: string, from: number): Promise<ParsedMail[]> => {
    await drainOutbox(ctx.deps);
    const parsed = await Promise.all(sink.received.slice(from).map((mail) => simpleParser(mail.raw)));
    return parsed.filter((mail) => mail.to && 'value' in mail.to && mail.to.value[0]?.address === address);
  };

  /** A header's value as sent (unfolded), by its raw line: the parser's own reading of List-* differs. */
  const header = (mail: ParsedMail, name: string): string | undefined => {
    const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
    return line
      ?.slice(line.indexOf(':') + 1)
      .replace(/\r?\n[ \t]+/g, ' ')
      .trim();
  };

  const preferencesOf = async (session: string) => {
    const res = await call(app, '/api/settings/notifications', { cookie: session });
    expect(res.status).toBe(200);
    return ((await res.json()) as NotificationPreferencesResponse).preferences;
  };

  /** The path of the List-Unsubscribe URL (the app is asked directly, not over the network). */
  let documentsLink = '';

  it('carries Auto-Submitted, Reply-To, List-Unsubscribe with one-click, and is signed by the landlord', async () => {
    const from = sink.received.length;
    await publishDocumentFor(tenant);
    const [mail, ...more] = await mailsTo(DEMO_LOGINS.tenant, from);
    expect(more).toHaveLength(0);
    expect(header(mail!, 'Auto-Submitted')).toBe('auto-generated');
    expect(mail!.replyTo?.value[0]?.address).toBe(DEMO_LANDLORD.email);
    expect(mail!.from?.value[0]?.name).toBe(DEMO_LANDLORD.name);
    expect(header(mail!, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const list = header(mail!, 'List-Unsubscribe');
    expect(list).toMatch(/^<https:\/\/portier\.test\/api\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>$/);
    documentsLink = new URL(list!.slice(1, -1)).pathname;

    // RFC 3676 §4.3: "-- " on a line of its own, trailing space included, before the footer.
    const lines = mail!.text!.split(/\r?\n/);
    expect(lines).toContain('-- ');
    expect(lines).not.toContain('--');
    const delimiter = lines.indexOf('-- ');
    expect(lines.slice(0, delimiter).join('\n')).toContain(`Mit freundlichen Grüßen\n${DEMO_LANDLORD.name}`);
    expect(lines.slice(delimiter).join('\n')).toContain(`${publicUrl}${documentsLink}`);
    expect(mail!.text).not.toMatch(/Portier-Team|Portier team/);
    expect(mail!.html).toContain(DEMO_LANDLORD.name);
  });

  it('leaves List-Unsubscribe off account mails (a password reset), which still are auto-submitted', async () => {
    const from = sink.received.length;
    const res = await call(app, '/api/auth/password/forgot', { json: { email: DEMO_LOGINS.tenant } });
    expect(res.status).toBe(202);
    const [mail] = await mailsTo(DEMO_LOGINS.tenant, from);
    expect(mail).toBeDefined();
    expect(header(mail!, 'Auto-Submitted')).toBe('auto-generated');
    expect(mail!.replyTo?.value[0]?.address).toBe(DEMO_LANDLORD.email);
    expect(header(mail!, 'List-Unsubscribe')).toBeUndefined();
    expect(header(mail!, 'List-Unsubscribe-Post')).toBeUndefined();
    expect(mail!.text).toContain(DEMO_LANDLORD.name);
  });

  it('GET shows a confirmation page and changes nothing', async () => {
    const res = await app.request(documentsLink, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await res.text();
    expect(page).toContain('<form method="post">');
    expect(page).toContain('Neue Dokumente');
    expect((await preferencesOf(tenantSession)).documents.email).toBe(true);
  });

  it('a one-click POST without session or Origin turns that category off for that person, idempotently', async () => {
    const oneClick = () =>
      app.request(documentsLink, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
    const first = await oneClick();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ unsubscribed: { category: 'documents', channel: 'email' } });
    const second = await oneClick();
    expect(second.status).toBe(200);

    // The settings page reads this: documents by e-mail off, everything else as it was.
    const mine = await preferencesOf(tenantSession);
    expect(mine.documents.email).toBe(false);
    expect(mine.documents.push).toBe(false);
    expect(mine.ticket_replies.email).toBe(true);
    expect(mine.notices.email).toBe(true);
    // Someone else's choices are untouched.
    expect((await preferencesOf(neighbourSession)).documents.email).toBe(true);
  });

  it('sends no further mail of that category, while other categories still come', async () => {
    const from = sink.received.length;
    await publishDocumentFor(tenant);
    await publishDocumentFor(neighbour);
    const documentRows = (await listNotificationsOfUser(ctx.deps.db, tenant.user.id)).filter(
      (row) => row.template === 'document_published' && row.channel === 'email',
    );
    expect(documentRows).toHaveLength(1); // the one before the unsubscribe
    expect(await mailsTo(DEMO_LOGINS.tenant, from)).toHaveLength(0);
    expect(await mailsTo(DEMO_LOGINS.neighbour, from)).toHaveLength(1);

    const ticketFrom = sink.received.length;
    await inTransaction(
      ctx.deps.db,
      async (tx) =>
        await notifyTicketStatus(tx, {
          ticket: {
            id: 'ticket-x',
            number: '2026-000999',
            subject: 'Wasserhahn',
            contractId: null,
            createdByUserId: tenant.user.id,
          },
          status: 'in_progress',
          actorUserId: 'someone-else',
          now: ctx.deps.now(),
        }),
    );
    const [statusMail] = await mailsTo(DEMO_LOGINS.tenant, ticketFrom);
    expect(statusMail).toBeDefined();
    expect(header(statusMail!, 'List-Unsubscribe')).toMatch(/\/api\/unsubscribe\//);
    expect(header(statusMail!, 'List-Unsubscribe')).not.toBe(`<${publicUrl}${documentsLink}>`);
  });

  it('answers a forged, altered or expired token as if it did not exist, and changes nothing', async () => {
    const from = sink.received.length;
    await publishDocumentFor(neighbour);
    const [mail] = await mailsTo(DEMO_LOGINS.neighbour, from);
    const path = new URL(header(mail!, 'List-Unsubscribe')!.slice(1, -1)).pathname;
    const [payload, signature] = path.split('/').pop()!.split('.') as [string, string];

    const forgedSignature = `${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const [userId, , expires] = Buffer.from(payload, 'base64url').toString().split('|');
    const otherCategory = `${Buffer.from(`${userId}|notices|${expires}`).toString('base64url')}.${signature}`;
    const otherPerson = `${Buffer.from(`${tenant.user.id}|documents|${expires}`).toString('base64url')}.${signature}`;
    for (const token of [forgedSignature, otherCategory, otherPerson, 'x', `${payload}.`]) {
      const post = await call(app, `/api/unsubscribe/${token}`, {
        method: 'POST',
        origin: null,
        ip: '198.51.100.7',
      });
      expect(post.status).toBe(404);
      expect(((await post.json()) as { error: { code: string } }).error.code).toBe('not_found');
      const get = await app.request(`/api/unsubscribe/${token}`, { headers: { accept: 'text/html' } });
      expect(get.status).toBe(404);
    }

    // A year and a day later the genuine token has expired.
    const realNow = ctx.deps.now;
    ctx.deps.now = () => new Date(realNow().getTime() + 366 * 24 * 3_600_000);
    try {
      const expired = await call(app, path, { method: 'POST', origin: null, ip: '198.51.100.8' });
      expect(expired.status).toBe(404);
    } finally {
      ctx.deps.now = realNow;
    }

    const theirs = await preferencesOf(neighbourSession);
    expect(theirs.documents.email).toBe(true);
    expect(theirs.notices.email).toBe(true);
    expect((await preferencesOf(tenantSession)).notices.email).toBe(true);
  });

  it('throttles wrong tokens per address like the other public endpoints (429 with Retry-After)', async () => {
    const ip = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      const res = await call(app, `/api/unsubscribe/AAAA.${'A'.repeat(43)}`, {
        method: 'POST',
        origin: null,
        ip,
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(statuses[0]).toBe(404);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not affected.
    const other = await call(app, `/api/unsubscribe/AAAA.${'A'.repeat(43)}`, {
      method: 'POST',
      origin: null,
      ip: '203.0.113.78',
    });
    expect(other.status).toBe(404);
  });
});
