import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { Deps } from '../deps.ts';
import type { Locale, UserRole } from '../../shared/api/auth.ts';

/** The signed-in user as handlers see it (`c.get('user')`). */
export interface SessionUser {
  id: string;
  personId: string;
  role: UserRole;
  loginEmail: string;
  language: Locale;
}

export interface SessionInfo {
  id: string;
  expiresAt: Date;
}

export interface AppEnv {
  Variables: {
    deps: Deps;
    /** Set by the session middleware; null when nobody is signed in. */
    user: SessionUser | null;
    session: SessionInfo | null;
  };
}

/**
 * The Node request and response under @hono/node-server (`c.env`, see its HttpBindings); undefined
 * under `app.request()` in tests. Hot middleware reads and writes headers here directly: touching
 * `c.req.raw.headers` or `c.res.headers` makes the adapter build a WHATWG Headers object per request,
 * which the profile showed as a large share of a small JSON answer.
 */
export function nodeBindings(c: Context): HttpBindings | undefined {
  const env = c.env as Partial<HttpBindings> | undefined;
  return env?.incoming && env.outgoing ? (env as HttpBindings) : undefined;
}
