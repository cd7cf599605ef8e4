import { firstLoadOf, signedInApi } from '../../shared/first-load.ts';

/**
 * Starts the GETs of the page's first data while the page's code is still on its way (issue 16: LCP
 * on a phone network). The server already names them in the HTML it sends (server/lib/static.ts);
 * this covers the HTML the service worker answers offline and the dev server, and skips what the
 * HTML already asked for. The page's own GET of the
 * same URL takes the answer over (fetch reuses a matching preload), so nothing is fetched twice.
 */
export function warmFirstData(path: string): void {
  const page = firstLoadOf(path);
  for (const url of page ? [...signedInApi, ...page.api] : []) {
    const href = `/api${url}`;
    if (document.head.querySelector(`link[rel="preload"][href="${CSS.escape(href)}"]`)) continue;
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'fetch';
    // The app's fetch() is mode "cors" with credentials "same-origin": exactly what `anonymous`
    // gives a preload ("use-credentials" would be "include", and the browser would not reuse it).
    link.crossOrigin = 'anonymous';
    link.href = href;
    document.head.append(link);
  }
}
