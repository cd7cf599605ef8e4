import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config.ts';
import { nodeBindings } from './context.ts';

/**
 * Strict CSP without 'unsafe-inline' anywhere: the PWA ships only bundled scripts and styles
 * (OWASP ASVS V3.4.3). `connect-src` names the WebSocket origin explicitly because 'self'
 * only covers ws:/wss: from Chrome 71 and Safari 16 on (CSP3 §6.7.2.6).
 */
function policy(config: Pick<Config, 'publicUrl'>) {
  const publicUrl = new URL(config.publicUrl);
  const https = publicUrl.protocol === 'https:';
  const socketOrigin = `${https ? 'wss' : 'ws'}://${publicUrl.host}`;
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'", socketOrigin],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      objectSrc: ["'none'"],
      workerSrc: ["'self'"],
      manifestSrc: ["'self'"],
    },
    // HSTS only where it means something: on http it is ignored, and on localhost it would stick.
    strictTransportSecurity: https ? 'max-age=31536000; includeSubDomains' : false,
    xFrameOptions: 'DENY',
    referrerPolicy: 'strict-origin-when-cross-origin',
    xContentTypeOptions: true,
    permissionsPolicy: { geolocation: [], microphone: [], payment: [], usb: [] },
  });
}

/**
 * What an API answer carries (OWASP REST Security Cheat Sheet, "Security headers"): JSON is never
 * rendered as a page, so it needs no script or style policy, only "no framing, no sniffing, nothing
 * loads from it" and no cross-origin reads of private data (CORP). The document-only headers of
 * `policy` (COOP, Permissions-Policy, origin agent cluster, the IE-era X-* ones) add nothing to a JSON
 * answer but bytes on every request of a phone. Files served under /api set their own sandbox CSP.
 */
function apiHeaders(config: Pick<Config, 'publicUrl'>): [string, string][] {
  const headers: [string, string][] = [
    ['content-security-policy', "default-src 'none'; frame-ancestors 'none'"],
    ['cross-origin-resource-policy', 'same-origin'],
    ['referrer-policy', 'no-referrer'],
    ['x-content-type-options', 'nosniff'],
    ['x-frame-options', 'DENY'],
  ];
  if (new URL(config.publicUrl).protocol === 'https:') {
    headers.push(['strict-transport-security', 'max-age=31536000; includeSubDomains']);
  }
  return headers;
}

/**
 * The headers of `policy` on every page and asset, those of `apiHeaders` on every /api answer; a
 * handler's own stricter header wins (served uploads carry a sandbox CSP, server/files/serve.ts). The
 * page list is the one hono/secure-headers produces, taken once from a probe response. On Node it goes
 * onto the ServerResponse before the handler runs: Node merges it with the handler's headers, and
 * those win (http `writeHead` docs). Setting it on `c.res.headers` instead, as secureHeaders does,
 * turns the adapter's cached plain-object response into a WHATWG Headers object and back on every
 * request: about a tenth of a small JSON answer.
 */
export function securityHeaders(config: Pick<Config, 'publicUrl'>) {
  const probe = new Hono().use(policy(config)).get('*', (c) => c.body(null));
  const api = apiHeaders(config);
  let page: [string, string][] | undefined;
  return createMiddleware(async (c, next) => {
    page ??= [...(await probe.request('/')).headers];
    const headers = c.req.path.startsWith('/api/') ? api : page;
    const outgoing = nodeBindings(c)?.outgoing;
    if (outgoing) {
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      return next();
    }
    await next();
    for (const [name, value] of headers) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
}
