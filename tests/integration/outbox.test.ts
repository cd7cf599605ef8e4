import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/transaction.ts';
import { findNotification } from '../../db/repositories/notifications.ts';
import { queueMail } from '../../server/notify/outbox.ts';
import { drainOutbox, OutboxWorker } from '../../server/notify/worker.ts';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { createUser } from '../helpers/fixtures.ts';
import { parseMail } from '../helpers/auth.ts';
import { waitFor } from '../helpers/live.ts';

const minute = 60_000;

describe('notification outbox', () => {
  let ctx: TestWorld;
  let clock: number;
  beforeEach(async () => {
    ctx = await createTestWorld();
    clock = Date.parse('2026-03-02T09:00:00Z');
    ctx.deps.now = () => new Date(clock);
  });
  afterEach(() => ctx.close());

  const mails = () => {
    try {
      return readdirSync(join(ctx.dataDir, 'mail')).filter((f) => f.endsWith('.eml'));
    } catch {
      return [];
    }
  };

  const queuePasswordChanged = async () => {
    const { user, email } = await createUser(ctx.deps.db, { userLanguage: 'en' });
    return await inTransaction(
      ctx.deps.db,
      async (tx) =>
        await queueMail(tx, {
          address: email,
          userId: user.id,
          language: 'en',
          now: ctx.deps.now(),
          template: 'password_changed',
          data: { name: 'Anna', changedAt: new Date(clock).toISOString() },
        }),
    );
  };

  it('a worker dying between send and mark resends after the lease: one file, one Message-ID', async () => {
    const row = await queuePasswordChanged();
    const crash = new Error('killed');
    await expect(
      drainOutbox(ctx.deps, {
        afterSend: () => {
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    expect(await findNotification(ctx.deps.db, row.id)).toMatchObject({ status: 'sending', attempts: 1 });
    const [first] = mails();
    const firstMail = parseMail(join(ctx.dataDir, 'mail', first!));
    expect(firstMail.text).toMatch(new RegExp(`^Message-ID: <notification-${row.id}@portier\\.test>`, 'm'));

    // Another worker inside the lease leaves the row alone; after the lease it takes it again.
    expect(await drainOutbox(ctx.deps)).toBe(0);
    clock += 3 * minute;
    expect(await drainOutbox(ctx.deps)).toBe(1);

    expect(await findNotification(ctx.deps.db, row.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(mails()).toEqual([first]);
    const resent = readFileSync(join(ctx.dataDir, 'mail', first!), 'utf8');
    expect(resent).toMatch(new RegExp(`^Message-ID: <notification-${row.id}@portier\\.test>`, 'm'));
  });

  it('retries with exponential backoff, then gives up as dead after eight attempts', async () => {
    const row = await queuePasswordChanged();
    let calls = 0;
    ctx.deps.mailer = {
      deliver: () => {
        calls++;
        return Promise.reject(new Error('smtp 451 try later'));
      },
    };
    await drainOutbox(ctx.deps);
    let stored = (await findNotification(ctx.deps.db, row.id))!;
    expect(stored).toMatchObject({ status: 'pending', attempts: 1, lastError: 'smtp 451 try later' });
    expect(stored.nextAttemptAt.getTime() - clock).toBe(30_000);

    // Not due yet: nothing happens.
    await drainOutbox(ctx.deps);
    expect(calls).toBe(1);

    const delays: number[] = [];
    for (let attempt = 2; attempt <= 8; attempt++) {
      clock = (await findNotification(ctx.deps.db, row.id))!.nextAttemptAt.getTime();
      await drainOutbox(ctx.deps);
      stored = (await findNotification(ctx.deps.db, row.id))!;
      if (stored.status === 'pending') delays.push(stored.nextAttemptAt.getTime() - clock);
    }
    expect(delays).toEqual([60, 120, 240, 480, 960, 1920].map((s) => s * 1000));
    expect(stored).toMatchObject({ status: 'dead', attempts: 8 });
    expect(calls).toBe(8);
    clock += 24 * 60 * minute;
    await drainOutbox(ctx.deps);
    expect(calls).toBe(8);
  });

  it('keeps no copy of a delivered link: secret mail data is scrubbed once sent', async () => {
    const { user, email } = await createUser(ctx.deps.db);
    const row = await inTransaction(
      ctx.deps.db,
      async (tx) =>
        await queueMail(tx, {
          address: email,
          userId: user.id,
          language: 'de',
          now: ctx.deps.now(),
          template: 'reset_password',
          data: {
            name: null,
            link: 'http://portier.test/reset-password?token=a.b',
            expiresAt: '2026-03-02T10:00:00Z',
          },
        }),
    );
    await drainOutbox(ctx.deps);
    expect(await findNotification(ctx.deps.db, row.id)).toMatchObject({ status: 'sent', data: {} });
  });

  it('a rolled-back transaction queues nothing', async () => {
    const { user, email } = await createUser(ctx.deps.db);
    await expect(
      inTransaction(ctx.deps.db, async (tx) => {
        await queueMail(tx, {
          address: email,
          userId: user.id,
          language: 'de',
          now: ctx.deps.now(),
          template: 'email_changed',
          data: { name: null, email },
        });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(await drainOutbox(ctx.deps)).toBe(0);
    expect(mails()).toEqual([]);
  });

  it('the running worker wakes up when a transaction queued something', async () => {
    const worker = new OutboxWorker(ctx.deps, {}, 60 * minute);
    worker.start();
    try {
      await queuePasswordChanged();
      await waitFor(() => mails().length === 1, 5000, 'the mail');
    } finally {
      await worker.stop();
    }
  });
});
