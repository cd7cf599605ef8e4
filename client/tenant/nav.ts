import { m } from '../../shared/i18n/paraglide/messages.js';

type NavEntry = { href: string; label: () => string };

/** The main navigation, in the order the later features fill it. */
export const navItems: readonly NavEntry[] = [
  { href: '/', label: m.nav_home },
  { href: '/contracts', label: m.nav_contracts },
  { href: '/invoices', label: m.nav_invoices },
  { href: '/documents', label: m.nav_documents },
  { href: '/requests', label: m.nav_requests },
  { href: '/notices', label: m.nav_notices },
  { href: '/contacts', label: m.nav_contacts },
  { href: '/settings', label: m.nav_settings },
];

const propertyItem = { href: '/property', label: m.nav_property };
const tenantOnly = new Set(['/contracts', '/invoices']);

/**
 * Seed 003: owners get "My property". Someone who owns and rents finds it after the invoices; an
 * owner who rents nothing finds it right after home, and no empty contracts and invoices pages.
 * `sides` is null while unknown: the tenant navigation meanwhile.
 */
export function navItemsFor(sides: { owns: boolean; rents: boolean } | null): readonly NavEntry[] {
  if (!sides?.owns) return navItems;
  const items = sides.rents ? [...navItems] : navItems.filter((item) => !tenantOnly.has(item.href));
  const after = items.findIndex((item) => item.href === (sides.rents ? '/invoices' : '/'));
  items.splice(after + 1, 0, propertyItem);
  return items;
}
