import { Hono } from 'hono';
import {
  createWebhookRequest,
  type CreatedWebhookDto,
  type WebhookDeliveriesDto,
  type WebhookDeliveryDto,
  type WebhookDto,
  type WebhooksDto,
} from '../../shared/api/webhooks.ts';
import { requestMeta } from '../auth/client-ip.ts';
import { requireAdmin } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  createWebhook,
  deleteWebhook,
  getWebhook,
  listWebhookDeliveries,
  listWebhooks,
  resendWebhookDelivery,
  rotateWebhookSecret,
} from '../services/integration/webhooks.ts';

/** `/api/staff/admin/webhooks` (API.md "Integration", docs/webhooks.md): admins only. */
export const staffAdminWebhooks = new Hono<AppEnv>()
  .use(requireAdmin)
  .get('/', async (c) => c.json((await listWebhooks(c.get('deps'))) satisfies WebhooksDto))
  .post('/', jsonBody(createWebhookRequest), async (c) =>
    c.json(
      (await createWebhook(
        c.get('deps'),
        c.get('user'),
        c.get('body'),
        requestMeta(c),
      )) satisfies CreatedWebhookDto,
      201,
    ),
  )
  .get('/:id', async (c) =>
    c.json((await getWebhook(c.get('deps'), c.req.param('id'))) satisfies { webhook: WebhookDto }),
  )
  .delete('/:id', async (c) => {
    await deleteWebhook(c.get('deps'), c.get('user'), c.req.param('id'), requestMeta(c));
    return c.body(null, 204);
  })
  .get('/:id/deliveries', async (c) =>
    c.json((await listWebhookDeliveries(c.get('deps'), c.req.param('id'))) satisfies WebhookDeliveriesDto),
  )
  .post('/:id/deliveries/:deliveryId/resend', async (c) =>
    c.json(
      (await resendWebhookDelivery(
        c.get('deps'),
        c.get('user'),
        c.req.param('id'),
        c.req.param('deliveryId'),
        requestMeta(c),
      )) satisfies { delivery: WebhookDeliveryDto },
      202,
    ),
  )
  .post('/:id/rotate-secret', async (c) =>
    c.json(
      (await rotateWebhookSecret(
        c.get('deps'),
        c.get('user'),
        c.req.param('id'),
        requestMeta(c),
      )) satisfies CreatedWebhookDto,
    ),
  );
