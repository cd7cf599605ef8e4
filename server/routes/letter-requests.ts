import { Hono } from 'hono';
import {
  letterRequestListQuery,
  letterRequestRequest,
  type LetterRequestResponse,
} from '../../shared/api/letter-requests.ts';
import { requestMeta } from '../auth/client-ip.ts';
import { requireStaff } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody, parseWith } from '../lib/validate.ts';
import {
  closeLetterRequest,
  listLetterRequestsForStaff,
  requestRegistrationLetter,
} from '../services/letter-requests.ts';

/** `/api/registration-letter-requests`: the public "request a registration letter" form (seed 002). */
export const letterRequests = new Hono<AppEnv>().post('/', jsonBody(letterRequestRequest), async (c) => {
  await requestRegistrationLetter(c.get('deps'), c.get('body'), requestMeta(c));
  return c.json({ status: 'received' } satisfies LetterRequestResponse, 202);
});

/** `/api/staff/letter-requests`: the requests as tasks beside the registration letters. */
export const staffLetterRequests = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', async (c) =>
    c.json(
      await listLetterRequestsForStaff(
        c.get('deps'),
        parseWith(letterRequestListQuery, c.req.query()).status,
      ),
    ),
  )
  .post('/:id/done', async (c) => {
    await closeLetterRequest(c.get('deps'), c.get('user'), c.req.param('id'), requestMeta(c));
    return c.body(null, 204);
  });
