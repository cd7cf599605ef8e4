import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tablesOf } from '../../db/dialect.ts';
import { listPartiesOf } from '../../db/repositories/erp-import.ts';
import { findPostgresTool, toolConnection } from '../../server/cli/database-postgres.ts';
import { loadConfig } from '../../server/config.ts';
import { openStore } from '../../server/store.ts';
import { postgresMissing, startPgServer, type PgServer } from '../helpers/pg-server.ts';
import { seedTenantWorld, tenant } from '../helpers/pg-world.ts';
import { skipWithout } from '../helpers/server-binaries.ts';
import { runCli } from '../helpers/cli.ts';

/**
 * docs/operations.md "Backup and restore" with DATABASE_URL: `npm run backup` and `npm run restore`
 * run PostgreSQL's pg_dump and pg_restore, as separate processes like an operator's commands, on a
 * throwaway server. Back up, change the data, restore: the data of the backup is back.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

describe('the tools get the password through the environment, never on their command line', () => {
  it('moves the password out of the URL', () => {
    const { dbname, env } = toolConnection(
      'postgres://portier:s%3Acret%40x@db.internal:5433/portier?sslmode=require',
    );
    expect(dbname).toBe('postgres://portier@db.internal:5433/portier?sslmode=require');
    expect(env.PGPASSWORD).toBe('s:cret@x');
    const query = toolConnection(
      'postgres://portier@db.internal/portier?password=hidden&sslmode=verify-full',
    );
    expect(query.dbname).toBe('postgres://portier@db.internal/portier?sslmode=verify-full');
    expect(query.env.PGPASSWORD).toBe('hidden');
    expect(toolConnection('postgres://portier@db.internal/portier').env.PGPASSWORD).toBeUndefined();
  });

  it('refuses clearly when pg_dump or pg_restore is not installed', () => {
    const empty = mkdtempSync(join(tmpdir(), 'portier-no-tools-'));
    try {
      expect(() => findPostgresTool('pg_dump', [empty])).toThrow(/pg_dump was not found .*postgresql-client/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe.skipIf(gate.skip)(`npm run backup and npm run restore on PostgreSQL${gate.label}`, () => {
  let server: PgServer;
  let dir: string;
  let dataDir: string;
  let backups: string;

  beforeAll(async () => {
    server = await startPgServer();
    dir = mkdtempSync(join(tmpdir(), 'portier-backup-pg-'));
    dataDir = join(dir, 'data');
    backups = join(dir, 'backups');
    mkdirSync(backups);
    const store = await openStore(
      loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: server.url }),
    );
    try {
      await seedTenantWorld(store.db);
    } finally {
      await store.close();
    }
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const runStoreCli = (command: 'backup' | 'restore', args: string[], env: NodeJS.ProcessEnv = {}) =>
    runCli(command, args, { DATA_DIR: dataDir, DATABASE_URL: server.url, ...env });

  /** What the tenant's world looks like through the repositories, on a pool opened for the look. */
  async function world() {
    const store = await openStore(
      loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DATABASE_URL: server.url }),
    );
    try {
      const { units, persons } = tablesOf(store.db);
      const flats = await store.db.select({ number: units.number }).from(units).orderBy(units.number);
      const [person] = await store.db
        .select({ lastName: persons.lastName })
        .from(persons)
        .where(eq(persons.id, tenant.personId));
      const parties = await listPartiesOf(store.db, 'contract-1');
      return {
        flats: flats.map((flat) => flat.number),
        lastName: person?.lastName,
        parties: parties.map((party) => party.personId),
      };
    } finally {
      await store.close();
    }
  }

  it('backs up, and a restore after changes brings the backed-up data back', async () => {
    const before = await world();
    expect(before).toEqual({ flats: ['1.01'], lastName: 'Muster', parties: [tenant.personId] });

    const backup = await runStoreCli('backup', [backups]);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    const [file] = readdirSync(backups);
    expect(file).toMatch(/^portier-\d{4}-\d\d-\d\dT[\d-]+Z\.dump$/);
    expect(backup.stdout).toContain(join(backups, file!));
    expect(readdirSync(backups)).toEqual([file]); // no .partial left

    // Changes after the backup: a row changed, a row added, rows removed.
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      await client.query(`update persons set last_name = 'Geändert' where id = $1`, [tenant.personId]);
      await client.query(
        `insert into units (id, building_id, number, kind, created_at) values ('unit-2', 'building-1', '2.02', 'flat', now())`,
      );
      await client.query(`delete from contract_parties where contract_id = 'contract-1'`);
      // A table only a newer version would have: the restore leaves none of it behind.
      await client.query('create table later_feature (id text primary key)');
    } finally {
      await client.end();
    }
    expect(await world()).toEqual({ flats: ['1.01', '2.02'], lastName: 'Geändert', parties: [] });

    const restore = await runStoreCli('restore', [join(backups, file!)]);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    expect(await world()).toEqual(before);
    const check = new pg.Client({ connectionString: server.url });
    await check.connect();
    try {
      const { rows } = await check.query<{ t: string | null }>(
        "select to_regclass('public.later_feature') as t",
      );
      expect(rows[0]!.t).toBeNull();
    } finally {
      await check.end();
    }
    // What the restore replaced is kept in DATA_DIR, with the change in it.
    const previous = readdirSync(dataDir).filter((name) => /^portier-before-restore-.*\.dump$/.test(name));
    expect(previous).toHaveLength(1);
    expect(restore.stdout).toContain(previous[0]);
  }, 180_000);

  it('refuses an existing target, a file that is no dump, and a restore while the database is in use', async () => {
    const taken = join(backups, 'taken.dump');
    writeFileSync(taken, 'x');
    expect((await runStoreCli('backup', [taken])).code).toBe(2);

    const notADump = join(dir, 'not-a-dump.dump');
    writeFileSync(notADump, 'PGDMP but not really');
    const refused = await runStoreCli('restore', [notADump]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Refused: .*not a dump/);

    const good = join(backups, 'good.dump');
    expect((await runStoreCli('backup', [good])).code).toBe(0);
    const holder = new pg.Client({ connectionString: server.url, application_name: 'portier server' });
    await holder.connect();
    try {
      const busy = await runStoreCli('restore', [good]);
      expect(busy.code).toBe(2);
      expect(busy.stderr).toMatch(/in use by 1 other session\(s\) \(portier server\)/);
    } finally {
      await holder.end();
    }
  }, 180_000);
});
