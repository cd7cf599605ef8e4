import { FILE_CACHE } from '../../../service-worker/common/protocol.ts';

/**
 * "Keep offline" for invoice PDFs and document files (issue 6 item 6). Files opened once are kept by the
 * service worker anyway; this fetches one on purpose, into the same cache, and says which ones are there.
 * Fetching a document counts as opening it on the server (proof of delivery): keeping it is taking it.
 */
class OfflineFilesState {
  /** URLs known to be in the file cache. */
  kept = $state<Record<string, true>>({});

  available = (url: string): boolean => this.kept[url] === true;

  async check(url: string): Promise<void> {
    if (typeof caches === 'undefined' || this.kept[url]) return;
    const there = await caches
      .open(FILE_CACHE)
      .then((cache) => cache.match(url))
      .catch(() => undefined);
    if (there) this.kept = { ...this.kept, [url]: true };
  }

  /** After logout the cache is gone; so is what this tab knew about it. */
  forget(): void {
    this.kept = {};
  }

  async keep(url: string): Promise<void> {
    const cache = await caches.open(FILE_CACHE);
    await cache.add(new Request(url, { credentials: 'same-origin' }));
    this.kept = { ...this.kept, [url]: true };
  }
}

export const offlineFiles = new OfflineFilesState();
