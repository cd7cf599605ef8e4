import { Hono } from 'hono';
import { createApiKeyRequest, type ApiKeysDto, type CreatedApiKeyDto } from '../../shared/api/integration.ts';
import { requestMeta } from '../auth/client-ip.ts';
import { requireAdmin } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/integration/api-keys.ts';

/** `/api/staff/admin/api-keys` (API.md "Integration"): admins only. */
export const staffAdminApiKeys = new Hono<AppEnv>()
  .use(requireAdmin)
  .get('/', async (c) => c.json((await listApiKeys(c.get('deps'))) satisfies ApiKeysDto))
  .post('/', jsonBody(createApiKeyRequest), async (c) =>
    c.json(
      (await createApiKey(
        c.get('deps'),
        c.get('user'),
        c.get('body'),
        requestMeta(c),
      )) satisfies CreatedApiKeyDto,
      201,
    ),
  )
  .delete('/:id', async (c) => {
    await revokeApiKey(c.get('deps'), c.get('user'), c.req.param('id'), requestMeta(c));
    return c.body(null, 204);
  });
