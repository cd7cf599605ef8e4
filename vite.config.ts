import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

const root = fileURLToPath(new URL('./client', import.meta.url));
const backend = `http://127.0.0.1:${process.env.API_PORT ?? '3000'}`;
const themeColor = '#0a58a8';

/**
 * The staff console is a plain page, not part of the tenant PWA: vite-plugin-pwa links the manifest into
 * every HTML entry, so the link is taken out of `staff/index.html` again (the install prompt would
 * otherwise offer the tenant app from the console).
 */
function staffWithoutManifest(): Plugin {
  return {
    name: 'portier:staff-without-manifest',
    apply: 'build',
    enforce: 'post',
    transformIndexHtml: {
      order: 'post',
      handler: (html, ctx) =>
        ctx.path.includes('/staff/') ? html.replace(/<link rel="manifest"[^>]*>/g, '') : html,
    },
  };
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
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        globIgnores: ['staff/**', 'assets/staff-*'],
        sourcemap: false,
      },
      // The icons are in globPatterns already; listing them twice would precache them twice.
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Portier – Mieterportal',
        short_name: 'Portier',
        description: 'Verträge, Rechnungen, Dokumente und Anliegen rund um Ihre Wohnung.',
        lang: 'de',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: themeColor,
        background_color: '#ffffff',
        categories: ['lifestyle', 'utilities'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
        shortcuts: [
          { name: 'Neues Anliegen', short_name: 'Anliegen', url: '/requests/new' },
          { name: 'Rechnungen', short_name: 'Rechnungen', url: '/invoices' },
          { name: 'Dokumente', short_name: 'Dokumente', url: '/documents' },
        ],
      },
    }),
    staffWithoutManifest(),
  ],
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      input: {
        tenant: fileURLToPath(new URL('./client/index.html', import.meta.url)),
        staff: fileURLToPath(new URL('./client/staff/index.html', import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      '/api': backend,
      '/socket.io': { target: backend, ws: true },
    },
  },
});
