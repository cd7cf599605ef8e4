import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../config.ts';

/**
 * Strict CSP without 'unsafe-inline' anywhere: the PWA ships only bundled scripts and styles
 * (OWASP ASVS V3.4.3). `connect-src` names the WebSocket origin explicitly because 'self'
 * only covers ws:/wss: from Chrome 71 and Safari 16 on (CSP3 §6.7.2.6).
 */
export function securityHeaders(config: Pick<Config, 'publicUrl'>) {
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
    // A handler's own stricter headers win: served uploads carry a sandbox CSP (server/files/serve.ts).
    overwrite: false,
  });
}
