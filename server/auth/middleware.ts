import { createMiddleware } from 'hono/factory';
import type { AppEnv, SessionInfo, SessionUser } from '../lib/context.ts';
import { forbidden, unauthorized } from '../lib/http-error.ts';
import { clearSessionCookie, readSessionCookie, setSessionCookie } from './cookies.ts';
import { validateSessionToken } from './sessions.ts';

/**
 * Runs on every request: sets `user` and `session` (null when nobody is signed in), clears a
 * cookie that no longer names a valid session, and re-sends a renewed one (sliding expiry).
 */
export const sessionMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  const token = readSessionCookie(c);
  const deps = c.get('deps');
  const valid = token ? await validateSessionToken(deps.db, token, deps.now()) : null;
  c.set('user', valid?.user ?? null);
  c.set('session', valid?.session ?? null);
  if (token && !valid) clearSessionCookie(c);
  if (valid?.renewed) setSessionCookie(c, token!, valid.session.expiresAt);
  await next();
});

/** After these, `c.get('user')` and `c.get('session')` are non-null in the handler's types. */
type SignedIn = { Variables: { user: SessionUser; session: SessionInfo } };

/** 401 `unauthenticated` without a valid session. Tenant routes: `app.get('/', requireUser, (c) => …)`. */
export const requireUser = createMiddleware<AppEnv & SignedIn>(async (c, next) => {
  if (!c.get('user')) throw unauthorized();
  await next();
});

/** 401 without a session, 403 `forbidden` unless staff or admin. */
export const requireStaff = createMiddleware<AppEnv & SignedIn>(async (c, next) => {
  const user = c.get('user');
  if (!user) throw unauthorized();
  if (user.role !== 'staff' && user.role !== 'admin') throw forbidden();
  await next();
});

/** 401 without a session, 403 `forbidden` unless admin. */
export const requireAdmin = createMiddleware<AppEnv & SignedIn>(async (c, next) => {
  const user = c.get('user');
  if (!user) throw unauthorized();
  if (user.role !== 'admin') throw forbidden();
  await next();
});

/**
 * Customer-only routes: staff have no person scope of their own here (they use the console and
 * "view as tenant"), so they get 403 `forbidden`; 401 without a session.
 */
export const requireCustomer = createMiddleware<AppEnv & SignedIn>(async (c, next) => {
  const user = c.get('user');
  if (!user) throw unauthorized();
  if (user.role !== 'customer') throw forbidden();
  await next();
});
