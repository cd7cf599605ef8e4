import { defineConfig } from 'vitest/config';

/*
 * Fault tests (issue 7): storage faults in-process, `kill -9` of the built server (`dist/`, from
 * `npm run build`) during a message burst and during notification sending, and an opt-in soak
 * (`--soak` or SOAK=1). Real processes and real time: one file at a time on a 2-core machine.
 */
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
