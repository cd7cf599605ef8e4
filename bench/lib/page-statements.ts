// What each measured page runs on SQLite, statement by statement, with its parameters: the input of
// the page baseline (bench/bare-pages.ts). Runs in its own process on the demo server's database
// file: the app is built exactly as main.ts builds it, every page is requested twice with the
// tenant's cookie, and the second (steady-state) request's statements are kept.
// Recorded at better-sqlite3's Statement (full SQL text, the driver's own arguments, raw/pluck
// mode), so statements that drizzle never sees — the read snapshot's BEGIN/COMMIT
// (db/prepared.ts) — are part of the page too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../db/client.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';

export type Method = 'run' | 'get' | 'all' | 'iterate';
export type Mode = 'objects' | 'raw' | 'pluck';

/** A parameter as JSON: Buffers and bigints tagged, everything else as is. */
export type StoredParam =
  string | number | null | { $base64: string } | { $bigint: string } | Record<string, unknown>;

export interface Call {
  sql: string;
  method: Method;
  mode: Mode;
  params: StoredParam[];
  reader: boolean;
  /** The session lookup: the position of its session id parameter, taken from each request's cookie. */
  session?: number;
}

export interface PageStatements {
  path: string;
  status: number;
  bytes: number;
  calls: Call[];
}

export const encodeParam = (value: unknown): StoredParam => {
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) {
    return { $base64: Buffer.from(value).toString('base64') };
  }
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === undefined) return null;
  return value as StoredParam;
};

export const decodeParam = (value: StoredParam): unknown => {
  if (value && typeof value === 'object') {
    if ('$base64' in value && typeof value.$base64 === 'string') return Buffer.from(value.$base64, 'base64');
    if ('$bigint' in value && typeof value.$bigint === 'string') return BigInt(value.$bigint);
  }
  return value;
};

type StatementProto = Record<string, (this: Database.Statement, ...args: unknown[]) => unknown>;

/** Wraps Statement.prototype so every execution while `sink` is set is recorded there. */
function recordStatements(): { start(): Call[]; stop(): void } {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as StatementProto;
  probe.close();
  const modes = new WeakMap<object, Mode>();
  let sink: Call[] | null = null;
  const original = {
    ...Object.fromEntries(['raw', 'pluck', 'run', 'get', 'all', 'iterate'].map((k) => [k, proto[k]!])),
  };
  proto.raw = function (this: Database.Statement, ...args: unknown[]) {
    modes.set(this, args[0] === false ? 'objects' : 'raw');
    return original.raw!.apply(this, args);
  };
  proto.pluck = function (this: Database.Statement, ...args: unknown[]) {
    modes.set(this, args[0] === false ? 'objects' : 'pluck');
    return original.pluck!.apply(this, args);
  };
  for (const method of ['run', 'get', 'all', 'iterate'] as const) {
    proto[method] = function (this: Database.Statement, ...args: unknown[]) {
      sink?.push({
        sql: this.source,
        method,
        mode: modes.get(this) ?? 'objects',
        params: args.map(encodeParam),
        reader: this.reader,
      });
      return original[method]!.apply(this, args);
    };
  }
  return {
    start: () => (sink = []),
    stop: () => (sink = null),
  };
}

async function main(): Promise<void> {
  const dataDir = process.env.DATA_DIR!;
  const cookie = process.env.COOKIE!;
  const paths = JSON.parse(process.env.PAGES!) as string[];
  const recorder = recordStatements();
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir });
  const db = openDatabase(join(dataDir, 'portier.sqlite'), { migrate: false });
  const app = createApp(createDeps(config, db));
  const sessionId = cookie.split('=')[1]?.split('.')[0] ?? '';
  const pages: PageStatements[] = [];
  for (const path of paths) {
    await (await app.request(path, { headers: { cookie } })).arrayBuffer();
    const calls = recorder.start();
    const answer = await app.request(path, { headers: { cookie } });
    const bytes = (await answer.arrayBuffer()).byteLength;
    recorder.stop();
    for (const call of calls) {
      const at = call.params.indexOf(sessionId);
      if (at >= 0) call.session = at;
    }
    pages.push({ path, status: answer.status, bytes, calls });
  }
  writeFileSync(process.env.OUT!, JSON.stringify(pages));
  db.$client.close();
  console.log('captured');
  process.exit(0);
}

if (process.argv[1]?.endsWith('page-statements.ts')) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
