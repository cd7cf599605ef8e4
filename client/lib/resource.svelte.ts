import { getFresh, type Fresh } from './pwa/fetch-json.ts';

/**
 * One thing the page reads from the API, with the three states every page shows (loading, failed,
 * ready). A newer `load()` wins over a slower older one, so quick back-and-forth never shows stale data.
 * Resources made with `Resource.cached` also know when their data is the service worker's offline copy
 * (`cachedAt`), so the page can say "Offline — as of <time>" (issue 6 item 6).
 */
export class Resource<T> {
  data = $state<T | null>(null);
  error = $state<unknown>(null);
  loading = $state(false);
  /** When the shown data was stored for offline use; null while it is live from the server. */
  cachedAt = $state<string | null>(null);
  #fetch: () => Promise<Fresh<T>>;
  #generation = 0;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = async () => ({ data: await fetch(), cachedAt: null });
  }

  /** A GET of `path()` that may be answered from the offline cache; `path` is read at each load. */
  static cached<T>(path: () => string): Resource<T> {
    const resource = new Resource<T>(() => Promise.reject(new Error('replaced below')));
    resource.#fetch = () => getFresh<T>(path());
    return resource;
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const { data, cachedAt } = await this.#fetch();
      if (generation === this.#generation) {
        this.data = data;
        this.cachedAt = cachedAt;
      }
    } catch (error) {
      if (generation === this.#generation) this.error = error;
    } finally {
      if (generation === this.#generation) this.loading = false;
    }
  }

  /** Forgets what was loaded (e.g. before showing another contract). */
  reset(): void {
    this.#generation += 1;
    this.data = null;
    this.error = null;
    this.loading = false;
    this.cachedAt = null;
  }
}
