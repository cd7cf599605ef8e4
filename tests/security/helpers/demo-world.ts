import sharp from 'sharp';
import { createApp, type App } from '../../../server/app.ts';
import { seedDemo } from '../../../db/seed/demo.ts';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  type DemoLogin,
} from '../../../db/seed/demo-constants.ts';
import { insertPushSubscription } from '../../../db/repositories/push-subscriptions.ts';
import { createTestDeps, type TestContext } from '../../helpers/context.ts';
import { call, loginAs, sessionCookieName, testOrigin } from '../../helpers/auth.ts';

/**
 * The seven actors of issue 7 item 3, plus `tenant` (Erika, whose data every path parameter names):
 * her column proves the ids are real, so a 404 for everyone else means "not yours", not "no such row".
 */
export const actors = [
  'anonymous',
  'neighbour',
  'householdMember',
  'owner',
  'staffMalmo',
  'staff',
  'admin',
  'tenant',
] as const;
export type Actor = (typeof actors)[number];

/** Real ids of the demo tenant's data, used to fill `:id`-style path parameters. */
export interface DemoIds {
  tenantUserId: string;
  tenantPersonId: string;
  contractId: string;
  /** Jonas, `read` member of Erika's contract. */
  householdPersonId: string;
  /** A Berlin ticket Erika filed: outside Lars's (Malmö) scope. */
  ticketId: string;
  messageId: string;
  invoiceId: string;
  documentId: string;
  incidentId: string;
  noticeId: string;
  attachmentId: string;
  pushSubscriptionId: string;
  /** A canned reply of the Berlin team (Lars, Malmö, is not in it) and that team's id. */
  cannedReplyId: string;
  cannedReplyTeamId: string;
  /** Another of Erika's tickets (merge target). */
  otherTicketId: string;
}

export interface DemoWorld {
  ctx: TestContext;
  app: App;
  ids: DemoIds;
  /** Session tokens per signed-in actor (`anonymous` has none). */
  tokens: Record<Exclude<Actor, 'anonymous'>, string>;
  /** Signs the actor in again (for routes that end the session, e.g. logout). */
  freshToken(actor: Exclude<Actor, 'anonymous'>): Promise<string>;
  /** Puts back fixture rows a previous request may legitimately have deleted (Erika's push device). */
  restore(): void;
  close(): void;
}

const loginOf: Record<Exclude<Actor, 'anonymous'>, DemoLogin> = {
  neighbour: 'neighbour',
  householdMember: 'householdMember',
  owner: 'owner',
  staffMalmo: 'staffMalmo',
  staff: 'staff',
  admin: 'admin',
  tenant: 'tenant',
};

type Row = Record<string, string>;

function one(ctx: TestContext, sql: string, ...params: string[]): Row {
  const row = ctx.deps.db.$client.prepare(sql).get(...params) as Row | undefined;
  if (!row) throw new Error(`demo world: nothing for ${sql}`);
  return row;
}

/** A tiny PNG uploaded as Erika: the seed has no attachments, and the upload path is the real one. */
async function uploadAttachment(app: App, token: string): Promise<string> {
  const png = await sharp({
    create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 40, b: 40 } },
  })
    .png()
    .toBuffer();
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), 'tap.png');
  const res = await app.request('/api/uploads', {
    method: 'POST',
    headers: { origin: testOrigin, cookie: `${sessionCookieName}=${token}` },
    body: form,
  });
  if (res.status !== 201) throw new Error(`demo world: upload failed ${res.status} ${await res.text()}`);
  return ((await res.json()) as { attachment: { id: string } }).attachment.id;
}

