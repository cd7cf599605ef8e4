// What one durable SQLite commit costs on this machine's disk: WAL with synchronous=FULL, as
// db/client.ts opens the database (DESIGN.md: an acknowledged write survives power loss). Every
// tenant message is one such commit before anyone hears of it (DESIGN.md: "nothing is sent before
// it is stored"), so the live latency can never go below bare + this; the bare Socket.IO echo
// stores nothing. Measured in the same run, on the same file system as the app's data directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { percentile } from './stats.ts';

export interface CommitCost {
  p50: number;
  p99: number;
}

export interface DurableStore {
  /** One transaction with one row, committed with synchronous=FULL before it returns. */
  commit(body: string): void;
  close(): void;
}

/** A scratch SQLite file opened as db/client.ts opens the app's, for one-row durable commits. */
export function openDurableStore(): DurableStore {
  const dir = mkdtempSync(join(tmpdir(), 'portier-commit-'));
  const db = new Database(join(dir, 'commit.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE messages (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO messages (body) VALUES (?)');
  const commit = db.transaction((body: string) => insert.run(body));
  return {
    commit: (body) => void commit(body),
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function measureDurableCommit(commits = 300): CommitCost {
  const store = openDurableStore();
  try {
    const body = 'Die Heizung im Bad ist seit gestern kalt. '.repeat(4);
    for (let i = 0; i < 20; i++) store.commit(body);
    const samples: number[] = [];
    for (let i = 0; i < commits; i++) {
      const start = performance.now();
      store.commit(body);
      samples.push(performance.now() - start);
    }
    return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  } finally {
    store.close();
  }
}
