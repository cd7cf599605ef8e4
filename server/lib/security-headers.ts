import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config.ts';
import { nodeBindings } from './context.ts';
import { addHeldHeaders, plainHeld } from './held-response.ts';

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
 * page list is the one hono/secure-headers produces, taken once from a probe response. Added after
 * the handler (error pages included: Hono has turned an error into a response by then): to an answer
 * the Node adapter still holds with plain headers, in one new header object
 * (server/lib/held-response.ts); otherwise on the ServerResponse, where Node merges them with the
 * handler's headers and those win (http `writeHead` docs); under `app.request()` on the Response.
 * Setting them on `c.res.headers`, as secureHeaders does, would turn the adapter's plain header
 * object into a WHATWG Headers object and back on every request: about a tenth of a small JSON
 * answer; one setHeader per header, each validated, showed in the profile too.
 */
export function securityHeaders(config: Pick<Config, 'publicUrl'>) {
  const probe = new Hono().use(policy(config)).get('*', (c) => c.body(null));
  const api = apiHeaders(config);
  let page: [string, string][] | undefined;
  return createMiddleware(async (c, next) => {
    page ??= [...(await probe.request('/')).headers];
    const headers = c.req.path.startsWith('/api/') ? api : page;
    const outgoing = nodeBindings(c)?.outgoing;
    try {
      await next();
    } catch (error) {
      // Only what app.onError could not answer gets here; the adapter's bare 500 gets them too.
      if (outgoing && !outgoing.headersSent)
        for (const [name, value] of headers) outgoing.setHeader(name, value);
      throw error;
    }
    const held = plainHeld(c.res);
    if (held) return addHeldHeaders(held, headers);
    if (outgoing && !outgoing.headersSent) {
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      return;
    }
    for (const [name, value] of headers) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
}