/** A freshly seeded demo database with every actor signed in and Erika's ids looked up. */
export async function createDemoWorld(): Promise<DemoWorld> {
  const ctx = createTestDeps();
  await seedDemo(ctx.deps);
  const app = createApp(ctx.deps);

  const entries = await Promise.all(
    Object.entries(loginOf).map(
      async ([actor, login]) => [actor, await loginAs(app, DEMO_LOGINS[login], DEMO_PASSWORD)] as const,
    ),
  );
  const tokens = Object.fromEntries(entries) as DemoWorld['tokens'];

  const tenant = one(ctx, 'SELECT id, person_id FROM users WHERE login_email = ?', DEMO_LOGINS.tenant);
  const member = one(ctx, 'SELECT person_id FROM users WHERE login_email = ?', DEMO_LOGINS.householdMember);
  const contract = one(
    ctx,
    'SELECT id, unit_id FROM contracts c JOIN contract_units cu ON cu.contract_id = c.id WHERE number = ?',
    DEMO_CONTRACT_NUMBERS.tenant,
  );
  const building = one(ctx, 'SELECT building_id FROM units WHERE id = ?', contract.unit_id!);
  const ticket = one(
    ctx,
    'SELECT id FROM tickets WHERE created_by_user_id = ? AND contract_id = ? ORDER BY created_at LIMIT 1',
    tenant.id!,
    contract.id!,
  );
  const message = one(
    ctx,
    "SELECT id FROM ticket_messages WHERE ticket_id = ? AND visibility = 'public' ORDER BY created_at LIMIT 1",
    ticket.id!,
  );
  const invoice = one(ctx, 'SELECT id FROM invoices WHERE contract_id = ? LIMIT 1', contract.id!);
  const document = one(
    ctx,
    "SELECT id FROM documents WHERE scope = 'contract' AND contract_id = ? ORDER BY published_at LIMIT 1",
    contract.id!,
  );
  const incident = one(ctx, 'SELECT id FROM incidents WHERE building_id = ? LIMIT 1', building.building_id!);
  const notice = one(
    ctx,
    'SELECT id FROM notices WHERE building_id = ? AND deleted_at IS NULL LIMIT 1',
    building.building_id!,
  );
  const estate = one(ctx, 'SELECT estate_id FROM buildings WHERE id = ?', building.building_id!);
  const canned = one(
    ctx,
    'SELECT cr.* FROM canned_replies cr JOIN team_scopes ts ON ts.team_id = cr.team_id WHERE ts.estate_id = ? LIMIT 1',
    estate.estate_id!,
  );
  const otherTicket = one(
    ctx,
    'SELECT id FROM tickets WHERE created_by_user_id = ? AND id <> ? ORDER BY created_at LIMIT 1',
    tenant.id!,
    ticket.id!,
  );
  const attachmentId = await uploadAttachment(app, tokens.tenant);
  // Attached to her Berlin ticket, it is visible exactly like the ticket (server/services/uploads.ts).
  const attach = await call(app, `/api/tickets/${ticket.id}/messages`, {
    cookie: tokens.tenant,
    json: { body: 'Foto vom Wasserhahn', attachmentIds: [attachmentId], clientId: 'security-world-photo' },
  });
  if (attach.status !== 201) throw new Error(`demo world: attaching failed ${attach.status}`);

  const pushSubscriptionId = 'sec0push0erika0device';
  const restore = () => {
    // A probe may delete the canned reply (DELETE /api/staff/canned-replies/:id): put it back as it was.
    ctx.deps.db.$client
      .prepare(
        `INSERT OR IGNORE INTO canned_replies (${Object.keys(canned).join(', ')}) VALUES (${Object.keys(
          canned,
        )
          .map((key) => `@${key}`)
          .join(', ')})`,
      )
      .run(canned);
    const exists = ctx.deps.db.$client
      .prepare('SELECT 1 FROM push_subscriptions WHERE id = ?')
      .get(pushSubscriptionId);
    if (exists) return;
    insertPushSubscription(ctx.deps.db, {
      id: pushSubscriptionId,
      userId: tenant.id!,
      endpoint: 'https://push.example.org/erika-phone',
      p256dh: 'BExamplePublicKey',
      auth: 'ExampleAuth',
      userAgent: 'test',
      createdAt: new Date(),
    });
  };
  restore();

  return {
    ctx,
    app,
    tokens,
    ids: {
      tenantUserId: tenant.id!,
      tenantPersonId: tenant.person_id!,
      contractId: contract.id!,
      householdPersonId: member.person_id!,
      ticketId: ticket.id!,
      messageId: message.id!,
      invoiceId: invoice.id!,
      documentId: document.id!,
      incidentId: incident.id!,
      noticeId: notice.id!,
      attachmentId,
      pushSubscriptionId,
      cannedReplyId: canned.id!,
      cannedReplyTeamId: canned.team_id!,
      otherTicketId: otherTicket.id!,
    },
    freshToken: (actor) => loginAs(app, DEMO_LOGINS[loginOf[actor]], DEMO_PASSWORD),
    restore,
    close: () => ctx.close(),
  };
}

/** Every (method, path) with a final handler under /api, from Hono's own route table. */
export function apiRoutes(app: App): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const route of app.routes) {
    // `use()` middleware and the catch-all 404 are registered as method ALL; handlers never are here.
    if (route.method === 'ALL' || !route.path.startsWith('/api/')) continue;
    seen.set(`${route.method} ${route.path}`, { method: route.method, path: route.path });
  }
  return [...seen.values()];
}
