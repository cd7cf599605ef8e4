import { Hono } from 'hono';
import {
  changeEmailRequest,
  changePasswordRequest,
  updateMeRequest,
  type ChangeEmailResponse,
  type ChangePasswordResponse,
} from '../../shared/api/auth.ts';
import { requestMeta } from '../auth/client-ip.ts';
import { requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  cancelEmailChange,
  changePassword,
  getMe,
  getPendingEmailChange,
  requestEmailChange,
  updateMe,
} from '../services/accounts/index.ts';

/** `/api/me`: the signed-in user's own account. Contact data (PATCH) grows here in a later issue. */
export const me = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => c.json({ user: await getMe(c.get('deps'), c.get('user').id) }))
  .patch('/', jsonBody(updateMeRequest), async (c) =>
    c.json({ user: await updateMe(c.get('deps'), c.get('user').id, c.get('body')) }),
  )
  .post('/password', jsonBody(changePasswordRequest), async (c) => {
    await changePassword(
      c.get('deps'),
      { user: c.get('user'), session: c.get('session') },
      c.get('body'),
      requestMeta(c),
    );
    return c.json({ status: 'password_changed' } satisfies ChangePasswordResponse);
  })
  .post('/email', jsonBody(changeEmailRequest), async (c) => {
    await requestEmailChange(c.get('deps'), c.get('user'), c.get('body'), requestMeta(c));
    return c.json({ status: 'confirmation_sent' } satisfies ChangeEmailResponse, 202);
  })
  .get('/email', async (c) => c.json(await getPendingEmailChange(c.get('deps'), c.get('user'))))
  .delete('/email', async (c) =>
    c.json(await cancelEmailChange(c.get('deps'), c.get('user'), requestMeta(c))),
  );
