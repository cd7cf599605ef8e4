import { baseLocale, locales, overwriteGetLocale } from '../../shared/i18n/paraglide/runtime.js';
import type { Locale } from '../../shared/api/auth.ts';

/**
 * The job page's language: the browser's until the job is loaded, then the contractor's (the
 * landlord chose it in the directory). Paraglide's getLocale() reads it, so every `m.key()` in a
 * template follows a change. Nothing is stored: the page has no account and no settings.
 */
class JobLocale {
  locale = $state<Locale>(JobLocale.fromBrowser());

  constructor() {
    overwriteGetLocale(() => this.locale);
    document.documentElement.lang = this.locale;
  }

  static fromBrowser(): Locale {
    for (const tag of navigator.languages ?? [navigator.language]) {
      const base = tag.slice(0, 2).toLowerCase();
      const found = locales.find((locale) => locale === base);
      if (found) return found;
    }
    return baseLocale;
  }

  set(locale: Locale): void {
    this.locale = locale;
    document.documentElement.lang = locale;
  }

  private get tag(): string {
    return { de: 'de-DE', en: 'en-GB', sv: 'sv-SE' }[this.locale];
  }

  /** A calendar day (`YYYY-MM-DD`) as "Donnerstag, 4. Dezember 2026". */
  formatDay(day: string): string {
    return new Intl.DateTimeFormat(this.tag, { dateStyle: 'full', timeZone: 'UTC' }).format(
      new Date(`${day.slice(0, 10)}T00:00:00Z`),
    );
  }

  formatDate(iso: string): string {
    return new Intl.DateTimeFormat(this.tag, { dateStyle: 'long' }).format(new Date(iso));
  }
}

export const jobLocale = new JobLocale();
