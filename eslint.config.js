import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'data-demo/',
      'test-data/',
      'shared/i18n/paraglide/',
      'db/migrations/',
      'project.inlang/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Repositories are async (the interface a PostgreSQL adapter implements) over better-sqlite3,
    // which is synchronous: their bodies have nothing to await.
    files: ['db/repositories/**'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig: undefined },
    },
  },
  {
    // The client speaks to the server only through the contract in shared/, and to the service
    // worker only through the worker-safe module both run (service-worker/common/).
    files: ['client/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/db/**', 'drizzle-orm', 'drizzle-orm/*'],
              message: 'Import the contract from shared/.',
            },
            {
              group: ['**/service-worker/*.ts'],
              message: 'The page shares only service-worker/common/ with the worker.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['service-worker/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/db/**', 'drizzle-orm', 'drizzle-orm/*'],
              message: 'Import the contract from shared/.',
            },
            {
              group: ['**/client/**'],
              message: 'Code the page and the worker both run lives in service-worker/common/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The worker-safe module: runs in the page and in the service worker alike, so it uses neither
    // the DOM nor the worker's globals, nor Svelte or Workbox (each exists on one side only).
    files: ['service-worker/common/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/db/**', '**/client/**', 'drizzle-orm', 'drizzle-orm/*'],
              message: 'service-worker/common/ imports only shared/ and worker-safe packages.',
            },
            { group: ['../*.ts'], message: 'service-worker/common/ must not depend on the worker.' },
            {
              group: ['svelte', 'svelte/*', 'workbox-*', 'workbox-*/*'],
              message: 'Svelte and Workbox run on one side only.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'localStorage', 'sessionStorage', 'self', 'clients', 'registration'].map(
          (name) => ({ name, message: 'Not available on both sides (page and service worker).' }),
        ),
      ],
    },
  },
  {
    // The store knows nothing of the application: db/ imports only db/ and shared/.
    files: ['db/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/client/**'], message: 'db/ must not depend on the application.' },
          ],
        },
      ],
    },
  },
  {
    // Only repositories touch drizzle.
    files: ['server/**', 'shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['drizzle-orm', 'drizzle-orm/*'], message: 'Only db/repositories touch drizzle.' },
            { group: ['**/db/schema/**', '**/db/schema'], message: 'Go through a repository.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
