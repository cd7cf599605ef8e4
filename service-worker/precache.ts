import { cleanupOutdatedCaches, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';

/**
 * The tenant app shell, as listed by vite-plugin-pwa at build time (vite.config.ts `globPatterns`;
 * the staff console is left out on purpose). Old revisions are removed once this worker activates.
 */
export function precacheAppShell(): void {
  // Written out as `self.__WB_MANIFEST`: workbox-build looks for that literal to inject the list.
  precacheAndRoute((self as unknown as { __WB_MANIFEST: PrecacheEntry[] }).__WB_MANIFEST);
  cleanupOutdatedCaches();
}
