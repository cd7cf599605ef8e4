import type { Config } from './config.ts';
import type { Db } from '../db/client.ts';
import type { FileStore } from './files/store.ts';

/** Everything a request handler may need, built once in main.ts (or per test). */
export interface Deps {
  config: Config;
  db: Db;
  files: FileStore;
  now: () => Date;
}
