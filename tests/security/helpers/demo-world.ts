import { and, asc, eq, isNull, ne, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { createApp, type App } from '../../../server/app.ts';
import { seedDemo } from '../../../server/demo/demo.ts';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  type DemoLogin,
} from '../../../server/demo/demo-constants.ts';
import { insertPushSubscription } from '../../../db/repositories/push-subscriptions.ts';
import { insertImportRun } from '../../../db/repositories/erp-import.ts';
import { first, isPostgres, rawRows, tablesOf } from '../../../db/dialect.ts';
import type { Db } from '../../../db/client.ts';
import { createTestWorld, type TestWorld } from '../../helpers/context.ts';
import { execute } from '../../helpers/raw-sql.ts';
import { minimalPdf } from '../../fixtures/uploads/hostile.ts';
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
  /** An open invitation Erika sent for her household (withdrawing it deletes it; restored). */
  householdInvitationId: string;
  /** A Berlin ticket Erika filed: outside Lars's (Malmö) scope. */
  ticketId: string;
  messageId: string;
  invoiceId: string;
  documentId: string;
  /** Olaf's ownership of 5.01 (Erika owns nothing): the owner's, everyone else's 404. */
  ownershipId: string;
  incidentId: string;
  noticeId: string;
  attachmentId: string;
  pushSubscriptionId: string;
  /** A canned reply of the Berlin team (Lars, Malmö, is not in it) and that team's id. */
  cannedReplyId: string;
  cannedReplyTeamId: string;
  /** Another of Erika's tickets (merge target). */
  otherTicketId: string;
  /** Erika's Berlin building and her contract's number (bulk publishing matches file names on it). */
  buildingId: string;
  contractNumber: string;
  /** A ticket type the admin console edits. */
  ticketTypeId: string;
  /**
   * A PDF each staff actor uploaded themselves: publishing needs the caller's own upload, so Lars
   * (Malmö) gets his own too and his 404 on Erika's contract can only come from the scope check.
   */
  staffPdfs: Record<'staffMalmo' | 'staff' | 'admin', string>;
  /**
   * A team and a staff account the admin made for probing (`/staff/admin/teams/:id`,
   * `/staff/admin/staff/:id`): deleting, emptying or deactivating them costs no real team its scope.
   */
  probeTeamId: string;
  probeStaffUserId: string;
  /** An API key the admin made for the probe: revoking it is restored (`revoked_at`). */
  probeApiKeyId: string;
  /** A finished load in the import history (read only). */
  probeImportRunId: string;
  /** A contractor the admin made for the probe (deleting it is restored). */
  probeContractorId: string;
  /**
   * A webhook the admin made for the probe (deleting it is restored: `deleted_at`) and the delivery
   * Erika's photo message queued for it (resending only makes it due again; no worker sends here).
   */
  probeWebhookId: string;
  probeWebhookDeliveryId: string;
}

/** The keys of DemoIds that hold a single id (what a path parameter can name). */
export type DemoIdKey = { [K in keyof DemoIds]: DemoIds[K] extends string ? K : never }[keyof DemoIds];

export interface DemoWorld {
  ctx: TestWorld;
  app: App;
  ids: DemoIds;
  /** Session tokens per signed-in actor (`anonymous` has none). */
  tokens: Record<Exclude<Actor, 'anonymous'>, string>;
  /** Signs the actor in again (for routes that end the session, e.g. logout). */
  freshToken(actor: Exclude<Actor, 'anonymous'>): Promise<string>;
  /** Puts back fixture rows a previous request may legitimately have deleted (Erika's push device). */
  restore(): Promise<void>;
  close(): Promise<void>;
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

/** The row a lookup of the demo world must find. */
async function one<Row>(what: string, rows: PromiseLike<Row[]>): Promise<Row> {
  const row = await first(rows);
  if (!row) throw new Error(`demo world: nothing for ${what}`);
  return row;
}

/** A tiny PNG for Erika's photo: the seed has no attachments, and the upload path is the real one. */
const tinyPng = () =>
  sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .png()
    .toBuffer();

type Upload = { bytes: Buffer; type: string; name: string };

/** A multipart `file` part as the signed-in actor (uploads, the branding logo). */
function postFile(app: App, token: string, path: string, file: Upload): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return Promise.resolve(
    app.request(path, {
      method: 'POST',
      headers: { origin: testOrigin, cookie: `${sessionCookieName}=${token}` },
      body: form,
    }),
  );
}

