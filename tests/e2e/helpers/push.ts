import type { CDPSession, Worker } from 'playwright-core';
import { expect } from 'vitest';

export interface ShownNotification {
  title: string;
  tag: string;
  data: unknown;
}

/** The notifications the worker has on screen with this tag. */
export function shownInWorker(worker: Worker, tag: string): Promise<ShownNotification[]> {
  return worker.evaluate(async (wanted) => {
    const sw = self as unknown as ServiceWorkerGlobalScope;
    const shown = await sw.registration.getNotifications({ tag: wanted });
    return shown.map((n) => ({ title: n.title, tag: n.tag, data: n.data as unknown }));
  }, tag);
}

/**
 * Delivers a push through DevTools (`ServiceWorker.deliverPushMessage`) and waits until the worker
 * shows its notification. Headless Chromium now and then drops the first notification of a fresh
 * profile although the push event reached the worker (seen with the permission already granted):
 * a second delivery of the same message — same tag, so it replaces rather than adds — is what a
 * push service's redelivery would do. A worker that never shows it still fails the test.
 */
export async function deliverPush(
  cdp: CDPSession,
  worker: () => Promise<Worker>,
  target: { origin: string; registrationId: string },
  payload: { notification: { tag: string } },
): Promise<ShownNotification[]> {
  const { tag } = payload.notification;
  // The permission granted to the profile reaches a running worker asynchronously.
  await expect
    .poll(async () => (await worker()).evaluate(() => Notification.permission), { timeout: 15_000 })
    .toBe('granted');
  for (let attempt = 1; ; attempt++) {
    await cdp.send('ServiceWorker.deliverPushMessage', { ...target, data: JSON.stringify(payload) });
    const deadline = Date.now() + (attempt === 1 ? 5_000 : 15_000);
    while (Date.now() < deadline) {
      const shown = await shownInWorker(await worker(), tag);
      if (shown.length > 0) return shown;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (attempt === 2) return [];
  }
}
