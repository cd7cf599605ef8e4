import { flushQueued } from '../client/lib/pwa/queue-store.ts';
import { QUEUE_SYNC_TAG, type WorkerToPage } from './protocol.ts';
import { sw } from './scope.ts';

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

/** The signed-in user right now (the cookie decides), or null: the queue only sends that user's entries. */
async function currentUserId(): Promise<string | null> {
  const response = await fetch('/api/me', { credentials: 'same-origin' }).catch(() => null);
  if (!response?.ok || response.headers.has('X-Portier-Cached-At')) return null;
  const body = (await response.json().catch(() => null)) as { user?: { id?: unknown } } | null;
  return typeof body?.user?.id === 'string' ? body.user.id : null;
}

/**
 * Background Sync (Chromium): sends the offline queue when the connection returns even if the app was
 * closed meanwhile. Pages flush on their own too (online event, start); the server's clientId
 * idempotency and the queue's Web Lock keep that exactly-once.
 */
export function handleBackgroundSync(): void {
  sw.addEventListener('sync', (event: Event) => {
    const sync = event as SyncEvent;
    if (sync.tag !== QUEUE_SYNC_TAG) return;
    sync.waitUntil(
      (async () => {
        const userId = await currentUserId();
        if (userId) await flushQueued(userId);
        const windows = await sw.clients.matchAll({ type: 'window' });
        for (const client of windows) client.postMessage({ type: 'QUEUE_CHANGED' } satisfies WorkerToPage);
      })(),
    );
  });
}
