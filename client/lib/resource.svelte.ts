/**
 * One thing the page reads from the API, with the three states every page shows (loading, failed,
 * ready). A newer `load()` wins over a slower older one, so quick back-and-forth never shows stale data.
 */
export class Resource<T> {
  data = $state<T | null>(null);
  error = $state<unknown>(null);
  loading = $state(false);
  #fetch: () => Promise<T>;
  #generation = 0;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    this.error = null;
    try {
      const data = await this.#fetch();
      if (generation === this.#generation) this.data = data;
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
  }
}
