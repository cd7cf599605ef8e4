import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { textRefusedByStore } from '../../server/lib/storage-errors.ts';
import { parseWith } from '../../server/lib/validate.ts';
import { rawRows } from '../../db/dialect.ts';
import { createTestWorld, testStore } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';

/**
 * A NUL character names nothing in Portier and PostgreSQL stores none in text: in an address, a
 * query or a body it gets the same 400 on both stores, and nothing is stored. Before, on
 * PostgreSQL `GET /api/tickets/a%00b` answered 500 (SQLSTATE 22021) where SQLite found no row.
 */
describe('a NUL character in a request', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  let tenant = '';
  let staff = '';
  afterAll(() => ctx.close());
  beforeAll(async () => {
    await seedDemo(ctx.deps);
    tenant = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    staff = await loginAs(app, DEMO_LOGINS.staff, DEMO_PASSWORD);
  });

  const ticketCount = async () =>
    Number(
      (await rawRows<{ n: number | string }>(ctx.deps.db, sql`select count(*) as n from tickets`))[0]!.n,
    );

  it.each([
    ['a path parameter', '/api/tickets/a%00b', 'tenant'],
    ['a query parameter', '/api/staff/tickets?q=a%00b', 'staff'],
    ['a static path', '/assets/a%00b.js', 'tenant'],
  ] as const)('in %s answers 400 invalid_character', async (_, path, who) => {
    const res = await call(app, path, { cookie: who === 'staff' ? staff : tenant });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_character' } });
  });

  it('in a JSON body answers 400 with the field, and stores no ticket', async () => {
    const before = await ticketCount();
    const res = await call(app, '/api/tickets', {
      cookie: tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: 'Wann wird der Aufzug\u0000 gewartet?',
        clientId: 'nul-in-description',
      },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: 'validation_failed', fields: { description: 'invalid_character' } },
    });
    expect(await ticketCount()).toBe(before);
  });

  it('deep in a body is named by its path', () => {
    const schema = z.strictObject({ a: z.strictObject({ b: z.array(z.string()) }) });
    expect(() => parseWith(schema, { a: { b: ['x', 'y\u0000'] } })).toThrow(
      expect.objectContaining({ code: 'validation_failed', fields: { 'a.b.1': 'invalid_character' } }),
    );
  });

  it.runIf(testStore === 'postgres')(
    'text that reaches a PostgreSQL statement anyway is a 400, not a 500',
    async () => {
      const refused = await rawRows(ctx.deps.db, sql`select ${'a\u0000b'}::text as t`).then(
        () => null,
        (error: unknown) => error,
      );
      expect(refused).not.toBeNull();
      expect(textRefusedByStore(refused)).toMatchObject({ kind: 'invalid', code: 'invalid_character' });
    },
  );
});
