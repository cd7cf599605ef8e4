import { Hono } from 'hono';
import {
  confirmEmailRequest,
  forgotPasswordRequest,
  loginRequest,
  registerRequest,
  resetPasswordRequest,
  verifyRequest,
  type ConfirmEmailResponse,
  type ForgotPasswordResponse,
  type RegisterResponse,
  type ResetPasswordResponse,
  type VerifyResponse,
} from '../../shared/api/auth.ts';
import { requestMeta } from '../auth/client-ip.ts';
import { clearSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { requireUser } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody } from '../lib/validate.ts';
import {
  confirmEmailChange,
  forgotPassword,
  getPasswordPolicy,
  login,
  logout,
  logoutEverywhere,
  register,
  resetPassword,
  verifyEmail,
} from '../services/accounts/index.ts';

/** `/api/auth`: sign-in and everything reached from a mailed link, without a session. */
export const auth = new Hono<AppEnv>()
  .post('/login', jsonBody(loginRequest), async (c) => {
    const { user, session } = await login(c.get('deps'), c.get('body'), requestMeta(c));
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ user });
  })
  .post('/logout', async (c) => {
    await logout(c.get('deps'), c.get('session')?.id ?? null);
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .post('/logout-everywhere', requireUser, async (c) => {
    await logoutEverywhere(c.get('deps'), c.get('user').id, requestMeta(c));
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .post('/register', jsonBody(registerRequest), async (c) => {
    await register(c.get('deps'), c.get('body'), requestMeta(c));
    return c.json({ status: 'verification_sent' } satisfies RegisterResponse, 201);
  })
  .post('/verify', jsonBody(verifyRequest), async (c) => {
    await verifyEmail(c.get('deps'), c.get('body').token, requestMeta(c));
    return c.json({ status: 'verified' } satisfies VerifyResponse);
  })
  .post('/password/forgot', jsonBody(forgotPasswordRequest), async (c) => {
    await forgotPassword(c.get('deps'), c.get('body').email, requestMeta(c));
    return c.json({ status: 'accepted' } satisfies ForgotPasswordResponse, 202);
  })
  .post('/password/reset', jsonBody(resetPasswordRequest), async (c) => {
    await resetPassword(c.get('deps'), c.get('body'), requestMeta(c));
    return c.json({ status: 'password_reset' } satisfies ResetPasswordResponse);
  })
  .post('/email/confirm', jsonBody(confirmEmailRequest), async (c) => {
    await confirmEmailChange(c.get('deps'), c.get('body').token, requestMeta(c));
    return c.json({ status: 'email_changed' } satisfies ConfirmEmailResponse);
  })
  .get('/password-policy', async (c) => c.json(await getPasswordPolicy(c.get('deps'))));
