import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppEnv } from '../lib/context.ts';
import type { Deps } from '../deps.ts';
import type { RequestMeta } from '../lib/request-meta.ts';

/**
 * The client address for throttling and audit. X-Forwarded-For is only believed behind a
 * trusted reverse proxy (TRUST_PROXY), and then only its last entry: the one our proxy appended;
 * everything left of it is whatever the client chose to send. Assumes exactly one proxy hop.
 */
export function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}

/** Address and user agent of the request, for services that throttle or audit. */
export function requestMeta<E extends AppEnv>(c: Context<E>): RequestMeta {
  return {
    ip: clientIp(c, (c.var.deps as Deps).config.trustProxy),
    userAgent: c.req.header('user-agent') ?? null,
  };
}
