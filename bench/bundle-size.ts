// JavaScript each tenant page loads, compressed as served (issue 16: ≤ 120 KB per page; issue 6:
// the initial JS ≤ 80 KB gzip). Method: the build's chunk manifest (vite.config.ts writes
// dist/client-manifest.json) names, for the tenant entry, the live client (loaded once someone is
// signed in) and each page, the chunks it imports statically; a page opened directly loads the
// closure of all three, every chunk once. Each chunk counts with the brotli copy the server sends
// (scripts/precompress.ts), or as is where the build left none (below 1 KB); the initial figure
// keeps issue 6's method, gzip at zlib's default level 6. Lazy `import()` chunks a page loads only
// on demand (the photo tools, another page) are not counted. bench/lighthouse.ts measures the same
// pages in a browser.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Figure } from './lib/report.ts';

const clientDir = 'dist/client';
const manifestFile = 'dist/client-manifest.json';
export const pageBudgetKb = 120;

interface ManifestChunk {
  file: string;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The pages issue 16 measures, by route and by the module the router loads for it. */
export const measuredPages = [
  { name: 'home', path: '/', module: 'tenant/pages/Home.svelte' },
  { name: 'contracts', path: '/contracts', module: 'tenant/pages/Contracts.svelte' },
  { name: 'a contract', path: '/contracts/:id', module: 'tenant/pages/ContractDetail.svelte' },
  { name: 'invoices', path: '/invoices', module: 'tenant/pages/Invoices.svelte' },
  { name: 'requests', path: '/requests', module: 'tenant/pages/Requests.svelte' },
  { name: 'a request', path: '/requests/:id', module: 'tenant/pages/RequestDetail.svelte' },
  { name: 'new request', path: '/requests/new', module: 'tenant/pages/RequestNew.svelte' },
] as const;

const entryKey = 'index.html';
const liveKey = 'lib/live.svelte.ts';

/** Every chunk (and stylesheet) the given manifest keys load by static imports. */
function closure(manifest: Manifest, keys: string[]): { js: string[]; css: string[] } {
  const seen = new Set<string>();
  const js: string[] = [];
  const css = new Set<string>();
  const queue = [...keys];
  while (queue.length > 0) {
    const key = queue.shift()!;
    const chunk = manifest[key];
    if (seen.has(key) || !chunk) continue;
    seen.add(key);
    if (chunk.file.endsWith('.js')) js.push(chunk.file);
    for (const sheet of chunk.css ?? []) css.add(sheet);
    queue.push(...(chunk.imports ?? []));
  }
  return { js, css: [...css] };
}

/** Bytes on the wire: the brotli copy where the build made one, else the file itself. */
function servedBytes(file: string): number {
  const path = join(clientDir, file);
  return existsSync(`${path}.br`) ? readFileSync(`${path}.br`).length : readFileSync(path).length;
}

export function runBundleSize(): Figure[] {
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  if (!manifest[entryKey]) throw new Error(`${manifestFile} has no ${entryKey}: build first`);

  const initial = closure(manifest, [entryKey]);
  let raw = 0;
  let gzip = 0;
  for (const file of initial.js) {
    const code = readFileSync(join(clientDir, file));
    raw += code.length;
    gzip += gzipSync(code).length;
  }
  const initialKb = gzip / 1024;
  const figures: Figure[] = [
    {
      bench: 'bundle-size',
      name: 'tenant app initial JS (gzip)',
      value: initialKb,
      unit: 'KB',
      target: '≤ 80 KB',
      pass: initialKb <= 80,
      note: `${initial.js.length} files, ${(raw / 1024).toFixed(0)} KB before gzip`,
    },
  ];

  for (const page of measuredPages) {
    if (!manifest[page.module]) throw new Error(`${manifestFile} has no ${page.module}`);
    const loaded = closure(manifest, [entryKey, liveKey, page.module]);
    const kb = loaded.js.reduce((sum, file) => sum + servedBytes(file), 0) / 1024;
    figures.push({
      bench: 'bundle-size',
      name: `JS loaded by ${page.name} (${page.path}, brotli)`,
      value: kb,
      unit: 'KB',
      target: `≤ ${pageBudgetKb} KB`,
      pass: kb <= pageBudgetKb,
      note: `${loaded.js.length} scripts and ${loaded.css.length} stylesheets`,
    });
  }
  return figures;
}
