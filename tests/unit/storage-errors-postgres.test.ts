import { createServer, type Server, type Socket } from 'node:net';
import { DrizzleQueryError } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { errorAnswer } from '../../server/realtime/handlers.ts';
import type { Db } from '../../db/client.ts';
import {
  postgresProbeIntervalMs,
  storageConditionOf,
  storageHealth,
} from '../../server/lib/storage-errors.ts';
import { freePort } from '../helpers/server-binaries.ts';

/**
 * Issue "Beyond one machine": PostgreSQL that cannot be reached, restarts or refuses writes is a
 * storage condition (503 + Retry-After), like SQLite's read-only or full file; everything else a
 * statement meets stays the request's problem. The errors are node-postgres's own: from a real
 * socket where one can be had here, else built the way pg-protocol and Node build them.
 */

/** A server's ErrorResponse as pg-protocol's parser turns it into an error. */
function databaseError(code: string, message: string, severity = 'ERROR'): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length + 40, 'error');
  Object.assign(error, { severity, code });
  return error;
}

/** A socket error as Node's net module reports it. */
function socketError(code: string, syscall: string): Error {
  return Object.assign(new Error(`${syscall} ${code}`), { code, syscall, errno: -1 });
}

/** How drizzle hands a failed statement up: the driver's error as its cause. */
const wrapped = (cause: Error) => new DrizzleQueryError('select 1', [], cause);

