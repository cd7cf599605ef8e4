/**
 * Paraglide compiler options for `npm run i18n` (the CLI reads this file from the project dir).
 *
 * Locale strategy, in order (https://inlang.com/m/gerre34r/library-inlang-paraglideJs/strategy):
 * 1. `localStorage` – the language the user picked in this browser (shared by tenant app and staff console).
 * 2. `preferredLanguage` – on a first visit, the browser's preferred language if we support it.
 * 3. `baseLocale` – German.
 * The server never resolves a locale from these: mails and pushes pass the recipient's language explicitly.
 *
 * @type {import('@inlang/paraglide-js').ParaglideConfig}
 */
export default {
  strategy: ['localStorage', 'preferredLanguage', 'baseLocale'],
  localStorageKey: 'portier.locale',
};
