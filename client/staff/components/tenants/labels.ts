import type { ConsentKindDto, HouseholdAccessState } from '../../../../shared/api/staff-tenants.ts';
import { m } from '../../../../shared/i18n/paraglide/messages.js';
import { i18n } from '../../../lib/i18n.svelte.ts';

export const consentLabel: Record<ConsentKindDto, () => string> = {
  privacy: m.tenant360_consent_privacy,
  terms: m.tenant360_consent_terms,
  electronic_delivery: m.tenant360_consent_electronic_delivery,
};

export function accessLabel(state: HouseholdAccessState, expiresAt: string | null): string {
  if (state === 'invited')
    return m.tenant360_access_invited({ date: expiresAt ? i18n.formatDate(expiresAt) : '–' });
  return {
    full: m.tenant360_access_full,
    read: m.tenant360_access_read,
    no_login: m.tenant360_access_no_login,
  }[state]();
}

/** "2 invoices, 1.640,00 €" or "none": the open invoices past their due date. */
export const overdueText = (overdue: { count: number; amount: number }, currency: string) =>
  overdue.count > 0
    ? m.tenant360_overdue_value({ count: overdue.count, amount: i18n.formatMoney(overdue.amount, currency) })
    : m.tenant360_overdue_none();
