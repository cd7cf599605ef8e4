import pg from 'pg';
import type { Db } from '../../db/client.ts';
import { isPostgres } from '../../db/dialect.ts';

export interface StatementCounter {
  /** Statements since the counter started or was last reset. */
  readonly count: number;
  reset(): void;
  stop(): void;
}

/**
 * Counts the statements `db` runs, for tests that bound a request's statements (no query per
 * row): on SQLite every run of a better-sqlite3 statement, kept prepared or not; on PostgreSQL
 * every query sent over one of the pool's connections, transaction control included. Call
 * `stop()` in a `finally`.
 */
export function countStatements(db: Db): StatementCounter {
  let count = 0;
  let stop: () => void;
  if (isPostgres(db)) {
    const pool = db.$client as unknown as pg.Pool;
    const ownClients = new WeakSet<object>();
    const onConnect = (client: pg.PoolClient) => ownClients.add(client);
    // The pool's idle and checked-out connections, and any it opens from now on.
    for (const client of (pool as unknown as { _clients: object[] })._clients) ownClients.add(client);
    pool.on('connect', onConnect);
    const client = pg.Client.prototype as unknown as Record<'query', (...args: unknown[]) => unknown>;
    const query = client.query;
    client.query = function (this: pg.Client, ...args: unknown[]) {
      if (ownClients.has(this)) count++;
      return query.apply(this, args);
    };
    stop = () => {
      client.query = query;
      pool.off('connect', onConnect);
    };
  } else {
    const client = db.$client;
    // Every statement the database runs, whether prepared now or kept prepared from earlier.
    const statement = Object.getPrototypeOf(client.prepare('select 1')) as Record<
      'run' | 'get' | 'all' | 'iterate',
      (...args: unknown[]) => unknown
    >;
    const methods = ['run', 'get', 'all', 'iterate'] as const;
    const originals = methods.map((name) => statement[name]);
    methods.forEach((name, index) => {
      const original = originals[index]!;
      statement[name] = function (this: { database: unknown }, ...args: unknown[]) {
        if (this.database === client) count++;
        return original.apply(this, args);
      };
    });
    stop = () => methods.forEach((name, index) => (statement[name] = originals[index]!));
  }
  return {
    get count() {
      return count;
    },
    reset() {
      count = 0;
    },
    stop,
  };
}
