import { resolveNavigateUrl } from './navigate-url.ts';
import type { WorkerToPage } from './common/protocol.ts';
import { sw } from './scope.ts';

/** Focuses an open tab of the app and shows the deep link there, or opens a new window. */
export async function openFromNotification(url: string): Promise<void> {
  const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === sw.location.origin);
  if (!open) {
    await sw.clients.openWindow(url);
    return;
  }
  // focus() needs the click's window-interaction allowance (Service Workers, WindowClient.focus());
  // when the browser refuses it (allowance expired, tab closing) the tab still gets the link, unfocused.
  const focused = await open.focus().catch(() => open);
  // navigate() only works on clients this worker controls; the page's router takes over otherwise.
  const navigated = await focused.navigate(url).catch(() => null);
  if (!navigated) focused.postMessage({ type: 'NAVIGATE', url } satisfies WorkerToPage);
}

export function handleNotificationClicks(): void {
  sw.addEventListener('notificationclick', (event: NotificationEvent) => {
    event.notification.close();
    const data = event.notification.data as { navigate?: unknown } | null;
    event.waitUntil(openFromNotification(resolveNavigateUrl(data?.navigate, sw.location.origin)));
  });
}
