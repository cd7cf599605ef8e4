import type { ContactsResponse, HomeResponse } from '../../../shared/api/home.ts';
import { api } from '../../lib/api.ts';
import { Resource } from '../../lib/resource.svelte.ts';

/** The one-glance start page (seed 004 "Hem") and the contact persons (seed 000 "Ansprechpartner"). */
class OverviewState {
  /** Readable offline from the service worker's last known copy (issue 6 item 6). */
  home = Resource.cached<HomeResponse>(() => '/home');
  contacts = new Resource(() => api.get<ContactsResponse>('/contacts'));
}

export const overview = new OverviewState();
