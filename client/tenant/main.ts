import { mount } from 'svelte';
import '../lib/styles/global.css';
import '../lib/styles/shell.css';
// Before any component: makes Paraglide's getLocale() reactive and sets <html lang>.
import { i18n } from '../lib/i18n.svelte.ts';
import { branding } from '../lib/branding.svelte.ts';
import { loadPage, matchRoute } from '../lib/router.svelte.ts';
import { session } from '../lib/session.svelte.ts';
import App from './App.svelte';
import { notFoundRoute, routes } from './routes.ts';
import { warmFirstData } from './warm.ts';

// Nothing waits for the first render, nor for each other: who is signed in, the page's code and its
// first data are all asked for at once (issue 16: LCP on a phone network).
const route = matchRoute(routes, location.pathname) ?? notFoundRoute;
if (route.access === 'user') warmFirstData(location.pathname);
void session.load();
void branding.load();
// The shell renders the same promise's result (import() answers once per module); a failure shows there.
void Promise.resolve(loadPage(route.load)).catch(() => undefined);

const target = document.getElementById('app');
if (target) mount(App, { target });
i18n.warmFormats();
