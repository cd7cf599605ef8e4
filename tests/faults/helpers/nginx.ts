import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable, stopProcess } from '../../helpers/server-binaries.ts';

/*
 * Debian's nginx (`apt-get install nginx`) as the reverse proxy in front of several instances, run
 * by the test itself: its own prefix dir under /tmp (config, pid, logs and temp paths), a port of
 * 127.0.0.1, `daemon off` so it is our child process. The system service is neither used nor touched.
 */

/** Why nginx cannot run here, or undefined when it can. */
export function nginxMissing(): string | undefined {
  return nginxBinary() ? undefined : 'nginx not found on PATH or in /usr/sbin (apt-get install nginx)';
}

function nginxBinary(): string | undefined {
  return findExecutable('nginx', ['/usr/sbin', '/usr/bin']);
}

export interface NginxOptions {
  /** The port nginx listens on (127.0.0.1). */
  port: number;
  /** `host:port` of every instance, in the upstream's order (ip_hash picks by it). */
  upstreams: string[];
}

/**
 * The `http` block an operator puts in front of several instances (docs/operations.md "Two
 * instances behind nginx" shows it): one upstream with `ip_hash` (sticky, for Socket.IO's
 * long-polling fallback), WebSocket upgrades, X-Forwarded-For/-Proto for TRUST_PROXY=1, and a
 * long read timeout for live sockets. `X-Upstream` is for the test only: which instance answered.
 */
export function nginxHttpBlock(options: NginxOptions & { tempDir?: string }): string {
  const temp = options.tempDir;
  return `http {
  ${temp ? `access_log ${temp}/access.log;` : 'access_log /var/log/nginx/portier.access.log;'}
${
  temp
    ? ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
        .map((kind) => `  ${kind}_temp_path ${temp}/${kind};`)
        .join('\n') + '\n'
    : ''
}
  map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
  }

  upstream portier {
    ip_hash;                               # sticky while long-polling is enabled
${options.upstreams.map((address) => `    server ${address} max_fails=1 fail_timeout=10s;`).join('\n')}
  }

  server {
    listen 127.0.0.1:${options.port};
    client_max_body_size 26m;              # uploads: 25 MB multipart limit in the app

    location / {
      proxy_pass http://portier;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 1h;               # live sockets are long-lived
      proxy_next_upstream error timeout;   # a dead instance: connect to the other (never re-sends a POST)
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

export interface Nginx {
  url: string;
  port: number;
  /** Its prefix dir (config, logs). */
  dir: string;
  output(): string;
  /** Stops nginx (SIGQUIT: graceful, then SIGTERM/SIGKILL) and removes its dir. */
  stop(): Promise<void>;
}

/** Starts nginx with a config of its own in a fresh temp dir; resolves once it accepts requests. */
export async function startNginx(options: NginxOptions): Promise<Nginx> {
  const binary = nginxBinary();
  if (!binary) throw new Error(nginxMissing());
  const dir = mkdtempSync(join(tmpdir(), 'portier-nginx-'));
  // As root, nginx's workers run as `nobody`: they must reach the temp paths inside the dir.
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  const config = join(dir, 'nginx.conf');
  writeFileSync(
    config,
    `worker_processes 1;
error_log ${dir}/error.log warn;
events {
  worker_connections 1024;
}
${nginxHttpBlock({ ...options, tempDir: dir })}`,
  );
  const child = spawn(binary, ['-p', dir, '-c', config, '-g', `daemon off; pid ${dir}/nginx.pid;`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopProcess(child, ['SIGQUIT', 'SIGTERM'], 5000);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await untilAnswering(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port: options.port, dir, output: () => output, stop };
}

async function untilAnswering(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`nginx exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      await res.body?.cancel();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${url}:\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
