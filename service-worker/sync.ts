import { flushQueued, listQueued } from './common/queue-store.ts';
import { QUEUE_SYNC_TAG, type WorkerToPage } from './common/protocol.ts';
import { sw } from './scope.ts';

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

type CurrentUser = { id: string } | 'signed_out' | 'unreachable';

/**
 * The signed-in user right now (the cookie decides), `signed_out` when the server says so, or
 * `unreachable` when the network is still away.
 */
async function currentUser(): Promise<CurrentUser> {
  const response = await fetch('/api/me', { credentials: 'same-origin' }).catch(() => null);
  if (!response || response.headers.has('X-Portier-Cached-At') || response.status >= 500)
    return 'unreachable';
  if (!response.ok) return 'signed_out';
  const body = (await response.json().catch(() => null)) as { user?: { id?: unknown } } | null;
  return typeof body?.user?.id === 'string' ? { id: body.user.id } : 'signed_out';
}

/**
 * Sends the queue of whoever is signed in. Rejecting is how a sync handler asks for a retry (WICG
 * Background Synchronization: a rejected `waitUntil` is fired again later with backoff), so it
 * rejects while entries are left because the network dropped again; a session that ended resolves —
 * the entries wait for that user's next sign-in, when the page sends them (queue.svelte.ts setUser).
 */
async function syncQueue(): Promise<void> {
  const user = await currentUser();
  if (user === 'signed_out') return;
  if (user === 'unreachable') throw new Error('offline queue: server unreachable, retry later');
  try {
    await flushQueued(user.id);
  } finally {
    const windows = await sw.clients.matchAll({ type: 'window' });
    for (const client of windows) client.postMessage({ type: 'QUEUE_CHANGED' } satisfies WorkerToPage);
  }
  const left = (await listQueued(user.id)).filter((entry) => !entry.failedCode).length;
  if (left > 0) throw new Error(`offline queue: ${left} entries not sent yet, retry later`);
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
    sync.waitUntil(syncQueue());
  });
}
