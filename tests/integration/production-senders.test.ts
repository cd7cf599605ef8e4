import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertDeliverableSenders, loadConfig } from '../../server/config.ts';
import { projectPath } from '../../server/lib/paths.ts';

interface Run {
  code: number | null;
  output: string;
}

const dataDirs: string[] = [];
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Starts `server/main.ts` as `npm start` would and waits until it listens (then stops it) or
 * exits by itself.
 */
function startServer(env: Record<string, string>, args: string[] = []): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-start-'));
  dataDirs.push(dataDir);
  // The settings under test come from `env` alone, whatever the machine running the tests has set.
  const inherited = { ...process.env };
  for (const name of ['NODE_ENV', 'MAIL_FROM', 'VAPID_SUBJECT', 'PUBLIC_URL']) delete inherited[name];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', projectPath('server', 'main.ts'), ...args], {
      cwd: projectPath(),
      env: {
        ...inherited,
        DATA_DIR: dataDir,
        DEMO_DATA_DIR: join(dataDir, 'demo'),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        ...env,
      },
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening') && child.exitCode === null) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('senders in production (issue 17)', () => {
  it('refuses to start with the reserved default sender and VAPID subject, naming the settings', async () => {
    const run = await startServer({ NODE_ENV: 'production' });
    expect(run.code).not.toBe(0);
    expect(run.output).not.toContain('listening');
    expect(run.output).toMatch(/set MAIL_FROM to an address of your own domain/);
    expect(run.output).toMatch(/set VAPID_SUBJECT to mailto:/);
  }, 60_000);

  it('starts in production once MAIL_FROM is on a real domain (the VAPID subject follows it)', async () => {
    const run = await startServer({
      NODE_ENV: 'production',
      MAIL_FROM: 'Wohnbau Nord <no-reply@wohnbau-nord.de>',
    });
    expect(run.output).toContain('listening');
    expect(run.output).not.toMatch(/MAIL_FROM|VAPID_SUBJECT/);
  }, 60_000);

  it('keeps the defaults for the demo, even with NODE_ENV=production', async () => {
    const run = await startServer({ NODE_ENV: 'production' }, ['--demo']);
    expect(run.output).toContain('listening');
  }, 120_000);

  it('names only what is wrong: a reserved VAPID subject with a real sender', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      MAIL_FROM: 'no-reply@wohnbau-nord.de',
      VAPID_SUBJECT: 'https://push.example.com/contact',
    });
    expect(() => assertDeliverableSenders(config)).toThrow(/VAPID_SUBJECT/);
    expect(() => assertDeliverableSenders(config)).not.toThrow(/MAIL_FROM is/);
    expect(() =>
      assertDeliverableSenders({
        ...config,
        vapid: { ...config.vapid, subject: 'mailto:ops@wohnbau-nord.de' },
      }),
    ).not.toThrow();
    // Outside production the defaults are fine (tests, development, the demo).
    expect(() => assertDeliverableSenders(loadConfig({}))).not.toThrow();
  });
});
