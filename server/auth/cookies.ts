import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { parse } from 'hono/utils/cookie';
import { nodeBindings, type AppEnv } from '../lib/context.ts';
import type { Deps } from '../deps.ts';

export const sessionCookieName = 'portier_session';

/**
 * HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site subrequests and POSTs),
 * Path=/ and Secure whenever the portal is served over https (Lucia guide "Session cookies").
 */
function cookieOptions<E extends AppEnv>(c: Context<E>) {
  return {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    secure: (c.var.deps as Deps).config.secureCookies,
  } as const;
}

/**
 * Read on every request. On Node the raw `Cookie` header is taken from the IncomingMessage: asking
 * `c.req` for it would build a WHATWG Headers object of all request headers first (server/lib/context.ts).
 */
export function readSessionCookie<E extends AppEnv>(c: Context<E>): string | undefined {
  const node = nodeBindings(c);
  if (!node) return getCookie(c, sessionCookieName);
  const header = node.incoming.headers.cookie;
  return header ? parse(header, sessionCookieName)[sessionCookieName] : undefined;
}

export function setSessionCookie<E extends AppEnv>(c: Context<E>, token: string, expiresAt: Date): void {
  setCookie(c, sessionCookieName, token, { ...cookieOptions(c), expires: expiresAt });
}

export function clearSessionCookie<E extends AppEnv>(c: Context<E>): void {
  deleteCookie(c, sessionCookieName, cookieOptions(c));
}
