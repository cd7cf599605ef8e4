import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { createTestDeps } from '../helpers/context.ts';

describe('health', () => {
  const ctx = createTestDeps();
  const app = createApp(ctx.deps);
  afterAll(() => ctx.close());

  it('answers ok', async () => {
    const res = await app.request('/api/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, store: 'sqlite', redis: 'off' });
  });

  it('answers unknown API paths with a JSON 404, never HTML', async () => {
    const res = await app.request('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('runs SQLite with the durability pragmas', () => {
    const sqlite = ctx.deps.db.$client;
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
