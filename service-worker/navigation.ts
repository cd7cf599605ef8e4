import { createHandlerBoundToURL } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

/**
 * Client-side routes of the tenant app open offline from the precached index.html. The API, the
 * Socket.IO endpoint and the staff console are never answered with the tenant shell (issue 6, item 5):
 * a navigation to an invoice PDF under /api must reach the network or the file cache instead.
 */
export const navigationDenylist = [/^\/api(\/|$)/, /^\/socket\.io(\/|$)/, /^\/staff(\/|$)/, /^\/job(\/|$)/];

export function routeNavigations(): void {
  registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: navigationDenylist }));
}
