import { parseDeclarativePush } from './declarative-push.ts';
import { sw } from './scope.ts';

/**
 * Shows a Declarative Web Push message (issue 6 item 3) and sets the app badge when it carries one.
 * A payload in another format is ignored: pushes from this server are always declarative.
 */
export function handlePush(): void {
  sw.addEventListener('push', (event: PushEvent) => {
    const shown = parseDeclarativePush(event.data?.text());
    if (!shown) return;
    event.waitUntil(
      (async () => {
        await sw.registration.showNotification(shown.title, shown.options);
        const badging = sw.navigator as WorkerNavigator & { setAppBadge?: (count?: number) => Promise<void> };
        if (shown.badge !== null && badging.setAppBadge)
          await badging.setAppBadge(shown.badge).catch(() => {});
      })(),
    );
  });
}
