import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres, type PostgresStore } from '../../db/client-pg.ts';
import { findSetting, putSetting } from '../../db/repositories/settings.ts';
import { unitOfWork, type UnitOfWorkDeps } from '../../server/unit-of-work/index.ts';
import { postgresMissing, startPgServer, type PgServer } from '../helpers/pg-server.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

const run = promisify(execFile);

/**
 * On PostgreSQL units of work of several instances run at once (server/unit-of-work/postgres.ts):
 * what one writer gave on SQLite must hold anyway. Two processes, each an instance with a pool of
 * its own, do the read-check-write a service does in a unit; no update may be lost.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

describe.skipIf(gate.skip)(`units of work on PostgreSQL${gate.label}`, () => {
  let server: PgServer;
  let store: PostgresStore;
  let deps: UnitOfWorkDeps;

  beforeAll(async () => {
    server = await startPgServer();
    store = await openPostgres(server.url, { maxConnections: 4 });
    deps = {
      db: store.db,
      config: { timeZone: 'Europe/Berlin' },
      bus: { publish: () => undefined },
    } as unknown as UnitOfWorkDeps;
  });

  afterAll(async () => {
    await store?.close();
    await server?.stop();
  });

  it('two instances each counting 60 times in units end at 120: conflicting units run again', async () => {
    const instance = () =>
      run('npx', ['tsx', 'tests/helpers/pg-unit-writer.ts'], {
        env: { ...process.env, DATABASE_URL: server.url, UNITS: '60' },
      });
    const answers = await Promise.all([instance(), instance()]);
    expect(answers.map(({ stdout }) => stdout.trim())).toEqual(['committed 60', 'committed 60']);
    expect(await findSetting(store.db, 'test.counter')).toBe(120);
  }, 120_000);

  it('a failing unit leaves nothing behind and publishes nothing', async () => {
    const published: unknown[] = [];
    const watched = { ...deps, bus: { publish: (...args: unknown[]) => published.push(args) } };
    await putSetting(store.db, 'test.kept', 'before', new Date());
    await expect(
      unitOfWork(watched as unknown as UnitOfWorkDeps, async ({ tx }) => {
        await putSetting(tx, 'test.kept', 'during', new Date());
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await findSetting(store.db, 'test.kept')).toBe('before');
    expect(published).toEqual([]);
  });

  it("a unit's result comes back after commit", async () => {
    const answer = await unitOfWork(deps, async ({ tx }) => {
      await putSetting(tx, 'test.answer', 42, new Date());
      return 'stored';
    });
    expect(answer).toBe('stored');
    expect(await findSetting(store.db, 'test.answer')).toBe(42);
  });
});
