import { registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { ExpirationPlugin } from 'workbox-expiration';
import type { WorkboxPlugin } from 'workbox-core/types.js';
import {
  CACHED_AT_HEADER,
  DATA_CACHE,
  FILE_CACHE,
  STORED_AT_HEADER,
  USER_CACHES,
} from './common/protocol.ts';
import { warmOnSession } from './warm.ts';

/**
 * The API answers that are readable offline (issue 6 item 6; seeds 000 and 004: "view contracts and
 * invoices any time"). Narrow on purpose (STYLE.md 11): only GETs of the signed-in user's own overview
 * data; everything else goes to the network untouched.
 */
export const offlineDataPaths = [
  /^\/api\/me$/,
  /^\/api\/home$/,
  /^\/api\/contracts$/,
  /^\/api\/contracts\/[^/]+$/,
  /^\/api\/contracts\/[^/]+\/ledger$/,
  /^\/api\/owner\/units$/,
  /^\/api\/owner\/ownerships$/,
  /^\/api\/owner\/ownerships\/[^/]+$/,
  /^\/api\/owner\/documents$/,
  /^\/api\/invoices$/,
  /^\/api\/invoices\/[^/]+$/,
  /^\/api\/documents$/,
  /^\/api\/documents\/types$/,
  /^\/api\/notices$/,
  /^\/api\/tickets$/,
  /^\/api\/tickets\/[^/]+$/,
  /^\/api\/ticket-types$/,
  // The contact persons with the 24-hour emergency number (issue 16): needed most when nothing works.
  /^\/api\/contacts$/,
];

/** Invoice PDFs and document files: kept once opened (or "keep offline"), shown from the cache when offline. */
export const offlineFilePaths = [/^\/api\/invoices\/[^/]+\/pdf$/, /^\/api\/documents\/[^/]+\/file$/];

export const isOfflineData = (url: URL) => offlineDataPaths.some((pattern) => pattern.test(url.pathname));
export const isOfflineFile = (url: URL) => offlineFilePaths.some((pattern) => pattern.test(url.pathname));

export async function clearUserCaches(): Promise<void> {
  await Promise.all(USER_CACHES.map((name) => caches.delete(name)));
}

async function withHeader(response: Response, name: string, value: string): Promise<Response> {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return new Response(await response.blob(), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

/** The stored copy with the time it was stored (also for copies the worker fetches itself, warm.ts). */
const stamp = (response: Response) => withHeader(response, STORED_AT_HEADER, new Date().toISOString());

/**
 * Stamps the stored copy with its time, and turns that stamp into `X-Portier-Cached-At` when the copy is
 * served: with NetworkFirst the cache is only read when the network failed or was too slow, so the
 * header means "offline — as of <time>" to the page (client/lib/pwa/fetch-json.ts).
 */
const stampPlugin: WorkboxPlugin = {
  cacheWillUpdate: async ({ response }) => (response.status === 200 ? stamp(response) : null),
  cachedResponseWillBeUsed: async ({ cachedResponse }) => {
    if (!cachedResponse) return null;
    const storedAt = cachedResponse.headers.get(STORED_AT_HEADER) ?? new Date(0).toISOString();
    return withHeader(cachedResponse, CACHED_AT_HEADER, storedAt);
  },
};

/** A 401 means the session is gone: nothing of that user may stay readable on this device. */
const forgetOnUnauthenticated: WorkboxPlugin = {
  fetchDidSucceed: async ({ response }) => {
    if (response.status === 401) await clearUserCaches();
    return response;
  },
};

export function routeOfflineData(): void {
  registerRoute(
    ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && isOfflineData(url),
    new NetworkFirst({
      cacheName: DATA_CACHE,
      // Short: on a flaky mobile connection the last known data beats a spinner.
      networkTimeoutSeconds: 4,
      plugins: [
        forgetOnUnauthenticated,
        warmOnSession(stamp),
        stampPlugin,
        new ExpirationPlugin({ maxEntries: 200, maxAgeSeconds: 60 * 60 * 24 * 60 }),
      ],
    }),
  );
  registerRoute(
    ({ url, request, sameOrigin }) => sameOrigin && request.method === 'GET' && isOfflineFile(url),
    new NetworkFirst({
      cacheName: FILE_CACHE,
      networkTimeoutSeconds: 8,
      plugins: [forgetOnUnauthenticated, new ExpirationPlugin({ maxEntries: 60 })],
    }),
  );
}
