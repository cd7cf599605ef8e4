import { spawn } from 'node:child_process';
import { projectPath } from '../../server/lib/paths.ts';

/** What an `npm run <command>` script printed and how it ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one of the operator's commands (`server/cli/<command>.ts`, what `npm run backup`, `restore`
 * and `import` start) from the sources in a process of its own, with `env` over this process's
 * environment and logging silenced; answers whatever it printed and its exit code.
 */
export function runCli(
  command: 'backup' | 'restore' | 'import',
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', projectPath('server', 'cli', `${command}.ts`), ...args],
      {
        cwd: projectPath(),
        env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
