// A large inbox for the query and cold-start benchmarks (issue 5: 200,000 tickets, 2,000,000
// messages). The demo is seeded first, so staff, teams, buildings, contracts and ticket types
// are real; then tickets and messages are bulk-inserted with prepared statements, one
// transaction per chunk (better-sqlite3's fast path). The result is cached under bench/.cache/
// keyed by a hash of the migrations and the size, and reused while the schema is unchanged.
// `tsx bench/generate-db.ts [tickets]` builds it on its own.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/client.ts';
import { indexPendingTickets } from '../db/repositories/ticket-search.ts';
import { inTransaction } from '../db/transaction.ts';
import { seedDemo } from '../server/demo/demo.ts';
import { loadConfig } from '../server/config.ts';
import { createDeps } from '../server/deps.ts';

/** Bump when the generated content changes meaning. */
const generatorVersion = 1;
export const messagesPerTicket = 10;
const chunk = 10_000;

function migrationHash(): string {
  const dir = 'db/migrations';
  const hash = createHash('sha256');
  for (const file of readdirSync(dir, { recursive: true }).map(String).sort()) {
    if (file.endsWith('.sql') || file.endsWith('.json'))
      hash.update(file).update(readFileSync(join(dir, file)));
  }
  return hash.digest('hex').slice(0, 12);
}

/** A deterministic pseudo-random sequence (mulberry32), so every machine generates the same data. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const words = [
  'Heizung',
  'Wasserhahn',
  'Fenster',
  'Schimmel',
  'Aufzug',
  'Klingel',
  'Treppenhaus',
  'Balkon',
  'Rauchmelder',
  'Abfluss',
  'Keller',
  'Briefkasten',
  'element',
  'tvättstuga',
  'nyckel',
  'radiator',
];

export interface GeneratedDb {
  dataDir: string;
  file: string;
  tickets: number;
  messages: number;
  /** Seconds it took to build, or 0 when taken from the cache. */
  builtSeconds: number;
}

export async function generateInboxDb(
  tickets: number,
  log: (line: string) => void = () => {},
): Promise<GeneratedDb> {
  const dataDir = join('bench', '.cache', `inbox-${migrationHash()}-v${generatorVersion}-${tickets}`);
  const file = join(dataDir, 'portier.sqlite');
  const result = { dataDir, file, tickets, messages: tickets * messagesPerTicket };
  if (existsSync(file)) return { ...result, builtSeconds: 0 };

  const started = performance.now();
  const building = `${dataDir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const db = openDatabase(join(building, 'portier.sqlite'));
  await seedDemo(createDeps(loadConfig({ DATA_DIR: building }), db));
  const sqlite = db.$client;
  // Bulk load only: the server reopens the file with the durable settings of db/client.ts.
  sqlite.pragma('synchronous = OFF');
  // Each ticket's messages go in before the ticket itself (consistent by construction); the search
  // triggers only note the tickets (migration 0007) and every document is built once, at the end.
  sqlite.pragma('foreign_keys = OFF');

  const ids = (sql: string) => (sqlite.prepare(sql).all() as { id: string }[]).map((row) => row.id);
  const buildings = ids('SELECT id FROM buildings');
  const types = ids('SELECT id FROM ticket_types');
  const customers = ids(`SELECT id FROM users WHERE role = 'customer'`);
  const staff = ids(`SELECT id FROM users WHERE role IN ('staff', 'admin')`);
  const statuses = [
    'new',
    'in_progress',
    'waiting_tenant',
    'resolved',
    'closed',
    'closed',
    'closed',
    'resolved',
  ];
  const priorities = ['low', 'normal', 'normal', 'normal', 'high', 'urgent'];
  const insertTicket = sqlite.prepare(
    `INSERT INTO tickets (id, number, type_id, fields, subject, description, status, priority,
       created_by_user_id, building_id, assignee_id, client_id, last_activity_at, created_at, reopen_count)
     VALUES (?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
  );
  const insertMessage = sqlite.prepare(
    `INSERT INTO ticket_messages (id, ticket_id, author_user_id, body, visibility, kind, created_at)
     VALUES (?, ?, ?, ?, ?, 'message', ?)`,
  );
  const next = random(20_260_000 + tickets);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const now = Date.now();
  const twoYears = 2 * 365 * 24 * 3600 * 1000;
  const sentence = () => Array.from({ length: 8 }, () => pick(words)).join(' ');

  for (let start = 0; start < tickets; start += chunk) {
    sqlite.transaction(() => {
      for (let i = start; i < Math.min(tickets, start + chunk); i++) {
        const id = `bench-t${i}`;
        const creator = pick(customers);
        const createdAt = now - Math.floor(next() * twoYears);
        const lastActivity = createdAt + Math.floor(next() * (now - createdAt));
        // Drawn in the generator's original order, so the data stay those of earlier runs.
        const row = [
          id,
          `B-${String(i).padStart(7, '0')}`,
          pick(types),
          `${pick(words)} ${pick(words)}`,
          sentence(),
          pick(statuses),
          pick(priorities),
          creator,
          pick(buildings),
          next() < 0.3 ? null : pick(staff),
          `bench-${i}`,
          lastActivity,
          createdAt,
        ];
        for (let m = 0; m < messagesPerTicket; m++) {
          const fromStaff = m % 2 === 1;
          insertMessage.run(
            `bench-t${i}-m${m}`,
            id,
            fromStaff ? pick(staff) : creator,
            sentence(),
            fromStaff && next() < 0.2 ? 'internal' : 'public',
            createdAt + Math.floor(((lastActivity - createdAt) * m) / messagesPerTicket),
          );
        }
        insertTicket.run(...row);
      }
    })();
    log(`  generated ${Math.min(tickets, start + chunk)} / ${tickets} tickets`);
  }
  sqlite.pragma('foreign_keys = ON');
  // What the server's search indexer would do after such an import (search-index.ts).
  while ((await inTransaction(db, async (tx) => await indexPendingTickets(tx, 5000))) > 0);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.exec('ANALYZE');
  db.$client.close();
  rmSync(dataDir, { recursive: true, force: true });
  renameSync(building, dataDir);
  return { ...result, builtSeconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const tickets = Number(process.argv[2] ?? 200_000);
  const generated = await generateInboxDb(tickets, console.log);
  console.log(generated);
}
