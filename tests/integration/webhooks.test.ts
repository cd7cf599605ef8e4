import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_CUSTOMER_NUMBERS,
  DEMO_LOGINS,
  DEMO_REGISTRATION_CODE,
} from '../../server/demo/demo-constants.ts';
import type {
  CreatedWebhookDto,
  WebhookDeliveriesDto,
  WebhookDeliveryDto,
  WebhookPayload,
  WebhooksDto,
} from '../../shared/api/webhooks.ts';
import {
  defaultWebhookOptions,
  drainWebhooks,
  retryDelayMs,
} from '../../server/services/integration/webhook-worker.ts';
import { call, readLatestMail } from '../helpers/auth.ts';
import { rawRows } from '../../db/dialect.ts';
import { execute } from '../helpers/raw-sql.ts';
import { staffWorld } from '../helpers/staff-world.ts';

/**
 * Issue 14 item 6: webhooks out to the landlord's ERP, signed per the Standard Webhooks
 * specification. A real HTTP receiver on 127.0.0.1 plays the ERP and verifies every signature with
 * the specification's own library; the clock is the injected `deps.now` (no sleeps for retries).
 */
let clockOffsetMs = 0;
const { app, db, ctx, session } = await staffWorld(['tenant', 'staff', 'admin'], {
  configure: (deps) => {
    deps.now = () => new Date(Date.now() + clockOffsetMs);
  },
});
const advance = (ms: number) => (clockOffsetMs += ms);

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** The ERP: per path, what arrived and the statuses to answer with (then 200; 'hang' never answers). */
const receiver = {
  server: null as Server | null,
  base: '',
  received: new Map<string, Received[]>(),
  answers: new Map<string, (number | 'hang')[]>(),
};
let hookSerial = 0;

beforeAll(async () => {
  receiver.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const list = receiver.received.get(path) ?? [];
      list.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      receiver.received.set(path, list);
      const answer = receiver.answers.get(path)?.shift() ?? 200;
      if (answer === 'hang') return;
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => receiver.server!.listen(0, '127.0.0.1', resolve));
  receiver.base = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
  // The ERP's keys on Erika's contract and person, as an import would have set them.
  await execute(
    db,
    sql`UPDATE contracts SET external_id = 'C-ERIKA' WHERE number = ${DEMO_CONTRACT_NUMBERS.tenant}`,
  );
  await execute(
    db,
    sql`UPDATE persons SET external_id = 'P-ERIKA'
      WHERE id = (SELECT person_id FROM users WHERE login_email = ${DEMO_LOGINS.tenant})`,
  );
});

afterAll(async () => {
  receiver.server?.closeAllConnections();
  await new Promise((resolve) => receiver.server?.close(resolve));
});

// Every test starts without webhooks and on the real clock: deleting ends what was still queued.
afterEach(async () => {
  const { webhooks } = (await (
    await call(app, '/api/staff/admin/webhooks', { cookie: session.admin })
  ).json()) as WebhooksDto;
  for (const hook of webhooks) {
    await call(app, `/api/staff/admin/webhooks/${hook.id}`, { method: 'DELETE', cookie: session.admin });
  }
  clockOffsetMs = 0;
});

async function register(events: string[] = ['ticket.created', 'ticket.updated', 'ticket.message.created']) {
  const path = `/erp/hook-${++hookSerial}`;
  const res = await call(app, '/api/staff/admin/webhooks', {
    cookie: session.admin,
    json: { url: `${receiver.base}${path}`, events, description: 'Wodis ticket sync' },
  });
  expect(res.status).toBe(201);
  const created = (await res.json()) as CreatedWebhookDto;
  return { ...created, path, got: () => receiver.received.get(path) ?? [] };
}

