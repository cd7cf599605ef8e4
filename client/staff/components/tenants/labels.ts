import type { RentAccountBalanceDto } from '../../../../shared/api/contracts.ts';
import type { ConsentKindDto, HouseholdAccessState } from '../../../../shared/api/staff-tenants.ts';
import { m } from '../../../../shared/i18n/paraglide/messages.js';
import { i18n } from '../../../lib/i18n.svelte.ts';

/** The tenant app's words for the balance state: staff and tenant name the same figure alike. */
export const balanceStateLabel: Record<RentAccountBalanceDto['state'], () => string> = {
  arrears: m.balance_arrears,
  credit: m.balance_credit,
  settled: m.balance_settled,
};

/** The badge colour repeats the word (WCAG 1.4.1): red for arrears, green for credit or settled. */
export const balanceBadge: Record<RentAccountBalanceDto['state'], string> = {
  arrears: 'warning',
  credit: 'ok',
  settled: 'ok',
};

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

/** "1.234,56 €" of a balance: the amount owed or the credit, without a sign the reader must decode. */
export const money = (balance: { amount: number; currency: string }) =>
  i18n.formatMoney(Math.abs(balance.amount), balance.currency);
