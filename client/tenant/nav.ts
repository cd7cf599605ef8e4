import { m } from '../../shared/i18n/paraglide/messages.js';

/** The main navigation, in the order the later features fill it. */
export const navItems: readonly { href: string; label: () => string }[] = [
  { href: '/', label: m.nav_home },
  { href: '/contracts', label: m.nav_contracts },
  { href: '/invoices', label: m.nav_invoices },
  { href: '/documents', label: m.nav_documents },
  { href: '/requests', label: m.nav_requests },
  { href: '/notices', label: m.nav_notices },
  { href: '/contacts', label: m.nav_contacts },
  { href: '/settings', label: m.nav_settings },
];
