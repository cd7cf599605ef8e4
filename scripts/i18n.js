// `npm run i18n`: compiles shared/i18n/messages/{de,en,sv}.json into tree-shakable message
// functions (Paraglide JS) under shared/i18n/paraglide/, used by the PWA and by the server's mails.
import { compile } from '@inlang/paraglide-js';

await compile({
  project: './project.inlang',
  outdir: './shared/i18n/paraglide',
  // Locale strategy, in order (https://inlang.com/m/gerre34r/library-inlang-paraglideJs/strategy):
  // 1. `localStorage` – the language the user picked in this browser (tenant app and staff console alike);
  // 2. `preferredLanguage` – on a first visit, the browser's preferred language if supported;
  // 3. `baseLocale` – German.
  // The server never resolves a locale this way: mails and pushes pass the recipient's language explicitly.
  strategy: ['localStorage', 'preferredLanguage', 'baseLocale'],
  localStorageKey: 'portier.locale',
});
