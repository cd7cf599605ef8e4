import { Hono } from 'hono';
import {
  numberSignupConfirmRequest,
  numberSignupSendRequest,
  numberSignupStartRequest,
} from '../../shared/api/number-signup.ts';
import { requestMeta } from '../auth/client-ip.ts';
import { setSessionCookie } from '../auth/cookies.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  confirmNumberSignup,
  sendNumberSignupCode,
  startNumberSignup,
} from '../services/accounts/number-signup.ts';

/** `/api/auth/register/by-number`: sign-up without a letter (seed 004, docs/auth.md). */
export const numberSignup = new Hono<AppEnv>()
  .post('/', jsonBody(numberSignupStartRequest), async (c) =>
    c.json(await startNumberSignup(c.get('deps'), c.get('body'), requestMeta(c))),
  )
  .post('/send', jsonBody(numberSignupSendRequest), async (c) =>
    c.json(await sendNumberSignupCode(c.get('deps'), c.get('body'), requestMeta(c)), 202),
  )
  .post('/confirm', jsonBody(numberSignupConfirmRequest), async (c) => {
    const { response, session } = await confirmNumberSignup(c.get('deps'), c.get('body'), requestMeta(c));
    if (session) setSessionCookie(c, session.token, session.expiresAt);
    return c.json(response, 201);
  });
