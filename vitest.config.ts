import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { postgresMissing } from './tests/helpers/pg-server.ts';

/**
 * Without Debian's `postgresql` the PostgreSQL project is left out with a warning, as the other
 * PostgreSQL tests skip (tests/helpers/server-binaries.ts `skipWithout`); with PORTIER_REQUIRE_PG
 * (.ci/run) it runs anyway and fails at its global setup instead of passing unseen.
 */
const withoutPostgres = process.env.PORTIER_REQUIRE_PG ? undefined : postgresMissing();
if (withoutPostgres) console.warn(`skipping the PostgreSQL project: ${withoutPostgres}`);

/**
 * Files of tests/integration and tests/security the PostgreSQL project leaves out, and why. The
 * rest runs on both stores (issue 19): once on SQLite in the project "sqlite", once on a fresh
 * PostgreSQL database per world in the project "postgres" (tests/helpers/context.ts createTestWorld).
 */
const notOnPostgres = [
  // They start stores of their own and test PostgreSQL (or both stores side by side) already.
  'tests/integration/*postgres*.test.ts',
  'tests/integration/*both-stores*.test.ts',
  'tests/integration/pg-migrations.test.ts',
  // SQLite itself: the online backup and restore of the SQLite file, and the prepared-row reader
  // of SQLite's hot path (db/prepared.ts; PostgreSQL keeps drizzle's own mapping).
  'tests/integration/backup.test.ts',
  'tests/integration/hot-path.test.ts',
  // Two instances in one process on one SQLite file and a throwaway Redis; the same on PostgreSQL
  // behind nginx is tests/faults/two-instances.test.ts.
  'tests/integration/scale-out-redis.test.ts',
  // No database at all: the node server's compression, the production senders, the Redis server.
  'tests/integration/compression-node-server.test.ts',
  'tests/integration/production-senders.test.ts',
  'tests/integration/redis-server.test.ts',
];

/** The integration and security tests once more, each world on a fresh PostgreSQL database. */
const postgresProject = {
  extends: true,
  test: {
    name: 'postgres',
    include: ['tests/integration/**/*.test.ts', 'tests/security/**/*.test.ts'],
    exclude: notOnPostgres,
    env: { TEST_STORE: 'postgres' },
    // Every statement is a round trip to a server here, where SQLite answers in-process: the
    // demo seed of a world and the fuzzing's thousands of requests take several times longer.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['tests/helpers/pg-global-setup.ts'],
  },
} satisfies TestProjectInlineConfiguration;

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: [
            'tests/unit/**/*.test.ts',
            'tests/integration/**/*.test.ts',
            'tests/security/**/*.test.ts',
            'server/**/*.test.ts',
            'shared/**/*.test.ts',
          ],
        },
      },
      ...(withoutPostgres ? [] : [postgresProject]),
    ],
  },
});
