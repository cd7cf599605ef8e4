import { createMiddleware } from 'hono/factory';
import type { Config } from '../config.ts';
import type { AppEnv } from '../lib/context.ts';
import { HttpError } from '../lib/http-error.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence of the Lucia guide ("Cross-site request forgery"): a state-changing request is
 * accepted only when the browser says it comes from our own origin. The Origin header is set by
 * the browser and cannot be forged by a page; a missing one (very old browsers, foreign tools)
 * is refused as well. Only PUBLIC_URL's origin and ALLOWED_ORIGINS count, never the request's
 * own Host header, which an attacker controls on a misconfigured proxy.
 * The Socket.IO handshake calls this with the handshake's Origin header.
 */
export function isAllowedOrigin(
  config: Pick<Config, 'allowedOrigins'>,
  origin: string | null | undefined,
): boolean {
  if (!origin) return false;
  return config.allowedOrigins.includes(origin);
}

export const originMismatch = () =>
  new HttpError(403, 'origin_mismatch', 'This request must come from the portal itself.');

/** Refuses non-GET/HEAD/OPTIONS requests from a foreign or missing Origin with 403 `origin_mismatch`. */
export const originCheck = createMiddleware<AppEnv>(async (c, next) => {
  if (!safeMethods.has(c.req.method) && !isAllowedOrigin(c.get('deps').config, c.req.header('origin'))) {
    throw originMismatch();
  }
  await next();
});
