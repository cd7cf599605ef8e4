import { api } from '../api.ts';
import { CACHED_AT_HEADER } from '../../../service-worker/common/protocol.ts';
import { connectivity } from './status.svelte.ts';

export interface Fresh<T> {
  data: T;
  /** When the service worker stored this answer, if it came from the offline cache; null when live. */
  cachedAt: string | null;
}

/**
 * GET `/api${path}` like `api.get`, but also says whether the answer is live or the service worker's last
 * known copy (`X-Portier-Cached-At`, service-worker/offline-data.ts). Failures are handed to `api.get`,
 * so error codes, the 401 handler and `network_error` stay exactly as everywhere else; that second call
 * happens only on failure.
 */
export async function getFresh<T>(path: string): Promise<Fresh<T>> {
  let response: Response | null = null;
  try {
    response = await fetch(`/api${path}`, {
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
  } catch {
    connectivity.reachedServer(true);
  }
  if (response?.ok) {
    const cachedAt = response.headers.get(CACHED_AT_HEADER);
    const data = (await response.json().catch(() => undefined)) as T | undefined;
    if (data !== undefined) {
      connectivity.reachedServer(cachedAt !== null);
      return { data, cachedAt };
    }
  }
  return { data: await api.get<T>(path), cachedAt: null };
}
