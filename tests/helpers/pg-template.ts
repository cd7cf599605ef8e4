// One PostgreSQL cluster per test run, one migrated template in it, and per test world a database
// copied from the template (issue 19: the integration and security tests run on both stores).
// The copy is a file copy inside the server, far cheaper than migrating every database afresh:
// https://www.postgresql.org/docs/current/manage-ag-templatedbs.html
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Db } from '../../db/client.ts';
import { openPostgres } from '../../db/client-pg.ts';

/** The database every test database is copied from: migrated once by the project's global setup. */
export const templateDatabase = 'portier_template';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `postgres://…/portier_template` of the run's cluster (tests/helpers/pg-global-setup.ts). */
    pgTemplateUrl: string;
  }
}

/** The URL of another database on the same server. */
function urlOf(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs one statement on the server's maintenance database `postgres`. */
export async function onServer(url: string, statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: urlOf(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

export interface TestDatabase {
  url: string;
  db: Db;
  /** Closes the pool and drops the database (its sessions ended first). */
  drop(): Promise<void>;
}

/** A fresh database with the full schema, copied from the run's template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const templateUrl = inject('pgTemplateUrl');
  if (!templateUrl) throw new Error('no PostgreSQL template: run in the vitest project "postgres"');
  const name = `portier_${process.pid}_${randomBytes(6).toString('hex')}`;
  const create = `create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(templateDatabase)}`;
  // A copy waits for nobody: a session still closing on the template (its migration, another copy's
  // check) makes it fail with 55006 at once; such a session ends within milliseconds.
  for (let attempt = 1; ; attempt++) {
    try {
      await onServer(templateUrl, create);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const url = urlOf(templateUrl, name);
  const store = await openPostgres(url, { migrate: false });
  let dropping: Promise<void> | undefined;
  return {
    url,
    db: store.db,
    drop: () =>
      (dropping ??= (async () => {
        await store.close();
        await onServer(templateUrl, `drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
      })()),
  };
}
