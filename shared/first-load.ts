/**
 * What a signed-in tenant page needs first, by path: the module the router loads for it (its key in
 * the client build's manifest) and the API GETs it starts with. The server names both in the page's
 * HTML as preloads, so they start with the HTML instead of after the app's code (server/lib/static.ts);
 * the app adds the same data preloads itself where the HTML came from elsewhere (client/tenant/warm.ts).
 * A path missing here only means that page's code and data come a little later.
 *
 * The order is the router's: `/requests/new` before `/requests/:id` (client/tenant/routes.ts).
 */
export interface FirstLoad {
  path: string;
  /** The page component as the build's manifest names it (relative to client/). */
  module: string;
  /** GET paths under /api, by the path's parameters. */
  api: (params: Record<string, string>) => string[];
}

const id = (params: Record<string, string>) => encodeURIComponent(params.id ?? '');

export const firstLoads: readonly FirstLoad[] = [
  { path: '/', module: 'tenant/pages/Home.svelte', api: () => ['/home'] },
  {
    path: '/contracts',
    module: 'tenant/pages/Contracts.svelte',
    api: () => ['/contracts', '/owner/units'],
  },
  {
    path: '/contracts/:id',
    module: 'tenant/pages/ContractDetail.svelte',
    api: (params) => [`/contracts/${id(params)}`, `/contracts/${id(params)}/ledger`],
  },
  { path: '/invoices', module: 'tenant/pages/Invoices.svelte', api: () => ['/invoices?unpaid=true'] },
  { path: '/requests', module: 'tenant/pages/Requests.svelte', api: () => ['/tickets', '/incidents'] },
  {
    path: '/requests/new',
    module: 'tenant/pages/RequestNew.svelte',
    api: () => ['/ticket-types', '/contracts', '/owner/units'],
  },
  {
    path: '/requests/:id',
    module: 'tenant/pages/RequestDetail.svelte',
    // The type's stored form labels the request's fields (TicketFields).
    api: (params) => [`/tickets/${id(params)}`, '/ticket-types'],
  },
];

/** Every page asks who is signed in and for the landlord's branding. */
export const everyPageApi = ['/me', '/branding'] as const;

/** Every page of someone signed in asks for their ownerships too: the navigation adapts to them. */
export const signedInApi = ['/owner/ownerships'] as const;

/** The parameters of `path` under `pattern` (`/contracts/:id`), as the client's router reads them. */
function paramsOf(pattern: string, path: string): Record<string, string> | null {
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
        return null;
      }
    } else if (segment !== actual) return null;
  }
  return params;
}

/** The page's module and first API paths for a location path, or null for pages not listed. */
export function firstLoadOf(path: string): { module: string; api: string[] } | null {
  for (const entry of firstLoads) {
    const params = paramsOf(entry.path, path);
    if (params) return { module: entry.module, api: entry.api(params) };
  }
  return null;
}
