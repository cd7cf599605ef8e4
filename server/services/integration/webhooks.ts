import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import { newId } from '../../../db/ids.ts';
import {
  findActiveWebhook,
  findDeliveryOfWebhook,
  insertWebhook,
  killOpenDeliveriesOfWebhook,
  listActiveWebhooks,
  listDeliveriesOfWebhook,
  requeueDelivery,
  setWebhookSecret,
  softDeleteWebhook,
  type WebhookDeliveryRow,
  type WebhookRow,
} from '../../../db/repositories/webhooks.ts';
import type { Tx } from '../../../db/transaction.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import type {
  CreateWebhookRequest,
  CreatedWebhookDto,
  WebhookDeliveriesDto,
  WebhookDeliveryDto,
  WebhookDto,
  WebhooksDto,
} from '../../../shared/api/webhooks.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { notFound } from '../../lib/http-error.ts';
import type { RequestMeta } from '../../lib/request-meta.ts';
import { wakeWebhookWorkers } from './webhook-events.ts';
import { newWebhookSecret, sealWebhookSecret } from './webhook-secrets.ts';

/** Webhooks out, the admin side (API.md "Integration"; the console's Webhooks page). */
type WebhookDeps = Pick<Deps, 'db' | 'now' | 'config' | 'bus'>;

/** The console lists this many recent deliveries per webhook. */
const deliveriesShown = 100;

const iso = (date: Date | null) => date?.toISOString() ?? null;

const dtoOf = (row: WebhookRow): WebhookDto => ({
  id: row.id,
  url: row.url,
  events: row.events,
  description: row.description,
  createdAt: row.createdAt.toISOString(),
});

const deliveryDtoOf = (row: WebhookDeliveryRow): WebhookDeliveryDto => ({
  id: row.id,
  type: row.type,
  state: row.state,
  attempts: row.attempts,
  createdAt: row.createdAt.toISOString(),
  lastAttemptAt: iso(row.lastAttemptAt),
  nextAttemptAt: iso(row.nextAttemptAt),
  lastStatus: row.lastStatus,
  lastError: row.lastError,
});

async function audit(
  tx: Tx,
  deps: WebhookDeps,
  admin: SessionUser,
  meta: RequestMeta,
  action: string,
  webhookId: string,
  data?: Record<string, unknown>,
): Promise<void> {
  await insertAuditEntry(tx, {
    actorUserId: admin.id,
    action,
    entityType: 'webhook',
    entityId: webhookId,
    ...(data && { data }),
    ipAddress: meta.ip,
    createdAt: deps.now(),
  });
}

/** Deleted and unknown ids answer the same 404. */
async function activeWebhook(deps: WebhookDeps, id: string): Promise<WebhookRow> {
  const row = await findActiveWebhook(deps.db, id);
  if (!row) throw notFound();
  return row;
}

export async function listWebhooks(deps: WebhookDeps): Promise<WebhooksDto> {
  return { webhooks: (await listActiveWebhooks(deps.db)).map(dtoOf) };
}

export async function getWebhook(deps: WebhookDeps, id: string): Promise<{ webhook: WebhookDto }> {
  return { webhook: dtoOf(await activeWebhook(deps, id)) };
}

/** The secret is shown in this answer only; the store keeps it sealed (webhook-secrets.ts). */
export async function createWebhook(
  deps: WebhookDeps,
  admin: SessionUser,
  input: CreateWebhookRequest,
  meta: RequestMeta,
): Promise<CreatedWebhookDto> {
  const id = newId();
  const secret = newWebhookSecret();
  const row = await unitOfWork(deps, async ({ tx }) => {
    const created = await insertWebhook(tx, {
      id,
      url: input.url,
      events: [...input.events].sort(),
      description: input.description || null,
      secret: sealWebhookSecret(deps.config.dataDir, id, secret),
      createdByUserId: admin.id,
      createdAt: deps.now(),
    });
    await audit(tx, deps, admin, meta, 'webhook.created', id, { url: created.url, events: created.events });
    return created;
  });
  return { webhook: dtoOf(row), secret };
}

/** Soft delete: the row stays for the audit trail; what was still to be sent ends as `dead`. */
export async function deleteWebhook(
  deps: WebhookDeps,
  admin: SessionUser,
  id: string,
  meta: RequestMeta,
): Promise<void> {
  await unitOfWork(deps, async ({ tx }) => {
    if (!(await softDeleteWebhook(tx, id, deps.now()))) throw notFound();
    await killOpenDeliveriesOfWebhook(tx, id, 'webhook_deleted');
    await audit(tx, deps, admin, meta, 'webhook.deleted', id);
  });
}

/**
 * A new secret, effective at once: every attempt from now on, also of messages queued before, is
 * signed with it alone. No grace period with two signatures: a rotation after a leak must stop
 * the leaked secret from verifying anything new (docs/webhooks.md tells the ERP to swap first).
 */
export async function rotateWebhookSecret(
  deps: WebhookDeps,
  admin: SessionUser,
  id: string,
  meta: RequestMeta,
): Promise<CreatedWebhookDto> {
  const secret = newWebhookSecret();
  const row = await unitOfWork(deps, async ({ tx }) => {
    const updated = await setWebhookSecret(
      tx,
      id,
      sealWebhookSecret(deps.config.dataDir, id, secret),
      deps.now(),
    );
    if (!updated) throw notFound();
    await audit(tx, deps, admin, meta, 'webhook.secret_rotated', id);
    return updated;
  });
  return { webhook: dtoOf(row), secret };
}

export async function listWebhookDeliveries(deps: WebhookDeps, id: string): Promise<WebhookDeliveriesDto> {
  await activeWebhook(deps, id);
  return { deliveries: (await listDeliveriesOfWebhook(deps.db, id, deliveriesShown)).map(deliveryDtoOf) };
}

/**
 * Sends the SAME message again (same `webhook-id` and body, a fresh timestamp and signature), with
 * a fresh attempt schedule: the receiver deduplicates by the id. A delivery of another webhook is 404.
 */
export async function resendWebhookDelivery(
  deps: WebhookDeps,
  admin: SessionUser,
  id: string,
  deliveryId: string,
  meta: RequestMeta,
): Promise<{ delivery: WebhookDeliveryDto }> {
  const row = await unitOfWork(deps, async ({ tx }) => {
    if (!(await findActiveWebhook(tx, id)) || !(await findDeliveryOfWebhook(tx, id, deliveryId)))
      throw notFound();
    const requeued = await requeueDelivery(tx, deliveryId, deps.now());
    await audit(tx, deps, admin, meta, 'webhook.delivery_resent', id, { deliveryId });
    return requeued;
  });
  wakeWebhookWorkers();
  return { delivery: deliveryDtoOf(row) };
}
