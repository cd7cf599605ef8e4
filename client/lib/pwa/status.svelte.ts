import type { PageToWorker } from '../../../service-worker/common/protocol.ts';

/**
 * Is this device online, as far as the app can tell: `navigator.onLine` is only a hint (it says
 * "online" behind a dead Wi-Fi), so a failed API call also counts, until the next call succeeds.
 */
class ConnectivityState {
  browserOnline = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  /** Set by fetch-json.ts when a call did not reach the server or was answered from the offline cache. */
  unreachable = $state(false);
  offline = $derived(!this.browserOnline || this.unreachable);
  #started = false;

  start(): void {
    if (this.#started || typeof window === 'undefined') return;
    this.#started = true;
    window.addEventListener('online', () => {
      this.browserOnline = true;
      this.unreachable = false;
    });
    window.addEventListener('offline', () => (this.browserOnline = false));
  }

  reachedServer(fromCache: boolean): void {
    this.unreachable = fromCache;
  }
}

export const connectivity = new ConnectivityState();

/** Sends a message to the active service worker, if there is one (none in dev, by design). */
export function tellWorker(message: PageToWorker): void {
  navigator.serviceWorker?.controller?.postMessage(message);
}
