import type { ContactsResponse, HomeResponse } from '../../../shared/api/home.ts';
import { Resource } from '../../lib/resource.svelte.ts';
import { showAppBadge } from '../../lib/pwa/badge.ts';

/** The one-glance start page (seed 004 "Hem") and the contact persons (seed 000 "Ansprechpartner"). */
class OverviewState {
  /** Readable offline from the service worker's last known copy (issue 6 item 6). */
  home = Resource.cached<HomeResponse>(() => '/home');
  /** Also offline: the 24-hour emergency number is needed most when nothing else works (issue 16). */
  contacts = Resource.cached<ContactsResponse>(() => '/contacts');

  /** Loads the start page and sets the icon badge to the live count (never from an offline copy). */
  async loadHome(): Promise<void> {
    const started = Date.now();
    await this.home.load();
    const data = this.home.data;
    if (data && this.home.cachedAt === null && typeof data.appBadge === 'number') {
      showAppBadge(data.appBadge);
      this.#badgeFrom = started;
    }
  }

  #badgeTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the request behind the badge shown now was sent. */
  #badgeFrom = 0;

  /**
   * The icon badge follows what the tenant reads anywhere in the app, not only on the start page:
   * after a dialog or a notice was read, when the app starts and when it comes back to the screen
   * (from a document's PDF, from another app or device). One refetch per burst.
   */
  refreshBadgeSoon(delayMs = 1000): void {
    const asked = Date.now();
    clearTimeout(this.#badgeTimer);
    this.#badgeTimer = setTimeout(() => {
      // The start page loaded meanwhile (it does on every visit): its count is already as new.
      if (this.#badgeFrom < asked) void this.loadHome();
    }, delayMs);
  }
}

export const overview = new OverviewState();
