import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testTables } from '../helpers/tables.ts';
import { renderMail } from '../../server/notify/mail-templates.ts';
import { call, loginAs, readLatestMail } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';

const { notifications } = testTables;

/** A new staff account gets a welcome mail, not a "forgot password" one (issue 5 item 8). */
describe('welcome mail for a new staff account', async () => {
  const now = new Date('2026-03-09T08:00:00Z');
  const { ctx, app, db, session } = await staffWorld(['admin'], {
    configure: (deps) => (deps.now = () => now),
  });
  const create = (email: string, language: 'de' | 'en' | 'sv') =>
    call(app, '/api/staff/admin/staff', {
      method: 'POST',
      cookie: session.admin,
      json: { firstName: 'Nora', lastName: 'Neu', email, role: 'staff', language, teamIds: [] },
    });

  it('queues a staff_welcome mail whose link sets the password and lasts 7 days', async () => {
    const email = 'willkommen@demo.portier.dev';
    expect((await create(email, 'en')).status).toBe(201);
    const row = (await db.select().from(notifications).where(eq(notifications.address, email)))[0];
    expect(row).toMatchObject({ template: 'staff_welcome', channel: 'email', language: 'en' });
    expect(row!.data).toMatchObject({
      name: 'Nora Neu',
      admin: 'Arne Adler',
      expiresAt: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
    });

    const mail = await readLatestMail(ctx, email, { path: '/reset-password' });
    expect(mail.text).toContain('Arne Adler has created a staff account for you at');
    expect(mail.subject).toMatch(/^Your account at /);
    const password = 'Sonnenblume-Teppich-42';
    const reset = await call(app, '/api/auth/password/reset', { json: { token: mail.token, password } });
    expect(reset.ok).toBe(true);
    const cookie = await loginAs(app, email, password);
    expect((await call(app, '/api/me', { cookie })).status).toBe(200);
  });

  it('is localized and has a text and an HTML part with the link', () => {
    const content = {
      template: 'staff_welcome' as const,
      data: {
        name: 'Nora Neu',
        portal: 'Wohnen & Co',
        admin: 'Arne Adler',
        link: 'http://portier.test/reset-password?token=a.b',
        expiresAt: '2026-03-16T08:00:00.000Z',
      },
    };
    const options = { timeZone: 'Europe/Berlin', publicUrl: 'http://portier.test', sender: 'Wohnen & Co' };
    const de = renderMail(content, 'de', options);
    expect(de.subject).toBe('Ihr Zugang zu Wohnen & Co');
    expect(de.text).toContain('Arne Adler hat für Sie ein Mitarbeiterkonto in Wohnen & Co angelegt.');
    expect(de.text).toContain(content.data.link);
    expect(de.html).toContain('Wohnen &amp; Co');
    expect(de.html).toContain('href="http://portier.test/reset-password?token=a.b"');
    expect(renderMail(content, 'sv', options).subject).toBe('Ditt konto i Wohnen & Co');
  });
});
