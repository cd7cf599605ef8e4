import {
  getLocaleForUrl,
  localStorageKey,
  locales,
  overwriteGetLocale,
  setLocale as paraglideSetLocale,
} from '../../shared/i18n/paraglide/runtime.js';
import type { Locale } from '../../shared/api/auth.ts';

/**
 * Language names are autonyms ("Deutsch", "English", "Svenska"): the same in every UI language,
 * so they are data, not messages (WCAG 3.1.2: each option also carries its own `lang`).
 */
export const localeNames: Record<Locale, string> = { de: 'Deutsch', en: 'English', sv: 'Svenska' };
export const supportedLocales: readonly Locale[] = locales;

/** Regional formats for Intl, the same the server uses in mails (English as in the UK: 21 November 2026, 14:30). */
const formatTags: Record<Locale, string> = { de: 'de-DE', en: 'en-GB', sv: 'sv-SE' };

function storedChoice(): string | null {
  try {
    return localStorage.getItem(localStorageKey);
  } catch {
    return null; // storage disabled (private mode, policy)
  }
}

/**
 * The tenant app's manifest in the UI language (server/routes/manifest.ts), so an install names the
 * app in the language the tenant reads. The staff console has no manifest link: nothing to do there.
 */
function linkManifest(locale: Locale): void {
  document
    .querySelector('link[rel="manifest"]')
    ?.setAttribute('href', `/manifest.webmanifest?lang=${locale}`);
}

/**
 * Intl formatters by locale and options, made once: making one costs far more than formatting with
 * it, and a ledger or a list formats hundreds of dates and amounts in its first render (issue 16:
 * blocking time on a phone).
 */
// A cache, not UI state: nothing renders from it.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const formats = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function dateFormat(tag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d ${tag} ${JSON.stringify(options)}`;
  let format = formats.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(tag, options)));
  return format;
}
function numberFormat(tag: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `n ${tag} ${JSON.stringify(options)}`;
  let format = formats.get(key) as Intl.NumberFormat | undefined;
  if (!format) formats.set(key, (format = new Intl.NumberFormat(tag, options)));
  return format;
}

/**
 * The current UI language as reactive state. Paraglide's `getLocale()` is redirected here, so every
 * `m.key()` read in a template re-renders when the language changes: no page reload, no lost form input.
 */
class I18n {
  /** Resolved once through the Paraglide strategy (localStorage → browser language → German). */
  locale = $state<Locale>(getLocaleForUrl(location.href));
  /** True once the user picked a language in this browser; a saved account language then no longer wins. */
  explicit = $state(storedChoice() !== null);

  constructor() {
    overwriteGetLocale(() => this.locale);
    document.documentElement.lang = this.locale;
    linkManifest(this.locale);
  }

  /** Switches the UI language and remembers it in this browser (Paraglide's localStorage strategy). */
  set(locale: Locale): void {
    try {
      void paraglideSetLocale(locale, { reload: false });
    } catch {
      // storage disabled: the choice still applies to this tab
    }
    this.locale = locale;
    this.explicit = true;
    document.documentElement.lang = locale;
    linkManifest(locale);
  }

  formatDate(iso: string | Date): string {
    return dateFormat(formatTags[this.locale], { dateStyle: 'long' }).format(new Date(iso));
  }

  formatTime(iso: string | Date): string {
    return dateFormat(formatTags[this.locale], { timeStyle: 'short' }).format(new Date(iso));
  }

  formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
    return numberFormat(formatTags[this.locale], options).format(value);
  }

  /** A calendar day (`YYYY-MM-DD`, no time zone): formatted in UTC so it never shifts to the day before. */
  formatDay(day: string): string {
    return dateFormat(formatTags[this.locale], { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${day.slice(0, 10)}T00:00:00Z`),
    );
  }

  /**
   * Makes the formatters every page uses, one per task, while the page's code and data are still on
   * their way: a language's first formatter loads its regional data, tens of milliseconds on a phone,
   * which would otherwise land in the first render of the page's data as one long task (issue 16:
   * blocking time). The formats themselves stay the same (made on demand as before).
   */
  warmFormats(): void {
    const tag = formatTags[this.locale];
    const steps = [
      () => dateFormat(tag, { dateStyle: 'long' }),
      () => numberFormat(tag),
      () => numberFormat(tag, { style: 'currency', currency: 'EUR' }),
      () => dateFormat(tag, { timeStyle: 'short' }),
      () => dateFormat(tag, { dateStyle: 'long', timeZone: 'UTC' }),
    ];
    const next = () => {
      steps.shift()?.();
      if (steps.length > 0) setTimeout(next, 0);
    };
    setTimeout(next, 0);
  }

  /**
   * Money in integer minor units (API.md) → "1.234,56 €" (de), "€1,234.56" (en), "1 234,56 kr" (sv).
   * The currency's own number of decimals (ISO 4217) converts the minor units.
   */
  formatMoney(minor: number, currency: string): string {
    const format = numberFormat(formatTags[this.locale], { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(minor / 10 ** digits);
  }
}

export const i18n = new I18n();
