import { spawn } from 'node:child_process';

/*
 * `npm run test:faults [-- --soak] [vitest args]`: vitest refuses unknown flags, so `--soak` is
 * turned into SOAK=1 here (tests/faults/soak.test.ts runs only then) and the rest goes to vitest.
 */
const args = process.argv.slice(2);
const soak = args.includes('--soak');
const child = spawn(
  process.execPath,
  [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--config',
    'vitest.faults.config.ts',
    ...args.filter((arg) => arg !== '--soak'),
  ],
  { stdio: 'inherit', env: { ...process.env, ...(soak ? { SOAK: '1' } : {}) } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
