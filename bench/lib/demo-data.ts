// Sessions for thousands of sockets, created before the server starts. Logging in over HTTP
// 5,000 times would measure argon2id (deliberately slow, DESIGN.md "Passwords"), not the live
// layer, and the login throttles (server/auth/rate-limits.ts) have no switch to relax them.
// So the bench seeds the demo into its own SQLite file (or, given a DATABASE_URL, into that empty
// PostgreSQL database) and inserts sessions through the same createSession() the login route
// uses; the server under test then starts on that directory and store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { listTicketsCreatedBy } from '../../db/repositories/tickets.ts';
import { findSessionWithUser } from '../../db/repositories/sessions.ts';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { inTransaction } from '../../db/transaction.ts';
import { createSession } from '../../server/auth/sessions.ts';
import { sessionCookieName } from '../../server/auth/cookies.ts';
import { loadConfig } from '../../server/config.ts';
import { createDeps } from '../../server/deps.ts';
import { loadCustomerScope } from '../../server/services/access.ts';
import { openStore } from '../../server/store.ts';

export interface LiveDemo {
  dataDir: string;
  /** The PostgreSQL the demo was seeded into; undefined: the SQLite file in `dataDir`. */
  databaseUrl?: string;
  /** Cookie headers (`portier_session=…`). */
  staffCookie: string;
  /** The demo tenant's sessions: they send on her open tickets. */
  senderCookies: string[];
  /** The neighbour's sessions: idle sockets of the same estate, not in her tickets' rooms. */
  idleCookies: string[];
  /** Open tickets of the demo tenant, one per sender. */
  senderTicketIds: string[];
  /** The Berlin estate both tenants live in. */
  estateId: string;
}

export async function prepareLiveDemo(
  senders: number,
  idle: number,
  databaseUrl?: string,
): Promise<LiveDemo> {
  const dataDir = mkdtempSync(join(tmpdir(), 'portier-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, ...(databaseUrl && { DATABASE_URL: databaseUrl }) });
  const store = await openStore(config);
  const { db } = store;
  try {
    const deps = createDeps(config, db);
    await seedDemo(deps);
    const userId = async (login: string) => {
      const account = await findAccountByLoginEmail(db, login);
      if (!account) throw new Error(`demo login ${login} missing`);
      return account.user.id;
    };
    const tenant = await userId(DEMO_LOGINS.tenant);
    const neighbour = await userId(DEMO_LOGINS.neighbour);
    const staff = await userId(DEMO_LOGINS.staff);
    const now = deps.now();
    const meta = { ip: '127.0.0.1', userAgent: 'portier-bench' };
    const cookies = async (user: string, count: number) =>
      await inTransaction(db, async (tx) => {
        const made: string[] = [];
        for (let i = 0; i < count; i++)
          made.push(`${sessionCookieName}=${(await createSession(tx, user, now, meta)).token}`);
        return made;
      });
    const senderCookies = await cookies(tenant, senders);
    const idleCookies = await cookies(neighbour, idle);
    const [staffCookie] = await cookies(staff, 1);

    const open = (await listTicketsCreatedBy(db, tenant)).filter(
      (ticket) => ticket.status !== 'closed' && ticket.status !== 'resolved' && !ticket.mergedIntoId,
    );
    if (open.length === 0) throw new Error('the demo tenant has no open ticket');
    const senderTicketIds = Array.from({ length: senders }, (_, i) => open[i % open.length]!.id);

    const sessionId = idleCookies[0]!.split('=')[1]!.split('.')[0]!;
    const neighbourUser = (await findSessionWithUser(db, sessionId))!.user;
    const [estateId] = [...(await loadCustomerScope(deps, neighbourUser)).estateIds];
    if (!estateId) throw new Error('the neighbour has no estate');
    return {
      dataDir,
      databaseUrl,
      staffCookie: staffCookie!,
      senderCookies,
      idleCookies,
      senderTicketIds,
      estateId,
    };
  } finally {
    await store.close();
  }
}