let ticketSerial = 0;
async function fileTicket(): Promise<{ id: string; number: string }> {
  const res = await call(app, '/api/tickets', {
    cookie: session.tenant,
    json: {
      type: 'general_correspondence',
      fields: { correspondence_topic: 'other' },
      description: 'Bitte um Rückruf wegen der Nebenkosten.',
      clientId: `webhook-test-${++ticketSerial}`,
    },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { ticket: { id: string; number: string } }).ticket;
}

/** The library's own check: throws unless the signature is valid for this secret. */
function verify(secret: string, received: Received): WebhookPayload {
  return new Webhook(secret).verify(
    received.body,
    received.headers as Record<string, string>,
  ) as WebhookPayload;
}

async function deliveriesOf(id: string): Promise<WebhookDeliveryDto[]> {
  const res = await call(app, `/api/staff/admin/webhooks/${id}/deliveries`, { cookie: session.admin });
  expect(res.status).toBe(200);
  return ((await res.json()) as WebhookDeliveriesDto).deliveries;
}

const drain = async () => await drainWebhooks(ctx.deps);

describe('webhooks: registration', () => {
  it('creates a webhook for admins: a whsec_ secret shown once, sealed at rest, listed without it', async () => {
    const hook = await register(['ticket.created']);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const key = Buffer.from(hook.secret.slice('whsec_'.length), 'base64');
    expect(key.length).toBeGreaterThanOrEqual(24);
    expect(key.length).toBeLessThanOrEqual(32);
    expect(hook.webhook).toMatchObject({ url: `${receiver.base}${hook.path}`, events: ['ticket.created'] });

    const list = await call(app, '/api/staff/admin/webhooks', { cookie: session.admin });
    const text = await list.text();
    expect(text).toContain(hook.webhook.id);
    expect(text).not.toContain(hook.secret.slice(6, 30));
    const one = await call(app, `/api/staff/admin/webhooks/${hook.webhook.id}`, { cookie: session.admin });
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ webhook: hook.webhook });

    const [stored] = await rawRows<{ secret: string }>(
      db,
      sql`SELECT secret FROM webhooks WHERE id = ${hook.webhook.id}`,
    );
    expect(stored!.secret).not.toContain(hook.secret.slice(6));
    const audit = await rawRows(
      db,
      sql`SELECT action FROM audit_entries WHERE entity_type = 'webhook' AND entity_id = ${hook.webhook.id}`,
    );
    expect(audit).toEqual([{ action: 'webhook.created' }]);
  });

  it('refuses bad input with 400 and stores nothing', async () => {
    const bodies = [
      { url: 'not a url', events: ['ticket.created'] },
      { url: 'javascript:alert(1)', events: ['ticket.created'] },
      { url: 'ftp://erp.example.org/hook', events: ['ticket.created'] },
      { url: 'https://user:secret@erp.example.org/hook', events: ['ticket.created'] },
      { url: 'https://erp.example.org/hook', events: ['ticket.deleted'] },
      { url: 'https://erp.example.org/hook', events: [] },
      { url: 'https://erp.example.org/hook', events: ['ticket.created', 'ticket.created'] },
      { url: 'https://erp.example.org/hook', events: ['ticket.created'], secret: 'whsec_mine' },
      { url: 'https://erp.example.org/hook' },
    ];
    const count = async () =>
      Number((await rawRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM webhooks`))[0]!.n);
    const before = await count();
    for (const json of bodies) {
      const res = await call(app, '/api/staff/admin/webhooks', { cookie: session.admin, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
    }
    expect(await count()).toBe(before);
  });

  it('is for admins only: staff and tenants 403, no session 401', async () => {
    const hook = await register();
    const id = hook.webhook.id;
    const requests: [string, string, unknown?][] = [
      ['GET', '/api/staff/admin/webhooks'],
      ['POST', '/api/staff/admin/webhooks', { url: 'https://erp.example.org/x', events: ['ticket.created'] }],
      ['GET', `/api/staff/admin/webhooks/${id}`],
      ['DELETE', `/api/staff/admin/webhooks/${id}`],
      ['GET', `/api/staff/admin/webhooks/${id}/deliveries`],
      ['POST', `/api/staff/admin/webhooks/${id}/rotate-secret`, {}],
    ];
    for (const [method, path, json] of requests) {
      for (const who of ['staff', 'tenant'] as const) {
        const res = await call(app, path, { method, cookie: session[who], ...(json ? { json } : {}) });
        expect(res.status, `${who} ${method} ${path}`).toBe(403);
      }
      const anonymous = await call(app, path, { method, ...(json ? { json } : {}) });
      expect(anonymous.status, `anonymous ${method} ${path}`).toBe(401);
    }
    expect((await call(app, `/api/staff/admin/webhooks/${id}`, { cookie: session.admin })).status).toBe(200);
  });

  it('answers 404 for unknown ids, deleted webhooks and deliveries of another webhook', async () => {
    const mine = await register();
    const other = await register();
    await fileTicket();
    const [otherDelivery] = await deliveriesOf(other.webhook.id);
    expect(otherDelivery).toBeDefined();
    const admin = { cookie: session.admin };
    const missing = [
      call(app, '/api/staff/admin/webhooks/nosuchwebhook', admin),
      call(app, '/api/staff/admin/webhooks/nosuchwebhook', { ...admin, method: 'DELETE' }),
      call(app, '/api/staff/admin/webhooks/nosuchwebhook/deliveries', admin),
      call(app, '/api/staff/admin/webhooks/nosuchwebhook/rotate-secret', { ...admin, json: {} }),
      call(app, `/api/staff/admin/webhooks/${mine.webhook.id}/deliveries/${otherDelivery!.id}/resend`, {
        ...admin,
        json: {},
      }),
      call(app, `/api/staff/admin/webhooks/${mine.webhook.id}/deliveries/msg_nosuch/resend`, {
        ...admin,
        json: {},
      }),
    ];
    for (const res of await Promise.all(missing)) expect(res.status).toBe(404);

    expect(
      (await call(app, `/api/staff/admin/webhooks/${other.webhook.id}`, { ...admin, method: 'DELETE' }))
        .status,
    ).toBe(204);
    for (const path of ['', '/deliveries']) {
      const res = await call(app, `/api/staff/admin/webhooks/${other.webhook.id}${path}`, admin);
      expect(res.status).toBe(404);
    }
    const again = await call(app, `/api/staff/admin/webhooks/${other.webhook.id}`, {
      ...admin,
      method: 'DELETE',
    });
    expect(again.status).toBe(404);
  });
});

describe('webhooks: deliveries', () => {
  it('tells the ERP about a ticket a tenant files, signed per Standard Webhooks', async () => {
    const hook = await register(['ticket.created']);
    const ticket = await fileTicket();
    expect(await drain()).toBe(1);

    const [got] = hook.got();
    expect(got).toBeDefined();
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['webhook-id']).toMatch(/^msg_/);
    expect(got!.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(got!.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    const payload = verify(hook.secret, got!);
    expect(payload).toMatchObject({
      type: 'ticket.created',
      data: {
        ticket: {
          id: ticket.id,
          number: ticket.number,
          type: 'general_correspondence',
          status: 'new',
          contract: { number: DEMO_CONTRACT_NUMBERS.tenant, externalId: 'C-ERIKA' },
          reporter: { externalId: 'P-ERIKA' },
        },
      },
    });
    expect(new Date(payload.timestamp).toISOString()).toBe(payload.timestamp);
    // No personal data beyond the ERP's keys: no names, addresses or the tenant's free text.
    expect(got!.body).not.toMatch(/Erika|Mustermann|mieterin@|Rückruf/);

    const [delivery] = await deliveriesOf(hook.webhook.id);
    expect(delivery).toMatchObject({
      id: got!.headers['webhook-id'],
      type: 'ticket.created',
      state: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
    });
  });

  it('sends public staff replies and status changes, but never an internal note', async () => {
    const hook = await register(['ticket.updated', 'ticket.message.created']);
    const ticket = await fileTicket();
    const staff = { cookie: session.staff };
    const note = await call(app, `/api/staff/tickets/${ticket.id}/messages`, {
      ...staff,
      json: { body: 'Intern: Mieter ist schwierig', internal: true, clientId: 'webhook-note-1' },
    });
    expect(note.status).toBe(201);
    expect(await deliveriesOf(hook.webhook.id)).toEqual([]);
    expect(await drain()).toBe(0);
    expect(hook.got()).toEqual([]);

    const reply = await call(app, `/api/staff/tickets/${ticket.id}/messages`, {
      ...staff,
      json: { body: 'Wir rufen Sie morgen an.', clientId: 'webhook-reply-1' },
    });
    expect(reply.status).toBe(201);
    const patch = await call(app, `/api/staff/tickets/${ticket.id}`, {
      ...staff,
      method: 'PATCH',
      json: { status: 'in_progress' },
    });
    expect(patch.status).toBe(200);
    await drain();
    const payloads = hook.got().map((got) => verify(hook.secret, got));
    expect(payloads.map((p) => p.type).sort()).toEqual(['ticket.message.created', 'ticket.updated']);
    expect(payloads.find((p) => p.type === 'ticket.message.created')!.data).toMatchObject({
      message: {
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        authorRole: 'staff',
        body: 'Wir rufen Sie morgen an.',
      },
    });
    expect(payloads.find((p) => p.type === 'ticket.updated')!.data).toMatchObject({
      ticket: { id: ticket.id, status: 'in_progress' },
    });
    expect(
      hook
        .got()
        .map((got) => got.body)
        .join('\n'),
    ).not.toContain('Intern');
  });

  it('retries after a 500 with the same webhook-id, on the backoff schedule', async () => {
    const hook = await register(['ticket.created']);
    receiver.answers.set(hook.path, [500]);
    await fileTicket();
    expect(await drain()).toBe(1);
    const [failed] = await deliveriesOf(hook.webhook.id);
    expect(failed).toMatchObject({ state: 'failed', attempts: 1, lastStatus: 500, lastError: 'http_500' });
    expect(await drain()).toBe(0); // not due before the delay

    advance(retryDelayMs(defaultWebhookOptions, 1));
    expect(await drain()).toBe(1);
    const [first, second] = hook.got();
    expect(second!.headers['webhook-id']).toBe(first!.headers['webhook-id']);
    expect(second!.body).toBe(first!.body);
    verify(hook.secret, second!);
    expect((await deliveriesOf(hook.webhook.id))[0]).toMatchObject({
      state: 'delivered',
      attempts: 2,
      lastStatus: 200,
    });
  });

  it('goes dead after the last attempt and sends no more', async () => {
    const hook = await register(['ticket.created']);
    const { maxAttempts } = defaultWebhookOptions;
    receiver.answers.set(hook.path, Array<number>(maxAttempts + 2).fill(503));
    await fileTicket();
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      expect(await drain(), `attempt ${attempt}`).toBe(1);
      advance(retryDelayMs(defaultWebhookOptions, attempt));
    }
    const [dead] = await deliveriesOf(hook.webhook.id);
    expect(dead).toMatchObject({
      state: 'dead',
      attempts: maxAttempts,
      lastStatus: 503,
      nextAttemptAt: null,
    });
    advance(7 * 24 * 3_600_000);
    expect(await drain()).toBe(0);
    expect(hook.got()).toHaveLength(maxAttempts);
  });

  it('counts a timeout as a failed attempt and a 410 as final', async () => {
    const slow = await register(['ticket.created']);
    receiver.answers.set(slow.path, ['hang']);
    await fileTicket();
    await drainWebhooks(ctx.deps, { timeoutMs: 200 });
    expect((await deliveriesOf(slow.webhook.id))[0]).toMatchObject({
      state: 'failed',
      lastStatus: null,
      lastError: 'timeout',
    });
    await call(app, `/api/staff/admin/webhooks/${slow.webhook.id}`, {
      method: 'DELETE',
      cookie: session.admin,
    });

    const gone = await register(['ticket.created']);
    receiver.answers.set(gone.path, [410]);
    await fileTicket();
    await drain();
    expect((await deliveriesOf(gone.webhook.id))[0]).toMatchObject({ state: 'dead', lastStatus: 410 });
  });

  it('resends a delivery as the same message: same webhook-id and body, fresh signature', async () => {
    const hook = await register(['ticket.created']);
    await fileTicket();
    await drain();
    const [delivered] = await deliveriesOf(hook.webhook.id);
    const res = await call(
      app,
      `/api/staff/admin/webhooks/${hook.webhook.id}/deliveries/${delivered!.id}/resend`,
      { cookie: session.admin, json: {} },
    );
    expect(res.status).toBe(202);
    expect(((await res.json()) as { delivery: WebhookDeliveryDto }).delivery).toMatchObject({
      id: delivered!.id,
      state: 'pending',
    });
    advance(2_000);
    expect(await drain()).toBe(1);
    const [first, again] = hook.got();
    expect(again!.headers['webhook-id']).toBe(delivered!.id);
    expect(again!.body).toBe(first!.body);
    expect(Number(again!.headers['webhook-timestamp'])).toBeGreaterThan(
      Number(first!.headers['webhook-timestamp']),
    );
    verify(hook.secret, again!);
    const audit = await rawRows(
      db,
      sql`SELECT action FROM audit_entries
        WHERE entity_id = ${hook.webhook.id} AND action = 'webhook.delivery_resent'`,
    );
    expect(audit).toHaveLength(1);
  });

  it('signs with the new secret after a rotation: the old one no longer verifies', async () => {
    const hook = await register(['ticket.created']);
    receiver.answers.set(hook.path, [500]);
    await fileTicket(); // queued before the rotation, sent after it
    await drain();
    const res = await call(app, `/api/staff/admin/webhooks/${hook.webhook.id}/rotate-secret`, {
      cookie: session.admin,
      json: {},
    });
    expect(res.status).toBe(200);
    const rotated = (await res.json()) as CreatedWebhookDto;
    expect(rotated.webhook.id).toBe(hook.webhook.id);
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);

    advance(retryDelayMs(defaultWebhookOptions, 1));
    await fileTicket();
    await drain();
    const after = hook.got().slice(1);
    expect(after).toHaveLength(2);
    for (const got of after) {
      expect(() => verify(hook.secret, got)).toThrow(WebhookVerificationError);
      expect(verify(rotated.secret, got).type).toBe('ticket.created');
    }
  });

  it('sends nothing more once the webhook is deleted', async () => {
    const hook = await register(['ticket.created']);
    receiver.answers.set(hook.path, [500]);
    await fileTicket();
    await drain();
    const del = await call(app, `/api/staff/admin/webhooks/${hook.webhook.id}`, {
      method: 'DELETE',
      cookie: session.admin,
    });
    expect(del.status).toBe(204);
    const state = await rawRows(
      db,
      sql`SELECT state, last_error FROM webhook_deliveries WHERE webhook_id = ${hook.webhook.id}`,
    );
    expect(state).toEqual([{ state: 'dead', last_error: 'webhook_deleted' }]);

    await fileTicket();
    advance(24 * 3_600_000);
    expect(await drain()).toBe(0);
    expect(hook.got()).toHaveLength(1);
    const [count] = await rawRows<{ n: number | string }>(
      db,
      sql`SELECT count(*) AS n FROM webhook_deliveries WHERE webhook_id = ${hook.webhook.id}`,
    );
    expect(Number(count!.n)).toBe(1);
  });
});

describe('webhooks: what the tenant asks the ERP to apply (issue 14 item 5)', () => {
  const erikaContractId = async () =>
    (
      await rawRows<{ id: string }>(
        db,
        sql`SELECT id FROM contracts WHERE number = ${DEMO_CONTRACT_NUMBERS.tenant}`,
      )
    )[0]!.id;

  it('a change of contact data goes to the ERP with the changed fields only', async () => {
    const hook = await register(['person.contact.change_requested']);
    const res = await call(app, '/api/profile', {
      method: 'PATCH',
      cookie: session.tenant,
      json: { mobile: '+49 170 5550123' },
    });
    expect(res.status).toBe(200);
    await drain();
    const [got] = hook.got();
    const payload = verify(hook.secret, got!) as unknown as {
      type: string;
      data: { person: { externalId: string }; changes: Record<string, unknown> };
    };
    expect(payload.type).toBe('person.contact.change_requested');
    expect(payload.data.person.externalId).toBe('P-ERIKA');
    expect(payload.data.changes).toEqual({ mobile: '+491705550123' });
  });

  it('a contract change request goes to the ERP with the form answers; other requests do not', async () => {
    const hook = await register(['contract.change_requested']);
    await fileTicket();
    const res = await call(app, '/api/tickets', {
      cookie: session.tenant,
      json: {
        type: 'contract_change',
        contractId: await erikaContractId(),
        fields: {
          contract_change_kind: 'bank_details',
          iban: 'DE89370400440532013000',
          account_holder: 'Erika Mustermann',
          sepa_mandate: true,
        },
        description: 'Neues Konto ab nächstem Monat.',
        clientId: 'webhook-contract-change-1',
      },
    });
    expect(res.status).toBe(201);
    await drain();
    expect(hook.got()).toHaveLength(1);
    const payload = verify(hook.secret, hook.got()[0]!) as unknown as {
      type: string;
      data: { ticket: { contract: { externalId: string } }; fields: Record<string, unknown> };
    };
    expect(payload.type).toBe('contract.change_requested');
    expect(payload.data.ticket.contract.externalId).toBe('C-ERIKA');
    expect(payload.data.fields).toMatchObject({
      contract_change_kind: 'bank_details',
      iban: 'DE89370400440532013000',
    });
  });

  it('a completed registration tells the ERP that this person now uses the portal, once', async () => {
    const hook = await register(['registration.completed']);
    const email = 'hannah.neumann@example.org';
    const registered = await call(app, '/api/auth/register', {
      json: {
        code: DEMO_REGISTRATION_CODE,
        email,
        password: 'Lindenhof-Balkon-2026!',
        acceptPrivacy: true,
        acceptTerms: true,
        acceptElectronicDelivery: true,
      },
    });
    expect(registered.status).toBe(201);
    await drain();
    expect(hook.got()).toEqual([]);
    const mail = await readLatestMail(ctx, email, { path: '/verify' });
    expect((await call(app, '/api/auth/verify', { json: { token: mail.token } })).status).toBe(200);
    await drain();
    expect(hook.got()).toHaveLength(1);
    const payload = verify(hook.secret, hook.got()[0]!) as unknown as {
      type: string;
      data: { person: { customerNumber: string } };
    };
    expect(payload.type).toBe('registration.completed');
    expect(payload.data.person.customerNumber).toBe(DEMO_CUSTOMER_NUMBERS.unregistered);
  });
});
