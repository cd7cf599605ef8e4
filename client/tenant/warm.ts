import { pathParams } from '../lib/router.svelte.ts';

/**
 * What a signed-in page reads first from the API, by path: asked for while the page's code is still
 * on its way, instead of after it arrived and rendered (issue 16: LCP on a phone network). The
 * page's own GET of the same URL takes the answer over (fetch reuses a matching preload), so
 * nothing is fetched twice; a path missing here only means that page's data comes a little later.
 */
const firstData: readonly { path: string; api: (params: Record<string, string>) => string[] }[] = [
  { path: '/', api: () => ['/home'] },
  { path: '/contracts', api: () => ['/contracts', '/owner/units'] },
  {
    path: '/contracts/:id',
    api: ({ id = '' }) => [
      `/contracts/${encodeURIComponent(id)}`,
      `/contracts/${encodeURIComponent(id)}/ledger`,
    ],
  },
  { path: '/invoices', api: () => ['/invoices?unpaid=true'] },
  { path: '/requests', api: () => ['/tickets', '/incidents'] },
  { path: '/requests/new', api: () => ['/ticket-types', '/contracts', '/owner/units'] },
  { path: '/requests/:id', api: ({ id = '' }) => [`/tickets/${encodeURIComponent(id)}`] },
];

/** Starts the GETs of who is signed in and of the page's first data, side by side. */
export function warmFirstData(path: string): void {
  const api = ['/me'];
  for (const entry of firstData) {
    const params = pathParams(entry.path, path);
    if (params) {
      api.push(...entry.api(params));
      break;
    }
  }
  for (const url of api) {
    const link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'fetch';
    // Same mode and credentials as the app's own fetch(), or the browser would not reuse the answer.
    link.crossOrigin = 'anonymous';
    link.href = `/api${url}`;
    document.head.append(link);
  }
}
