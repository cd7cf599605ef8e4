import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const root = fileURLToPath(new URL('./client', import.meta.url));
const backend = `http://127.0.0.1:${process.env.API_PORT ?? '3000'}`;

// Two entries share client/lib: the tenant PWA at "/" and the staff console at "/staff/".
export default defineConfig({
  root,
  plugins: [svelte()],
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
