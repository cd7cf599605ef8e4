import { routeNavigations } from './navigation.ts';
import { clearUserCaches, routeOfflineData } from './offline-data.ts';
import { precacheAppShell } from './precache.ts';
import { handleNotificationClicks } from './clicks.ts';
import { handlePush } from './push.ts';
import { handleBackgroundSync } from './sync.ts';
import { handleUpdates } from './update.ts';

/**
 * Portier's service worker (DESIGN.md "PWA"; STYLE.md 11: one concern per module). Routes are matched
 * in registration order: API data and files first, then the app shell and the navigation fallback.
 */
routeOfflineData();
precacheAppShell();
routeNavigations();
handlePush();
handleNotificationClicks();
handleBackgroundSync();
handleUpdates(async (message) => {
  if (message.type === 'CLEAR_USER_DATA') await clearUserCaches();
});
