// One "instance" for tests/integration/unit-of-work-postgres.test.ts: a process of its own that runs
// `UNITS` units of work on PostgreSQL (`DATABASE_URL`), each reading a counter and writing it back
// one higher — the read-check-write a service does inside a unit. Prints how many it committed.
import { openPostgres } from '../../db/client-pg.ts';
import { findSetting, putSetting } from '../../db/repositories/settings.ts';
import { unitOfWork, type UnitOfWorkDeps } from '../../server/unit-of-work/index.ts';

const store = await openPostgres(process.env.DATABASE_URL!, { migrate: false, maxConnections: 4 });
const deps = {
  db: store.db,
  config: { timeZone: 'Europe/Berlin' },
  bus: { publish: () => undefined },
} as unknown as UnitOfWorkDeps;

const units = Number(process.env.UNITS);
let committed = 0;
// A few units at a time, as requests of one instance overlap.
await Promise.all(
  Array.from({ length: 4 }, async (_, lane) => {
    for (let i = lane; i < units; i += 4) {
      await unitOfWork(deps, async ({ tx }) => {
        const value = Number((await findSetting(tx, 'test.counter')) ?? 0);
        await putSetting(tx, 'test.counter', value + 1, new Date());
      });
      committed += 1;
    }
  }),
);
await store.close();
process.stdout.write(`committed ${committed}\n`);
