import { DrainLoop } from '../../lib/drain-loop.ts';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import {
  claimDueDeliveries,
  listWebhooksByIds,
  markDeliveryDelivered,
  markDeliveryFailed,
  type WebhookDeliveryRow,
  type WebhookRow,
} from '../../../db/repositories/webhooks.ts';
import type { Deps } from '../../deps.ts';
import { onWebhooksQueued } from './webhook-events.ts';
import { openWebhookSecret } from './webhook-secrets.ts';

export type WebhookWorkerDeps = Pick<Deps, 'db' | 'config' | 'now'>;

export interface WebhookOptions {
  batchSize: number;
  /** A claimed row whose lease ran out is taken again (the worker died mid-send). */
  leaseMs: number;
  /** One attempt waits this long for the answer's status, then counts as failed. */
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultWebhookOptions: WebhookOptions = {
  batchSize: 20,
  leaseMs: 2 * 60_000,
  timeoutMs: 10_000,
  // 30 s · 2^n, capped at 6 h: fourteen attempts span about 26½ h before `dead`, so an ERP
  // down for a night or a maintenance day still gets every message.
  maxAttempts: 14,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 3_600_000,
};

/** The wait after the `attempt`-th failed attempt. */
export function retryDelayMs(options: WebhookOptions, attempt: number): number {
  return Math.min(options.baseDelayMs * 2 ** (attempt - 1), options.maxDelayMs);
}

type Outcome =
  { ok: true; status: number } | { ok: false; status: number | null; error: string; permanent: boolean };

/**
 * One signed POST (Standard Webhooks: `webhook-id`, `webhook-timestamp` in seconds,
 * `webhook-signature` = `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, made by the
 * specification's own library). Signed at send time, so a retry or resend carries a fresh
 * timestamp (receivers refuse old ones against replay) and the current secret.
 */
async function attempt(
  deps: WebhookWorkerDeps,
  options: WebhookOptions,
  row: WebhookDeliveryRow,
  hook: WebhookRow | undefined,
): Promise<Outcome> {
  if (!hook || hook.deletedAt) return { ok: false, status: null, error: 'webhook_deleted', permanent: true };
  let secret: string;
  try {
    secret = openWebhookSecret(deps.config.dataDir, hook.id, hook.secret);
  } catch {
    // The key file in DATA_DIR is gone or another one: only a new secret (rotate) helps.
    return { ok: false, status: null, error: 'secret_unreadable', permanent: true };
  }
  const sentAt = deps.now();
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Portier-Webhooks/1',
    'webhook-id': row.id,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(row.id, sentAt, row.payload),
  };
  try {
    const response = await fetch(hook.url, {
      method: 'POST',
      headers,
      body: row.payload,
      // A redirect is not followed: the signed body would go to a place the admin did not name.
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // Only the status counts; the body is never read (nor shown to anyone).
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    // 410 Gone: the receiver says this message will never be wanted; retrying cannot help. The
    // webhook itself stays: an ERP answering 410 for one message must not silence all others.
    return {
      ok: false,
      status: response.status,
      error: `http_${response.status}`,
      permanent: response.status === 410,
    };
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    const message =
      name === 'TimeoutError'
        ? 'timeout'
        : typeof cause === 'string'
          ? `connection_failed: ${cause}`
          : 'connection_failed';
    return { ok: false, status: null, error: message, permanent: false };
  }
}

async function process(
  deps: WebhookWorkerDeps,
  options: WebhookOptions,
  row: WebhookDeliveryRow,
  hook: WebhookRow | undefined,
): Promise<void> {
  const outcome = await attempt(deps, options, row, hook);
  if (outcome.ok) {
    await markDeliveryDelivered(deps.db, row, outcome.status, deps.now());
    return;
  }
  const last = outcome.permanent || row.attempts >= options.maxAttempts;
  await markDeliveryFailed(deps.db, row, {
    status: outcome.status,
    error: outcome.error.slice(0, 500),
    nextAttemptAt: last ? null : new Date(deps.now().getTime() + retryDelayMs(options, row.attempts)),
  });
}

/** Sends every delivery due now, batch by batch; returns how many attempts were made. */
export async function drainWebhooks(
  deps: WebhookWorkerDeps,
  overrides: Partial<WebhookOptions> = {},
): Promise<number> {
  const options = { ...defaultWebhookOptions, ...overrides };
  let attempted = 0;
  for (;;) {
    const now = deps.now();
    const rows = await claimDueDeliveries(
      deps.db,
      now,
      new Date(now.getTime() + options.leaseMs),
      randomBytes(12).toString('base64url'),
      options.batchSize,
    );
    if (rows.length === 0) return attempted;
    attempted += rows.length;
    const hooks = new Map(
      (await listWebhooksByIds(deps.db, [...new Set(rows.map((row) => row.webhookId))])).map((hook) => [
        hook.id,
        hook,
      ]),
    );
    await Promise.all(rows.map((row) => process(deps, options, row, hooks.get(row.webhookId))));
  }
}

/** The running worker (server/main.ts, beside the notification outbox): webhooks' drain on a DrainLoop. */
export class WebhookWorker extends DrainLoop {
  constructor(deps: WebhookWorkerDeps, options: Partial<WebhookOptions> = {}, intervalMs = 10_000) {
    super(
      'webhook',
      async () => await drainWebhooks(deps, options),
      onWebhooksQueued,
      intervalMs,
      deps.config.logLevel === 'silent',
    );
  }
}