const servers: Server[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A TCP server on a free port that treats each connection with `onSocket`. */
async function listen(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.push(socket);
    onSocket(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function connectError(config: pg.PoolConfig): Promise<Error> {
  const pool = new pg.Pool({ host: '127.0.0.1', user: 'portier', database: 'portier', ...config });
  try {
    await pool.query('select 1');
  } catch (error) {
    return error as Error;
  } finally {
    await pool.end();
  }
  throw new Error('the query was answered');
}

describe('storageConditionOf on PostgreSQL', () => {
  it('sees a server that is not there: connection refused, reset, timed out, a broken pipe', async () => {
    const refused = await connectError({ port: await freePort() });
    expect((refused as Error & { code?: string }).code).toBe('ECONNREFUSED');
    expect(storageConditionOf(refused)).toBe('unreachable');
    expect(storageConditionOf(wrapped(refused))).toBe('unreachable');
    for (const [code, syscall] of [
      ['ECONNRESET', 'read'],
      ['ETIMEDOUT', 'connect'],
      ['EPIPE', 'write'],
      ['EHOSTUNREACH', 'connect'],
      ['ENOTFOUND', 'getaddrinfo'],
    ] as const)
      expect(storageConditionOf(wrapped(socketError(code, syscall))), code).toBe('unreachable');
    // localhost tried on ::1 and 127.0.0.1, both refused.
    const both = Object.assign(
      new AggregateError([socketError('ECONNREFUSED', 'connect'), socketError('ECONNREFUSED', 'connect')]),
      { code: 'ECONNREFUSED' },
    );
    expect(storageConditionOf(both)).toBe('unreachable');
    expect(storageConditionOf(new AggregateError([socketError('ECONNREFUSED', 'connect')]))).toBe(
      'unreachable',
    );
  });

  it('sees a connection the server ends, and one that never answers', async () => {
    const closing = await listen((socket) => socket.destroy());
    const terminated = await connectError({ port: closing });
    expect(terminated.message).toBe('Connection terminated unexpectedly');
    expect(storageConditionOf(terminated)).toBe('unreachable');

    const silent = await listen(() => undefined);
    const timedOut = await connectError({ port: silent, connectionTimeoutMillis: 200 });
    expect(timedOut.message).toBe('Connection terminated due to connection timeout');
    expect(storageConditionOf(wrapped(timedOut))).toBe('unreachable');

    // A checked-out connection that lost its server (pg's client.js), and a pool whose every
    // connection stayed busy for connectionTimeoutMillis (pg-pool).
    const notQueryable = new Error('Client has encountered a connection error and is not queryable');
    expect(storageConditionOf(wrapped(notQueryable))).toBe('unreachable');
    expect(storageConditionOf(new Error('timeout exceeded when trying to connect'))).toBe('busy');
  });

  it('maps the SQLSTATEs of a server that restarts, is full, or takes no writes', () => {
    const cases: [string, string, string, string][] = [
      ['57P01', 'FATAL', 'terminating connection due to administrator command', 'unreachable'],
      ['57P02', 'FATAL', 'terminating connection due to crash of another server process', 'unreachable'],
      ['57P03', 'FATAL', 'the database system is starting up', 'unreachable'],
      ['57P03', 'FATAL', 'the database system is shutting down', 'unreachable'],
      ['08006', 'FATAL', 'connection failure', 'unreachable'],
      ['08001', 'FATAL', 'could not establish connection', 'unreachable'],
      ['08P01', 'FATAL', 'protocol violation', 'unreachable'],
      ['53300', 'FATAL', 'sorry, too many clients already', 'busy'],
      ['25006', 'ERROR', 'cannot execute INSERT in a read-only transaction', 'read_only'],
      ['53100', 'ERROR', 'could not extend file "base/16384/16385": No space left on device', 'full'],
      ['58030', 'ERROR', 'could not read block 0 in file "base/16384/16385": Input/output error', 'io_error'],
    ];
    for (const [code, severity, message, condition] of cases) {
      expect(storageConditionOf(databaseError(code, message, severity)), code).toBe(condition);
      expect(storageConditionOf(wrapped(databaseError(code, message, severity))), code).toBe(condition);
    }
  });

  it("leaves the statement's own errors alone: they are not the machine's", () => {
    const statementErrors: [string, string][] = [
      ['23505', 'duplicate key value violates unique constraint "users_login_email_unique"'],
      ['23503', 'insert or update on table "tickets" violates foreign key constraint'],
      ['40001', 'could not serialize access due to read/write dependencies among transactions'],
      ['40P01', 'deadlock detected'],
      ['42P01', 'relation "nope" does not exist'],
      ['22P02', 'invalid input syntax for type integer: "x"'],
      ['57014', 'canceling statement due to statement timeout'],
      // A message that reads like the driver's does not count on a server error.
      ['XX000', 'Connection terminated unexpectedly'],
    ];
    for (const [code, message] of statementErrors)
      expect(storageConditionOf(wrapped(databaseError(code, message))), code).toBeNull();
    expect(storageConditionOf(new Error('Cannot use a pool after calling end on the pool'))).toBeNull();
    expect(storageConditionOf(socketError('EACCES', 'open'))).toBeNull();
    expect(storageConditionOf(new AggregateError([new TypeError('x')]))).toBeNull();
  });

  it('answers a socket message that met the lost server as HTTP does: storage_unavailable', () => {
    const answer = errorAnswer(
      wrapped(databaseError('57P01', 'terminating connection due to administrator command', 'FATAL')),
    );
    expect(answer.error.code).toBe('storage_unavailable');
    expect(answer.error.message).toMatch(/try again/);
  });
});

describe('storageHealth on PostgreSQL', () => {
  /** A PostgreSQL handle on a pool to `port`, as db/client-pg.ts opens one. */
  const handleOn = (port: number) => {
    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'portier', database: 'portier' });
    pool.on('error', () => undefined);
    return { pool, db: drizzle({ client: pool }) as unknown as Db };
  };

  it('reports a server that refuses connections', async () => {
    const { pool, db } = handleOn(await freePort());
    try {
      expect(await storageHealth(db, Date.now())).toBe('unreachable');
    } finally {
      await pool.end();
    }
  });

  it('gives up on a server that does not answer, and asks it at most once per interval', async () => {
    let connections = 0;
    const port = await listen(() => void (connections += 1));
    const { pool, db } = handleOn(port);
    try {
      const now = Date.now();
      // Health checks arriving together share one probe; it ends without an answer from the
      // server (the pool itself would wait for ever: no connection timeout here).
      const answers = await Promise.all([1, 2, 3, 4, 5].map(() => storageHealth(db, now)));
      expect(answers).toEqual(Array(5).fill('unreachable'));
      expect(connections).toBe(1);
      // Within the interval: the last answer, the server is not asked again.
      expect(await storageHealth(db, now + postgresProbeIntervalMs - 1)).toBe('unreachable');
      expect(connections).toBe(1);
      // After it: asked again.
      expect(await storageHealth(db, now + postgresProbeIntervalMs)).toBe('unreachable');
      expect(connections).toBe(2);
    } finally {
      for (const socket of sockets.splice(0)) socket.destroy();
      await pool.end();
    }
  });
});
