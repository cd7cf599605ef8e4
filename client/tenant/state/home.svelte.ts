import type { ContactsResponse, HomeResponse } from '../../../shared/api/home.ts';
import { api } from '../../lib/api.ts';
import { Resource } from '../../lib/resource.svelte.ts';

/** The one-glance start page (seed 004 "Hem") and the contact persons (seed 000 "Ansprechpartner"). */
class OverviewState {
  home = new Resource(() => api.get<HomeResponse>('/home'));
  contacts = new Resource(() => api.get<ContactsResponse>('/contacts'));
}

export const overview = new OverviewState();