async function uploadAttachment(app: App, token: string, file: Upload): Promise<string> {
  const res = await postFile(app, token, '/api/uploads', file);
  if (res.status !== 201) throw new Error(`demo world: upload failed ${res.status} ${await res.text()}`);
  return ((await res.json()) as { attachment: { id: string } }).attachment.id;
}

/** A row a probe may change: its table, key column and key, and the columns to watch (all if none). */
type Snapshot = [table: string, key: string, value: string, columns?: string[]];

/**
 * Remembers the rows and returns a function that writes each back when it changed: re-inserted when
 * deleted, updated to the remembered values, or deleted again when it did not exist at first. Writes
 * only on a difference: an UPDATE of a ticket runs its full-text triggers, and restoring runs before
 * every probe.
 */
async function snapshots(db: Db, rows: Snapshot[]): Promise<() => Promise<void>> {
  if (isPostgres(db)) return await snapshotsOnPostgres(db, rows);
  const puts = rows.map((row) => snapshotOnSqlite(db, ...row));
  return () => Promise.resolve(puts.forEach((put) => put()));
}

function snapshotOnSqlite(db: Db, table: string, key: string, value: string, columns?: string[]) {
  const sqlite = db.$client;
  const read = sqlite.prepare(
    `SELECT ${columns ? columns.map((c) => `"${c}"`).join(', ') : '*'} FROM "${table}" WHERE "${key}" = ?`,
  );
  const saved = read.get(value) as Record<string, unknown> | undefined;
  const remove = sqlite.prepare(`DELETE FROM "${table}" WHERE "${key}" = ?`);
  if (!saved) return () => void (read.get(value) && remove.run(value));
  const names = Object.keys(saved);
  const insert = sqlite.prepare(
    `INSERT INTO "${table}" (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map((n) => `@${n}`).join(', ')})`,
  );
  const update = sqlite.prepare(
    `UPDATE "${table}" SET ${names.map((n) => `"${n}" = @${n}`).join(', ')} WHERE "${key}" = @__key`,
  );
  const same = (a: unknown, b: unknown) =>
    a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));
  return () => {
    const now = read.get(value) as Record<string, unknown> | undefined;
    if (!now && !columns) insert.run(saved);
    else if (now && names.some((n) => !same(now[n], saved[n]))) update.run({ ...saved, __key: value });
  };
}

const identifier = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * The same on PostgreSQL: each row is kept in a table of its own beside the original, so every value
 * goes back with its exact type (jsonb, bytea, timestamptz) and PostgreSQL compares them; restoring
 * is one function, one round trip before each probe instead of two dozen.
 */
async function snapshotsOnPostgres(db: Db, rows: Snapshot[]): Promise<() => Promise<void>> {
  const steps: string[] = [];
  for (const [index, [table, key, value, columns]] of rows.entries()) {
    const copy = identifier(`demo_world_snapshot_${index}`);
    const source = identifier(table);
    const where = `${identifier(key)} = ${literal(value)}`;
    const selected = columns ? columns.map(identifier).join(', ') : '*';
    await execute(db, sql.raw(`create table ${copy} as select ${selected} from ${source} where ${where}`));
    const saved = (await rawRows<Record<string, unknown>>(db, sql.raw(`select * from ${copy}`)))[0];
    if (!saved) {
      steps.push(`delete from ${source} where ${where};`);
      continue;
    }
    const names = Object.keys(saved).map(identifier);
    const current = names.map((name) => `${source}.${name}`).join(', ');
    if (!columns) {
      steps.push(
        `insert into ${source} select * from ${copy} where not exists (select 1 from ${source} where ${where});`,
      );
    }
    steps.push(
      `update ${source} set (${names.join(', ')}) = (select ${names.join(', ')} from ${copy}) where ${where}
         and not exists (select 1 from ${copy} where (${names.join(', ')}) is not distinct from (${current}));`,
    );
  }
  await execute(
    db,
    sql.raw(`create function demo_world_restore() returns void language plpgsql as $$
      begin
        ${steps.join('\n')}
      end $$`),
  );
  return () => execute(db, sql`select demo_world_restore()`);
}

