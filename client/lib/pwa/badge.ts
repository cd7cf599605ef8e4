/**
 * The app icon badge (Badging API, W3C; Chromium and Safari on installed web apps). Pushes set it in
 * the service worker from `app_badge` (service-worker/push.ts); the page sets the same count from
 * GET /api/home (server/notify/badge.ts), so reading what was waiting lowers it without a push.
 * Feature-detected: where the API is missing or refuses (not installed, no permission) nothing happens.
 */
type Badging = { setAppBadge?: (count?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };

export function showAppBadge(count: number): void {
  if (typeof navigator === 'undefined') return;
  const badging = navigator as Badging;
  const done = count > 0 ? badging.setAppBadge?.(count) : badging.clearAppBadge?.();
  void done?.catch(() => undefined);
}

/** Logout or another user: the previous tenant's count must not stay on a shared device's icon. */
export function clearAppBadge(): void {
  showAppBadge(0);
}
