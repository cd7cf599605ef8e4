import { describe, expect, it } from 'vitest';
import { insertAuthToken } from '../../db/repositories/auth-tokens.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { DEMO_LOGINS } from '../../server/demo/demo-constants.ts';
import { inTransaction } from '../../db/transaction.ts';
import { createSession, sessionLifetimeMs, validateSessionToken } from '../../server/auth/sessions.ts';
import { expiredLinkGraceMs, sweepExpired } from '../../server/services/housekeeping.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';

describe('housekeeping', async () => {
  const { ctx, db } = await staffWorld([]);
  const meta = { ip: '127.0.0.1', userAgent: 'housekeeping-test' };
  const day = 24 * 60 * 60 * 1000;
  const ids = async (table: 'sessions' | 'authTokens') =>
    (await db.select({ id: testTables[table].id }).from(testTables[table])).map((r) => r.id);

  it('deletes expired sessions and long-expired e-mail links, and keeps everything still valid', async () => {
    const userId = (await findAccountByLoginEmail(db, DEMO_LOGINS.tenant))!.user.id;
    const now = ctx.deps.now();
    const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
    const { expired, current } = await inTransaction(db, async (tx) => ({
      expired: await createSession(tx, userId, at(-sessionLifetimeMs - day), meta),
      current: await createSession(tx, userId, at(-day), meta),
    }));
    const link = async (id: string, expiresAt: Date) =>
      await insertAuthToken(db, {
        id,
        userId,
        purpose: 'reset_password',
        secretHash: Buffer.alloc(32),
        expiresAt,
      });
    await link('link-long-expired', at(-expiredLinkGraceMs - day));
    await link('link-recently-expired', at(-day)); // a late click still hears "expired"
    await link('link-valid', at(day));

    const swept = await sweepExpired(ctx.deps);

    expect(swept.sessions).toBeGreaterThanOrEqual(1);
    expect(await ids('sessions')).not.toContain(expired.id);
    expect(await ids('sessions')).toContain(current.id);
    expect(await validateSessionToken(db, current.token, now)).not.toBeNull();
    expect(swept.authTokens).toBe(1);
    expect(await ids('authTokens')).not.toContain('link-long-expired');
    expect(await ids('authTokens')).toEqual(expect.arrayContaining(['link-recently-expired', 'link-valid']));
    expect(await sweepExpired(ctx.deps)).toEqual({ sessions: 0, authTokens: 0, invitations: 0 });
  });
});
