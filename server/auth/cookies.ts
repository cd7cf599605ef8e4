import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { parse } from 'hono/utils/cookie';
import { nodeBindings, type AppEnv } from '../lib/context.ts';
import type { Deps } from '../deps.ts';

export const sessionCookieName = 'portier_session';
/** Letters, digits and dots: what our tokens are made of (session-token.ts). */
const plainTokenValue = /^[a-z0-9.]*$/;

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
  return sessionTokenOf(node.incoming.headers.cookie);
}

/**
 * The session token from a raw `Cookie` header: the one parser for HTTP and the live handshake.
 * Hono's parser decodes with a guarded decodeURIComponent, so a malformed value (`%`, `%E0%A4%A`)
 * comes back as it was instead of throwing; the token check then refuses it like any bad token.
 */
export function sessionTokenOf(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  const at = cookieHeader.indexOf(sessionCookieName);
  if (at < 0) return undefined;
  // The common case, read without splitting the header: the name's first occurrence starts a pair,
  // is followed by `=` and a value of token letters only, which the parser would hand back
  // unchanged. Anything else (blanks, quotes, escapes, the name inside another cookie's value) goes
  // through the parser.
  let start = at;
  while (start > 0 && (cookieHeader[start - 1] === ' ' || cookieHeader[start - 1] === '\t')) start--;
  const valueAt = at + sessionCookieName.length + 1;
  if ((start === 0 || cookieHeader[start - 1] === ';') && cookieHeader[valueAt - 1] === '=') {
    const semicolon = cookieHeader.indexOf(';', valueAt);
    const value = cookieHeader.slice(valueAt, semicolon < 0 ? undefined : semicolon);
    if (plainTokenValue.test(value)) return value;
  }
  return parse(cookieHeader, sessionCookieName)[sessionCookieName];
}

export function setSessionCookie<E extends AppEnv>(c: Context<E>, token: string, expiresAt: Date): void {
  setCookie(c, sessionCookieName, token, { ...cookieOptions(c), expires: expiresAt });
}

export function clearSessionCookie<E extends AppEnv>(c: Context<E>): void {
  deleteCookie(c, sessionCookieName, cookieOptions(c));
}
