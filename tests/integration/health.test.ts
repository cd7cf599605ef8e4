import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createTestWorld, testStore } from '../helpers/context.ts';

describe('health', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());

  it('answers ok and names the store it runs on', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, store: ctx.store, redis: 'off' });
  });

  it('answers unknown API paths with a JSON 404, never HTML', async () => {
    const res = await app.request('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  // The pragmas are SQLite's own: PostgreSQL's durability is the server's configuration.
  it.runIf(testStore === 'sqlite')('runs SQLite with the durability pragmas', () => {
    const sqlite = ctx.deps.db.$client;
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
