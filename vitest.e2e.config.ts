import { defineConfig } from 'vitest/config';

// Real Chromium (Debian's /usr/bin/chromium via playwright-core) against the built app on an ephemeral port.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
