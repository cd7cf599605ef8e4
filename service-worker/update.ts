import { clientsClaim } from 'workbox-core';
import type { PageToWorker } from './common/protocol.ts';
import { sw } from './scope.ts';

/**
 * A new version waits until the user says "reload" (client/lib/pwa/UpdatePrompt): activating it under a
 * running page could mix old and new code. The very first install takes control at once, so the app
 * works offline without a second visit.
 */
export function handleUpdates(onMessage: (message: PageToWorker) => Promise<void>): void {
  clientsClaim();
  sw.addEventListener('message', (event: ExtendableMessageEvent) => {
    const message = event.data as PageToWorker | null;
    if (message?.type === 'SKIP_WAITING') void sw.skipWaiting();
    else if (message) event.waitUntil(onMessage(message));
  });
}
