import { m } from '../../shared/i18n/paraglide/messages.js';
import type { Route } from '../lib/router.svelte.ts';
import Admin from './pages/Admin.svelte';
import Documents from './pages/Documents.svelte';
import Inbox from './pages/Inbox.svelte';
import Incidents from './pages/Incidents.svelte';
import Integration from './pages/Integration.svelte';
import Login from './pages/Login.svelte';
import NotFound from './pages/NotFound.svelte';
import Notices from './pages/Notices.svelte';
import Reports from './pages/Reports.svelte';
import TenantRecord from './pages/TenantRecord.svelte';
import Tenants from './pages/Tenants.svelte';
import TenantViewAs from './pages/TenantViewAs.svelte';

/** `staff`: staff and admins · `guest`: the login page · `public`: anyone. */
export type StaffAccess = 'staff' | 'guest' | 'public';
export type StaffRoute = Route<StaffAccess>;

export const routes: readonly StaffRoute[] = [
  { path: '/staff/login', component: Login, title: m.staff_login_title, access: 'guest' },
  { path: '/staff/inbox', component: Inbox, title: m.staff_nav_inbox, access: 'staff' },
  // The desk: the inbox with the case open beside its list (issue 15).
  { path: '/staff/tickets/:id', component: Inbox, title: m.staff_ticket_title, access: 'staff' },
  { path: '/staff/notices', component: Notices, title: m.nav_notices, access: 'staff' },
  { path: '/staff/incidents', component: Incidents, title: m.staff_nav_incidents, access: 'staff' },
  { path: '/staff/documents', component: Documents, title: m.nav_documents, access: 'staff' },
  { path: '/staff/tenants', component: Tenants, title: m.staff_nav_tenants, access: 'staff' },
  // Tenant 360° (issue 15 item 5): the record, and the read-only view as the tenant.
  {
    path: '/staff/tenants/:personId',
    component: TenantRecord,
    title: m.tenant360_record_title,
    access: 'staff',
  },
  {
    path: '/staff/tenants/:personId/view',
    component: TenantViewAs,
    title: m.tenant360_view_as,
    access: 'staff',
  },
  { path: '/staff/reports', component: Reports, title: m.reports_title, access: 'staff' },
  { path: '/staff/admin', component: Admin, title: m.staff_nav_admin, access: 'staff' },
  { path: '/staff/integration', component: Integration, title: m.integration_title, access: 'staff' },
];

export const notFoundRoute: StaffRoute = {
  path: '*',
  component: NotFound,
  title: m.not_found_title,
  access: 'public',
};
