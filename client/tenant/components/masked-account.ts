import { m } from '../../../shared/i18n/paraglide/messages.js';

/** "account ending in 1 2 3 4" for "DE•• •••• 1234": the dots of a mask would be read out one by one. */
export function spokenAccount(masked: string): string {
  const last = masked
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-4)
    .replace(/^[A-Z]{2}/, '');
  return m.payment_account_ending({ last: last.split('').join(' ') });
}
