import { m } from '../../shared/i18n/paraglide/messages.js';

/** Where the console opens after login. */
export const home = '/staff/inbox';

export const navItems: readonly { href: string; label: () => string; adminOnly?: boolean }[] = [
  { href: '/staff/inbox', label: m.staff_nav_inbox },
  { href: '/staff/notices', label: m.nav_notices },
  { href: '/staff/incidents', label: m.staff_nav_incidents },
  { href: '/staff/documents', label: m.nav_documents },
  { href: '/staff/tenants', label: m.staff_nav_tenants },
  { href: '/staff/reports', label: m.reports_title },
  { href: '/staff/admin', label: m.staff_nav_admin, adminOnly: true },
  { href: '/staff/integration', label: m.integration_title, adminOnly: true },
];
