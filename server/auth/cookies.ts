import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../lib/context.ts';
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

export function readSessionCookie<E extends AppEnv>(c: Context<E>): string | undefined {
  return getCookie(c, sessionCookieName);
}

export function setSessionCookie<E extends AppEnv>(c: Context<E>, token: string, expiresAt: Date): void {
  setCookie(c, sessionCookieName, token, { ...cookieOptions(c), expires: expiresAt });
}

export function clearSessionCookie<E extends AppEnv>(c: Context<E>): void {
  deleteCookie(c, sessionCookieName, cookieOptions(c));
}
