import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tablesOf } from '../../db/dialect.ts';
import { inTransaction } from '../../db/transaction.ts';
import { hashPassword } from '../../server/auth/password-hash.ts';
import { loadConfig } from '../../server/config.ts';
import { projectPath } from '../../server/lib/paths.ts';
import { storageConditionOf } from '../../server/lib/storage-errors.ts';
import { openStore, type Store } from '../../server/store.ts';
import { sessionCookieName, sessionCookieOf } from '../helpers/auth.ts';
import { strongPassword } from '../helpers/fixtures.ts';
import { postgresMissing, startPgServer, type PgServer } from '../helpers/pg-server.ts';
import { request, seedTenantWorld, tenant } from '../helpers/pg-world.ts';
import { freePort, skipWithout, stopProcess, waitForOutput } from '../helpers/server-binaries.ts';

/**
 * Issue "Beyond one machine", fault item: PostgreSQL restarted under a running server. While it is
 * down every request answers 503 with Retry-After (the storage condition, never a 500), health
 * says so, and the process stays up; once it is back on the same address the same process serves
 * again without a restart, and what was stored before is all there. The server is `npm start`'s
 * own (server/main.ts as a process of its own, with its background workers); this process holds a
 * pool of its own too, with a transaction open across the shutdown.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

interface Answer {
  status: number;
  retryAfter: string | null;
  body: unknown;
}

/** Polls `probe` until `done` holds for its answer, for at most `timeoutMs`. */
async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(gate.skip)(`a PostgreSQL restart under a running server${gate.label}`, () => {
  let server: PgServer;
  let store: Store;
  let child: ChildProcess;
  let output = '';
  let origin = '';
  let dir = '';

  beforeAll(async () => {
    server = await startPgServer();
    dir = mkdtempSync(join(tmpdir(), 'portier-pg-outage-'));
    const config = loadConfig(
      { DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent', DATABASE_URL: server.url },
      { publicUrl: 'http://portier.test' },
    );
    store = await openStore(config);
    await seedTenantWorld(store.db);
    const { users } = tablesOf(store.db);
    await store.db
      .update(users)
      .set({ passwordHash: await hashPassword(strongPassword), emailVerifiedAt: new Date() })
      .where(eq(users.id, tenant.id));

    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, ['--import', 'tsx', projectPath('server', 'main.ts')], {
      cwd: projectPath(),
      env: {
        ...process.env,
        DATABASE_URL: server.url,
        DATA_DIR: join(dir, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: origin,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForOutput(child, /listening/, 120_000);
  }, 180_000);

  afterAll(async () => {
    if (child) await stopProcess(child, ['SIGTERM']);
    await store?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let cookie = '';
  /** Health as a load balancer or monitor asks it: without a session cookie. */
  async function health(): Promise<Answer> {
    const res = await fetch(`${origin}/api/health`);
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
  }

  async function api(path: string, json?: unknown): Promise<Answer> {
    const res = await fetch(`${origin}/api${path}`, {
      method: json === undefined ? 'GET' : 'POST',
      headers: {
        origin,
        ...(cookie && { cookie }),
        ...(json !== undefined && { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    const token = sessionCookieOf(res);
    if (token) cookie = `${sessionCookieName}=${token}`;
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
  }

  /** The storage condition's answer (server/lib/storage-errors.ts), the same for every request. */
  const storageUnavailable = {
    status: 503,
    retryAfter: '5',
    body: {
      error: {
        code: 'storage_unavailable',
        message: 'Saving is not possible right now. Please try again in a moment.',
      },
    },
  };

  it('answers 503 with Retry-After while it is down, and serves again once it is back', async () => {
    // Before: a session, a request, a message.
    expect((await health()).status).toBe(200);
    expect((await api('/auth/login', { login: tenant.loginEmail, password: strongPassword })).status).toBe(
      200,
    );
    const filed = await api('/tickets', request('outage-ticket-1'));
    expect(filed.status).toBe(201);
    const ticketId = (filed.body as { ticket: { id: string } }).ticket.id;
    const message = (body: string, clientId: string) =>
      api(`/tickets/${ticketId}/messages`, { body, clientId });
    expect((await message('Vor dem Neustart.', 'outage-message-1')).status).toBe(201);

    // A transaction of this process's pool stays open across the shutdown: its connection is
    // checked out when the server ends it, the case where an 'error' nobody listens to would end
    // the process. Its next statement fails as a storage condition instead.
    let resume: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (resume = resolve));
    const { tickets } = tablesOf(store.db);
    const held = inTransaction(store.db, async (tx) => {
      await tx.select().from(tickets);
      await paused;
      return await tx.select().from(tickets);
    });
    const heldOutcome = held.then(
      () => 'committed',
      (error: unknown) => storageConditionOf(error),
    );
    // Idle connections in this pool too.
    await store.db.select().from(tickets);

    await server.shutDown('fast');
    resume();
    expect(await heldOutcome).toBe('unreachable');

    // Health turns (its answer is kept for a moment, so it may take that long).
    const down = await until(
      () => health(),
      (answer) => answer.status === 503,
      15_000,
    );
    expect(down).toEqual({
      status: 503,
      retryAfter: '5',
      body: { ok: false, storage: 'unreachable', store: 'postgres', redis: 'off' },
    });
    // Pages, a message, a login: 503 with Retry-After, never a 500.
    for (const path of ['/tickets', `/tickets/${ticketId}`, '/contracts', '/me'])
      expect(await api(path), path).toEqual(storageUnavailable);
    expect(await message('Während des Neustarts.', 'outage-message-2')).toEqual(storageUnavailable);
    expect(await api('/tickets', request('outage-ticket-2'))).toEqual(storageUnavailable);
    const loginMeanwhile = await fetch(`${origin}/api/auth/login`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ login: tenant.loginEmail, password: strongPassword }),
    });
    expect(loginMeanwhile.status).toBe(503);
    expect(loginMeanwhile.headers.get('retry-after')).toBe('5');
    // And this process's pool answers the same way.
    const meanwhile = await store.db
      .select()
      .from(tickets)
      .then(
        () => 'answered',
        (error: unknown) => storageConditionOf(error),
      );
    expect(meanwhile).toBe('unreachable');
    expect(child.exitCode, output).toBeNull();
    expect(child.signalCode).toBeNull();

    // Back on the same port: the same process serves again, the session from before still valid.
    await server.startAgain();
    const up = await until(
      () => health(),
      (answer) => answer.status === 200,
      30_000,
    );
    expect(up).toEqual({
      status: 200,
      retryAfter: null,
      body: { ok: true, store: 'postgres', redis: 'off' },
    });
    const list = await api('/tickets');
    expect(list.status).toBe(200);
    expect((list.body as { tickets: { id: string }[] }).tickets.map((t) => t.id)).toEqual([ticketId]);
    expect((await message('Nach dem Neustart.', 'outage-message-3')).status).toBe(201);
    // The message refused during the outage, sent again as the app does: stored now, once.
    expect((await message('Während des Neustarts.', 'outage-message-2')).status).toBe(201);
    expect((await message('Während des Neustarts.', 'outage-message-2')).status).toBe(200);

    const { ticketMessages } = tablesOf(store.db);
    const stored = await store.db
      .select({ body: ticketMessages.body, clientId: ticketMessages.clientId })
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, ticketId));
    expect(stored.map((row) => row.clientId).sort()).toEqual(
      ['outage-message-1', 'outage-message-2', 'outage-message-3'].sort(),
    );
    expect(stored.find((row) => row.clientId === 'outage-message-1')?.body).toBe('Vor dem Neustart.');
    expect((await store.db.select().from(tickets)).map((t) => t.id)).toEqual([ticketId]);

    expect(child.exitCode, output).toBeNull();
    // No request answered 500 (app.onError logs those whatever the log level).
    expect(output).not.toMatch(/unhandled error|internal_error/);
  }, 120_000);
});
