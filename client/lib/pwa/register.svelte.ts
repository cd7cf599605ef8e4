import { Workbox } from 'workbox-window';
import { USER_CACHES, type WorkerToPage } from '../../../service-worker/common/protocol.ts';
import { clearAppBadge } from './badge.ts';
import { offlineFiles } from './files.svelte.ts';
import { tellWorker } from './status.svelte.ts';

/**
 * Registers the tenant app's service worker (production builds only: no worker in dev, issue 6 item 5)
 * and offers a waiting update instead of activating it under the user's feet.
 */
class ServiceWorkerState {
  /** A new version is installed and waits for "reload". */
  updateWaiting = $state(false);
  /** The worker controls this page (offline reading and the queue's Background Sync work). */
  active = $state(false);
  #workbox: Workbox | null = null;

  start(onNavigate: (url: string) => void, onQueueChanged: () => void): void {
    if (this.#workbox || !import.meta.env.PROD || !('serviceWorker' in navigator)) return;
    const workbox = new Workbox('/sw.js', { scope: '/' });
    this.#workbox = workbox;
    workbox.addEventListener('waiting', () => (this.updateWaiting = true));
    workbox.addEventListener('activated', () => (this.active = true));
    // After "reload": the new worker took over, now load the new app shell with it.
    workbox.addEventListener('controlling', (event) => {
      if (event.isUpdate) window.location.reload();
    });
    navigator.serviceWorker.addEventListener('message', (event: MessageEvent<WorkerToPage>) => {
      if (event.data?.type === 'NAVIGATE') onNavigate(event.data.url);
      if (event.data?.type === 'QUEUE_CHANGED') onQueueChanged();
    });
    workbox
      .register()
      .then((registration) => (this.active = Boolean(registration?.active)))
      .catch(() => undefined); // no worker means no offline mode; the app itself works as before
  }

  /** The user chose "reload": the waiting worker activates, `controlling` then reloads the page. */
  applyUpdate(): void {
    this.updateWaiting = false;
    if (this.#workbox) this.#workbox.messageSkipWaiting();
    else window.location.reload();
  }

  dismissUpdate(): void {
    this.updateWaiting = false;
  }
}

export const serviceWorker = new ServiceWorkerState();

/**
 * Forgets every API answer and file of the user who just left (logout, expired session, another user):
 * a shared family tablet must not show the previous tenant's invoices offline. Cache Storage is the
 * origin's, so the page deletes directly; the worker is told as well for anything it holds in flight.
 */
export async function forgetUserData(): Promise<void> {
  tellWorker({ type: 'CLEAR_USER_DATA' });
  offlineFiles.forget();
  clearAppBadge();
  if (typeof caches === 'undefined') return;
  await Promise.all(USER_CACHES.map((name) => caches.delete(name))).catch(() => undefined);
}
