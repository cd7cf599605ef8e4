import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { precompressDirectory } from './scripts/precompress.ts';

const root = fileURLToPath(new URL('./client', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/client', import.meta.url));
const manifestFile = fileURLToPath(new URL('./dist/client-manifest.json', import.meta.url));
const backend = `http://127.0.0.1:${process.env.API_PORT ?? '3000'}`;

/** The tenant app's and the staff console's entries, whose common code is one chunk (below). */
const entries = [
  fileURLToPath(new URL('./client/index.html', import.meta.url)),
  fileURLToPath(new URL('./client/staff/index.html', import.meta.url)),
];
/** Components (and their helpers) that most tenant pages load: they travel with the shared code. */
const pageKit =
  /[\\/]client[\\/]lib[\\/](components[\\/](AsyncView|PageHeading|EmptyState)\.svelte|pwa[\\/]CachedNote\.svelte|errors\.ts)$/;

type ModuleInfoOf = (id: string) => { importedIds: readonly string[] } | null;
let reachable: Set<string>[] | null = null;
/** Whether both the tenant app and the staff console load the module by static imports. */
function inBothEntries(id: string, ctx: { getModuleInfo: ModuleInfoOf }): boolean {
  reachable ??= entries.map((entry) => {
    const seen = new Set<string>();
    const queue = [entry];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(ctx.getModuleInfo(next)?.importedIds ?? []));
    }
    return seen;
  });
  return reachable.every((set) => set.has(id));
}

// Two entries share client/lib: the tenant PWA at "/" and the staff console at "/staff/".
export default defineConfig({
  root,
  plugins: [
    svelte(),
    VitePWA({
      // Our own worker (service-worker/sw.ts) gets the precache list injected (DESIGN.md "PWA").
      strategies: 'injectManifest',
      srcDir: '../service-worker',
      filename: 'sw.ts',
      // Registered by client/lib/pwa/register.ts (tenant only), which asks before activating an update.
      injectRegister: false,
      registerType: 'prompt',
      devOptions: { enabled: false },
      injectManifest: {
        // Tenant app shell only: the staff entry and its HTML stay network-only.
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        globIgnores: ['staff/**', 'assets/staff-*'],
        sourcemap: false,
      },
      // The manifest is served by the server (server/routes/manifest.ts): the landlord's name and
      // colour, in the tenant's language. client/index.html links it; the staff console does not.
      manifest: false,
    }),
    {
      // Brotli and gzip copies of the built files (issue 16), made last: after vite-plugin-pwa has
      // written the service worker in its own (sequential) closeBundle.
      name: 'portier:precompress',
      apply: 'build',
      closeBundle: {
        order: 'post',
        sequential: true,
        handler() {
          // Out of the served directory: the bench reads it, browsers have no use for it.
          const manifest = join(outDir, '.vite', 'manifest.json');
          if (existsSync(manifest)) {
            renameSync(manifest, manifestFile);
            rmSync(dirname(manifest), { recursive: true, force: true });
          }
          const written = precompressDirectory(outDir);
          this.info(`precompressed: ${written.length} brotli/gzip copies`);
        },
      },
    },
  ],
  build: {
    outDir,
    emptyOutDir: true,
    // Maps stay beside the build for the operator, unreferenced and never served (server/lib/static.ts).
    sourcemap: 'hidden',
    // Which chunks each page loads, for bench/bundle-size.ts; moved beside the client build below.
    manifest: true,
    rolldownOptions: {
      input: {
        tenant: fileURLToPath(new URL('./client/index.html', import.meta.url)),
        staff: fileURLToPath(new URL('./client/staff/index.html', import.meta.url)),
        job: fileURLToPath(new URL('./client/job/index.html', import.meta.url)),
      },
      output: {
        codeSplitting: {
          groups: [
            {
              // Each message function is a module of its own, and a page shares a few dozen of them
              // with other pages: left alone, that is a dozen chunks of a few hundred bytes per page,
              // each a request on a phone network (issue 16: LCP). Those used by two or more chunks
              // travel together instead; a page's own messages stay in its chunk.
              name: 'messages',
              test: /[\\/]paraglide[\\/]messages[\\/]/,
              minShareCount: 2,
            },
            {
              // The code the tenant app and the staff console both run (Svelte, session, router, i18n) and the few
              // components nearly every tenant page shows, as one chunk: each of those components
              // was a chunk of 1–2 KB of its own, one request each on a phone network (issue 16).
              // Message functions keep to the group above (or their page): the catalogue module that
              // re-exports them all is shared too, and its dependencies are every message there is.
              name: (id, ctx) =>
                !/[\\/]paraglide[\\/]/.test(id) && (pageKit.test(id) || inBothEntries(id, ctx))
                  ? 'shared'
                  : null,
              includeDependenciesRecursively: false,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/manifest.webmanifest': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
});
