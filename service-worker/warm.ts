import type { WorkboxPlugin } from 'workbox-core/types.js';
import { DATA_CACHE, STORED_AT_HEADER } from './common/protocol.ts';

/**
 * What a tenant needs in a pinch without having opened it before (issue 16): the new-request form
 * (its type definitions, the contracts and owned units it offers) and the contact persons with the
 * 24-hour emergency number. Fetched into the offline data cache whenever the app starts online with a
 * session, so "report a burst pipe" and "call the emergency service" work offline after any earlier
 * visit, not only after one to those pages.
 */
export const warmPaths = [
  // Who is signed in: without it an offline start shows the sign-in page (signing in asks no /api/me).
  '/api/me',
  '/api/ticket-types',
  '/api/contracts',
  '/api/owner/units',
  '/api/contacts',
];

/**
 * Answers that say "online with a session": the app reads `/api/me` when it starts, and the home
 * page right after signing in (when `/api/me` may not be asked again).
 */
const sessionPaths = ['/api/me', '/api/home'];
/** A copy younger than this is not fetched again (every start of the app reads /api/me). */
const freshForMs = 10 * 60_000;
/** After the page's own first requests, so the warm-up never competes with the first paint. */
const delayMs = 1_500;

let warming: Promise<void> | null = null;

async function warmOne(
  cache: Cache,
  path: string,
  stamp: (response: Response) => Promise<Response>,
): Promise<void> {
  const stored = await cache.match(path);
  const storedAt = Date.parse(stored?.headers.get(STORED_AT_HEADER) ?? '');
  if (stored && Date.now() - storedAt < freshForMs) return;
  const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  // Only the signed-in user's own answers; a 401/403 leaves the cache as it is.
  if (response.status === 200) await cache.put(path, await stamp(response));
}

/** Stores the warm paths (stamped like every other offline answer); failures only mean "not now". */
async function warmOfflineData(stamp: (response: Response) => Promise<Response>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  const cache = await caches.open(DATA_CACHE);
  await Promise.all(warmPaths.map((path) => warmOne(cache, path, stamp).catch(() => undefined)));
}

/** A workbox plugin for the offline data route: a live, signed-in answer starts the warm-up. */
export function warmOnSession(stamp: (response: Response) => Promise<Response>): WorkboxPlugin {
  return {
    fetchDidSucceed: ({ request, response, event }) => {
      const path = new URL(request.url).pathname;
      // The staff console shares the origin, not the tenant's needs.
      const fromConsole = /^\/staff(\/|$)/.test(request.referrer ? new URL(request.referrer).pathname : '');
      // Checked per entry: after a logout cleared the caches, the next user's start warms again.
      if (sessionPaths.includes(path) && response.status === 200 && !fromConsole && !warming) {
        warming = warmOfflineData(stamp)
          .catch(() => undefined)
          .finally(() => (warming = null));
        try {
          (event as ExtendableEvent | undefined)?.waitUntil?.(warming);
        } catch {
          // The fetch event already settled: the warm-up still runs, just without extending it.
        }
      }
      return Promise.resolve(response);
    },
  };
}
