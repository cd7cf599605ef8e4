import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createTestWorld } from '../helpers/context.ts';
import { createUser } from '../helpers/fixtures.ts';
import { call, loginAs } from '../helpers/auth.ts';

describe('/me', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());

  it('shows the signed-in user with display name and customer number', async () => {
    const { email, password, user } = await createUser(ctx.deps.db, {
      firstName: null,
      lastName: null,
      organisationName: 'Kaffebaren AB',
      customerNumber: 'K-100',
    });
    const session = await loginAs(app, email, password);
    const res = await call(app, '/api/me', { cookie: session });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      user: {
        id: user.id,
        role: 'customer',
        loginEmail: email,
        customerNumber: 'K-100',
        displayName: 'Kaffebaren AB',
        language: 'de',
        lastVisitAt: null,
        pendingEmail: null,
        // No contract at all: nothing read-only about an account that holds nothing yet.
        readOnly: false,
      },
    });
  });

  it('changes the language with PATCH /me', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const session = await loginAs(app, email, password);
    const res = await call(app, '/api/me', { method: 'PATCH', json: { language: 'sv' }, cookie: session });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { language: 'sv' } });
    const empty = await call(app, '/api/me', { method: 'PATCH', json: {}, cookie: session });
    expect(await empty.json()).toMatchObject({ user: { language: 'sv' } });
  });

  it('refuses bad PATCH bodies with 4xx codes', async () => {
    const { email, password } = await createUser(ctx.deps.db);
    const session = await loginAs(app, email, password);
    const cases: [Parameters<typeof call>[2], number, string][] = [
      [{ method: 'PATCH', json: { language: 'fr' }, cookie: session }, 400, 'validation_failed'],
      [{ method: 'PATCH', json: { role: 'admin' }, cookie: session }, 400, 'validation_failed'],
      [{ method: 'PATCH', json: [1, 2], cookie: session }, 400, 'validation_failed'],
      [
        {
          method: 'PATCH',
          rawBody: '{"language":',
          headers: { 'content-type': 'application/json' },
          cookie: session,
        },
        400,
        'invalid_json',
      ],
      [
        {
          method: 'PATCH',
          rawBody: 'language=sv',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          cookie: session,
        },
        415,
        'unsupported_media_type',
      ],
      [{ method: 'PATCH', json: { language: 'sv' } }, 401, 'unauthenticated'],
      [
        { method: 'PATCH', json: { language: 'sv' }, cookie: session, origin: 'https://evil.example' },
        403,
        'origin_mismatch',
      ],
    ];
    for (const [options, status, code] of cases) {
      const res = await call(app, '/api/me', options);
      expect(res.status, JSON.stringify(options)).toBe(status);
      expect(await res.json()).toMatchObject({ error: { code } });
    }
  });
});
