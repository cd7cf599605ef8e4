import { afterAll, describe, expect, it } from 'vitest';
import { testTables } from '../helpers/tables.ts';
import type { AccountEvent } from '../../server/events/account-events.ts';
import { unitOfWork } from '../../server/unit-of-work/index.ts';
import { createTestWorld } from '../helpers/context.ts';

const { events, notifications } = testTables;

/**
 * Account events (server/events/account-events.ts) carry secrets — links with tokens, sign-up
 * codes — to the outbox row and nowhere else: no event-log row, nothing published.
 */
describe('account events', async () => {
  const ctx = await createTestWorld();
  afterAll(() => ctx.close());
  const { deps } = ctx;
  const at = new Date('2026-03-02T09:00:00Z');
  const expiresAt = new Date('2026-03-02T10:00:00Z');
  const to = { address: 'jana@example.test', userId: null, language: 'de' as const, name: 'Jana Roth' };
  const secret = 'SECRET-7f3a9c';
  const link = { url: `http://portier.test/reset-password?token=${secret}`, expiresAt };

  const recorded: AccountEvent[] = [
    { type: 'account.registered', to, verification: link, at },
    { type: 'account.registered', to, verification: null, at },
    { type: 'account.password_reset_requested', to, reset: link, at },
    { type: 'account.password_changed', to, at },
    {
      type: 'account.email_change_requested',
      to,
      newAddress: 'jana.neu@example.test',
      confirmation: link,
      settingsUrl: 'http://portier.test/settings',
      at,
    },
    { type: 'account.email_changed', to, newAddress: 'jana.neu@example.test', at },
    { type: 'account.signup_code_requested', channel: 'email', to, code: secret, expiresAt, at },
    {
      type: 'account.signup_code_requested',
      channel: 'sms',
      to: { ...to, address: '+4915100000000' },
      code: secret,
      expiresAt,
      at,
    },
    {
      type: 'household.member_invited',
      to,
      inviter: 'Erika Muster',
      address: 'Lindenstraße 1, 10115 Berlin',
      invitation: { code: secret, link: `http://portier.test/register?code=${secret}`, expiresAt },
      at,
    },
    {
      type: 'household.member_invited',
      to: { ...to, name: null },
      inviter: 'Erika Muster',
      address: 'Lindenstraße 1, 10115 Berlin',
      invitation: null,
      at,
    },
    { type: 'staff.account_created', to, portal: 'Portier', admin: 'Ada Admin', setPassword: link, at },
  ];

  it('become outbox rows only: the secret is in the row, never in the event log or on the bus', async () => {
    const published: unknown[] = [];
    const stop = deps.bus.on('log.committed', (payload) => void published.push(payload));
    const logBefore = (await deps.db.select().from(events)).length;

    await unitOfWork(deps, (uow) => recorded.forEach(uow.record));
    stop();

    expect(await deps.db.select().from(events)).toHaveLength(logBefore);
    expect(JSON.stringify(await deps.db.select().from(events))).not.toContain(secret);
    expect(published).toEqual([]);

    const rows = await deps.db.select().from(notifications);
    expect(rows.map((row) => [row.channel, row.template, row.address])).toEqual([
      ['email', 'verify_email', to.address],
      ['email', 'reset_password', to.address],
      ['email', 'password_changed', to.address],
      ['email', 'change_email', 'jana.neu@example.test'],
      ['email', 'email_change_requested', to.address],
      ['email', 'email_changed', to.address],
      ['email', 'signup_code', to.address],
      ['sms', 'verification_code', '+4915100000000'],
      ['email', 'household_invitation', to.address],
      ['email', 'household_invitation_existing', to.address],
      ['email', 'staff_welcome', to.address],
    ]);
    expect(rows.every((row) => row.category === 'account' && row.language === 'de')).toBe(true);
    expect(rows[0]!.data).toEqual({ name: 'Jana Roth', link: link.url, expiresAt: expiresAt.toISOString() });
    expect(rows[7]!.data).toEqual({ code: secret });
  });
});
