import { tick, untrack, type Component } from 'svelte';

/**
 * A tiny History-API router. The server answers every unknown path with the app's index.html, so
 * deep links and reloads work; in-app links are plain `<a href>` elements intercepted here.
 */
class Router {
  /** Current `location.pathname`. */
  path = $state(location.pathname);
  /** Current `location.search`, including the leading "?" (or empty). */
  search = $state(location.search);
  query = $derived(new URLSearchParams(this.search));
  /** Counts client-side navigations (not the first load): the shell moves focus when it changes. */
  navigations = $state(0);

  #owns: (path: string) => boolean = () => true;

  /**
   * Starts listening to back/forward and to link clicks. `owns` says which paths this app renders;
   * links elsewhere (e.g. the staff console from the tenant app) load normally. Returns a stop function.
   */
  start(owns: (path: string) => boolean): () => void {
    this.#owns = owns;
    const onPopState = () => this.#sync();
    const onClick = (event: MouseEvent) => this.#intercept(event);
    window.addEventListener('popstate', onPopState);
    document.addEventListener('click', onClick);
    return () => {
      window.removeEventListener('popstate', onPopState);
      document.removeEventListener('click', onClick);
    };
  }

  /** Goes to an in-app URL (path plus optional query). `replace` keeps redirects out of the history. */
  navigate(to: string, options: { replace?: boolean } = {}): void {
    const url = new URL(to, location.href);
    if (url.origin !== location.origin || !this.#owns(url.pathname)) {
      location.assign(url.href);
      return;
    }
    const target = url.pathname + url.search + url.hash;
    if (target === location.pathname + location.search + location.hash) return;
    if (options.replace) history.replaceState(null, '', target);
    else {
      history.pushState(null, '', target);
      window.scrollTo(0, 0);
    }
    // A redirect during the first load is not a navigation the user made: focus stays where the browser put it.
    this.#sync(!options.replace || this.navigations > 0);
  }

  /** A query parameter of the current URL, or null. */
  param(name: string): string | null {
    return this.query.get(name);
  }

  #sync(countAsNavigation = true): void {
    const pathChanged = this.path !== location.pathname;
    this.path = location.pathname;
    this.search = location.search;
    if (pathChanged && countAsNavigation) this.navigations += 1;
  }

  #intercept(event: MouseEvent): void {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.('a');
    if (!anchor || !anchor.href || anchor.hasAttribute('download')) return;
    if (anchor.target && anchor.target !== '_self') return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin || !this.#owns(url.pathname)) return;
    // Same-page fragments (the skip link) keep the browser's own scroll-and-focus behaviour.
    if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
    event.preventDefault();
    this.navigate(url.pathname + url.search + url.hash);
  }
}

export const router = new Router();

/** A safe in-app return path from `?next=` (no protocol-relative or foreign URLs: open-redirect guard). */
export function safeNext(next: string | null, fallback: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}

/** One page of an app: its path (exact match), component, document title and who may open it. */
export interface Route<Access extends string> {
  path: string;
  component: Component;
  title: () => string;
  access: Access;
}

/** Loads a page's code on first visit: `() => import('./pages/X.svelte')` (a chunk of its own). */
export type PageLoader = () => Promise<{ default: Component }>;

/**
 * A page whose code is loaded when first opened, so the first paint does not wait for every page
 * (issue 6: tenant app initial JS ≤ 80 KB gzip). The shell renders it through `loadPage`.
 */
export interface LazyRoute<Access extends string> {
  path: string;
  load: PageLoader;
  title: () => string;
  access: Access;
}

// A cache, not UI state: nothing renders from it directly (the shell awaits `loadPage`).
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const loadedPages = new Map<PageLoader, Component>();

/**
 * The page's component when its code is here already (a plain value: `{#await}` then renders it at
 * once, without a loading flash on every revisit), else a promise of it. A failed load (offline, new
 * deployment) is not cached, so "retry" loads again.
 */
export function loadPage(load: PageLoader): Component | Promise<Component> {
  const known = loadedPages.get(load);
  if (known) return known;
  return load().then((module) => {
    loadedPages.set(load, module.default);
    return module.default;
  });
}

/**
 * The parameters of `path` under `pattern` ("/contracts/:id" + "/contracts/abc" → `{ id: "abc" }`),
 * or null when it does not match. A trailing slash is ignored ("/settings/" = "/settings").
 */
export function pathParams(pattern: string, path: string): Record<string, string> | null {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const want = pattern.split('/');
  const have = normalized.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [index, segment] of want.entries()) {
    const actual = have[index] ?? '';
    if (segment.startsWith(':')) {
      if (!actual) return null;
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null; // malformed escape: no such page
      }
    } else if (segment !== actual) return null;
  }
  return params;
}

/** The route for a path: exact paths, or patterns with `:name` segments. */
export function matchRoute<R extends { path: string }>(routes: readonly R[], path: string): R | undefined {
  return routes.find((route) => pathParams(route.path, path) !== null);
}

/**
 * After a navigation: focus the new page's h1 so screen readers announce it (the skip link stays first
 * in tab order). A page whose code is still loading has no h1 yet: wait for it to appear, but give up
 * when the user navigates again or after a while (a failed load shows an alert instead).
 */
export function focusPageHeading(): void {
  const navigation = untrack(() => router.navigations);
  void tick().then(() => {
    const heading = () => document.querySelector<HTMLElement>('#main h1');
    const found = heading();
    if (found) return found.focus();
    const main = document.getElementById('main');
    if (!main) return;
    const observer = new MutationObserver(() => {
      if (untrack(() => router.navigations) !== navigation) return observer.disconnect();
      const appeared = heading();
      if (!appeared) return;
      observer.disconnect();
      appeared.focus();
    });
    observer.observe(main, { childList: true, subtree: true });
    setTimeout(() => observer.disconnect(), 30_000);
  });
}