/** A freshly seeded demo database with every actor signed in and Erika's ids looked up. */
export async function createDemoWorld(): Promise<DemoWorld> {
  const ctx = await createTestWorld();
  const db = ctx.deps.db;
  const t = tablesOf(db);
  await seedDemo(ctx.deps);
  const app = createApp(ctx.deps);

  const entries = await Promise.all(
    Object.entries(loginOf).map(
      async ([actor, login]) => [actor, await loginAs(app, DEMO_LOGINS[login], DEMO_PASSWORD)] as const,
    ),
  );
  const tokens = Object.fromEntries(entries) as DemoWorld['tokens'];

  const userOf = (login: string) =>
    one(
      login,
      db
        .select({ id: t.users.id, personId: t.users.personId })
        .from(t.users)
        .where(eq(t.users.loginEmail, login)),
    );
  const tenant = await userOf(DEMO_LOGINS.tenant);
  const member = await userOf(DEMO_LOGINS.householdMember);
  const contract = await one(
    'her contract',
    db
      .select({ id: t.contracts.id, unitId: t.contractUnits.unitId })
      .from(t.contracts)
      .innerJoin(t.contractUnits, eq(t.contractUnits.contractId, t.contracts.id))
      .where(eq(t.contracts.number, DEMO_CONTRACT_NUMBERS.tenant)),
  );
  const building = await one(
    'her building',
    db
      .select({ id: t.buildings.id, estateId: t.buildings.estateId })
      .from(t.units)
      .innerJoin(t.buildings, eq(t.buildings.id, t.units.buildingId))
      .where(eq(t.units.id, contract.unitId)),
  );
  const ticket = await one(
    'her ticket',
    db
      .select({ id: t.tickets.id })
      .from(t.tickets)
      .where(and(eq(t.tickets.createdByUserId, tenant.id), eq(t.tickets.contractId, contract.id)))
      .orderBy(asc(t.tickets.createdAt))
      .limit(1),
  );
  const message = await one(
    'a public message',
    db
      .select({ id: t.ticketMessages.id })
      .from(t.ticketMessages)
      .where(and(eq(t.ticketMessages.ticketId, ticket.id), eq(t.ticketMessages.visibility, 'public')))
      .orderBy(asc(t.ticketMessages.createdAt))
      .limit(1),
  );
  const invoice = await one(
    'an invoice',
    db.select({ id: t.invoices.id }).from(t.invoices).where(eq(t.invoices.contractId, contract.id)).limit(1),
  );
  const document = await one(
    'a contract document',
    db
      .select({ id: t.documents.id })
      .from(t.documents)
      .where(and(eq(t.documents.scope, 'contract'), eq(t.documents.contractId, contract.id)))
      .orderBy(asc(t.documents.publishedAt))
      .limit(1),
  );
  const incident = await one(
    'an incident',
    db
      .select({ id: t.incidents.id })
      .from(t.incidents)
      .where(eq(t.incidents.buildingId, building.id))
      .limit(1),
  );
  const ownership = await one(
    "Olaf's ownership",
    db
      .select({ id: t.ownerships.id })
      .from(t.ownerships)
      .innerJoin(t.users, eq(t.users.personId, t.ownerships.personId))
      .where(eq(t.users.loginEmail, DEMO_LOGINS.owner))
      .orderBy(asc(t.ownerships.id))
      .limit(1),
  );
  const notice = await one(
    'a notice',
    db
      .select({ id: t.notices.id })
      .from(t.notices)
      .where(and(eq(t.notices.buildingId, building.id), isNull(t.notices.deletedAt)))
      .limit(1),
  );
  const canned = await one(
    'a canned reply',
    db
      .select({ id: t.cannedReplies.id, teamId: t.cannedReplies.teamId })
      .from(t.cannedReplies)
      .innerJoin(t.teamScopes, eq(t.teamScopes.teamId, t.cannedReplies.teamId))
      .where(eq(t.teamScopes.estateId, building.estateId))
      .limit(1),
  );
  const otherTicket = await one(
    'her other ticket',
    db
      .select({ id: t.tickets.id })
      .from(t.tickets)
      .where(and(eq(t.tickets.createdByUserId, tenant.id), ne(t.tickets.id, ticket.id)))
      .orderBy(asc(t.tickets.createdAt))
      .limit(1),
  );
  const attachmentId = await uploadAttachment(app, tokens.tenant, {
    bytes: await tinyPng(),
    type: 'image/png',
    name: 'tap.png',
  });
  const staffPdfs = {} as DemoIds['staffPdfs'];
  for (const actor of ['staffMalmo', 'staff', 'admin'] as const) {
    // Distinct bytes per upload: files are content-addressed.
    const bytes = Buffer.concat([minimalPdf(), Buffer.from(`%${actor}\n`)]);
    staffPdfs[actor] = await uploadAttachment(app, tokens[actor], {
      bytes,
      type: 'application/pdf',
      name: `Schreiben-${actor}.pdf`,
    });
  }
  const asAdmin = async (path: string, json: unknown) => {
    const res = await call(app, path, { cookie: tokens.admin, json });
    if (res.status !== 201) throw new Error(`demo world: ${path} failed ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, { id: string }>>;
  };
  const probeTeamId = (await asAdmin('/api/staff/admin/teams', { name: 'Matrix probe team' })).team!.id;
  const probeApiKeyId = (
    await asAdmin('/api/staff/admin/api-keys', { name: 'Matrix probe', scopes: ['read'] })
  ).apiKey!.id;
  const probeContractorId = (
    await asAdmin('/api/staff/admin/contractors', { name: 'Matrix probe plumbing', trades: ['plumbing'] })
  ).contractor!.id;
  const probeWebhookId = (
    await asAdmin('/api/staff/admin/webhooks', {
      url: 'http://127.0.0.1:9/matrix-probe',
      events: ['ticket.message.created'],
    })
  ).webhook!.id;
  const probeStaffUserId = (
    await asAdmin('/api/staff/admin/staff', {
      firstName: 'Matrix',
      lastName: 'Probe',
      email: 'matrix-probe@example.org',
      role: 'staff',
      language: 'de',
    })
  ).account!.id;
  // A logo, so GET /api/branding/logo has something to serve (the seed has none).
  const logo = await postFile(app, tokens.admin, '/api/staff/admin/branding/logo', {
    bytes: await tinyPng(),
    type: 'image/png',
    name: 'logo.png',
  });
  if (logo.status !== 200) throw new Error(`demo world: logo failed ${logo.status} ${await logo.text()}`);
  const ticketType = await one(
    'an active ticket type',
    db
      .select({ id: t.ticketTypes.id })
      .from(t.ticketTypes)
      .where(eq(t.ticketTypes.active, true))
      .orderBy(asc(t.ticketTypes.id))
      .limit(1),
  );
  const invited = await call(app, `/api/contracts/${contract.id}/household/invitations`, {
    cookie: tokens.tenant,
    json: { firstName: 'Matrix', lastName: 'Gast', email: 'matrix-guest@example.org', access: 'read' },
  });
  if (invited.status !== 201) throw new Error(`demo world: invitation failed ${invited.status}`);
  const householdInvitationId = ((await invited.json()) as { invitation: { id: string } }).invitation.id;
  const invitee = await one(
    'the invitee',
    db
      .select({ personId: t.registrationCodes.personId })
      .from(t.registrationCodes)
      .where(eq(t.registrationCodes.id, householdInvitationId)),
  );
  // Attached to her Berlin ticket, it is visible exactly like the ticket (server/services/uploads.ts).
  const attach = await call(app, `/api/tickets/${ticket.id}/messages`, {
    cookie: tokens.tenant,
    json: { body: 'Foto vom Wasserhahn', attachmentIds: [attachmentId], clientId: 'security-world-photo' },
  });
  if (attach.status !== 201) throw new Error(`demo world: attaching failed ${attach.status}`);
  const probeWebhookDelivery = await one(
    'the probe webhook delivery',
    db
      .select({ id: t.webhookDeliveries.id })
      .from(t.webhookDeliveries)
      .where(eq(t.webhookDeliveries.webhookId, probeWebhookId))
      .limit(1),
  );

  const pushSubscriptionId = 'sec0push0erika0device';
  // Rows a probe may legitimately change or delete (DELETE of a canned reply or notice, closing the
  // incident, attaching the ticket to it, admin settings): put back before every request, so each
  // actor meets the seeded state and an earlier actor's success never turns into a later one's 404/409.
  const restoreRows = await snapshots(db, [
    ['canned_replies', 'id', canned.id],
    ['notices', 'id', notice.id],
    ['incidents', 'id', incident.id],
    ['tickets', 'id', ticket.id, ['incident_id']],
    ['ticket_types', 'id', ticketType.id],
    ['settings', 'key', 'password_policy'],
    ['settings', 'key', 'branding'],
    ['teams', 'id', probeTeamId],
    ['api_keys', 'id', probeApiKeyId, ['revoked_at']],
    ['webhooks', 'id', probeWebhookId, ['deleted_at']],
    ['contractors', 'id', probeContractorId],
    ['users', 'id', probeStaffUserId, ['disabled_at', 'role']],
    // Erika removes Jonas (end-dates his party row) and withdraws her invitation (deletes the code
    // and the invitee's person: the person goes back first, the code refers to it).
    ['contract_parties', 'person_id', member.personId, ['until']],
    ['persons', 'id', invitee.personId],
    ['registration_codes', 'id', householdInvitationId],
  ]);
  const restore = async () => {
    await restoreRows();
    const exists = await first(
      db
        .select({ id: t.pushSubscriptions.id })
        .from(t.pushSubscriptions)
        .where(eq(t.pushSubscriptions.id, pushSubscriptionId)),
    );
    if (exists) return;
    await insertPushSubscription(ctx.deps.db, {
      id: pushSubscriptionId,
      userId: tenant.id,
      endpoint: 'https://push.example.org/erika-phone',
      p256dh: 'BExamplePublicKey',
      auth: 'ExampleAuth',
      userAgent: 'test',
      createdAt: new Date(),
    });
  };
  await restore();

  return {
    ctx,
    app,
    tokens,
    ids: {
      tenantUserId: tenant.id,
      tenantPersonId: tenant.personId,
      contractId: contract.id,
      householdPersonId: member.personId,
      householdInvitationId,
      ticketId: ticket.id,
      messageId: message.id,
      invoiceId: invoice.id,
      documentId: document.id,
      ownershipId: ownership.id,
      incidentId: incident.id,
      noticeId: notice.id,
      attachmentId,
      pushSubscriptionId,
      cannedReplyId: canned.id,
      cannedReplyTeamId: canned.teamId!,
      otherTicketId: otherTicket.id,
      buildingId: building.id,
      contractNumber: DEMO_CONTRACT_NUMBERS.tenant,
      ticketTypeId: ticketType.id,
      staffPdfs,
      probeTeamId,
      probeStaffUserId,
      probeApiKeyId,
      probeContractorId,
      probeImportRunId: await insertImportRun(ctx.deps.db, {
        source: 'api',
        mode: 'delta',
        dryRun: true,
        status: 'checked',
        startedAt: new Date(),
        finishedAt: new Date(),
      }),
      probeWebhookId,
      probeWebhookDeliveryId: probeWebhookDelivery.id,
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
