import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../server/lib/context.ts';
import { serveClient } from '../../server/lib/static.ts';

/**
 * Issue 13 finding 12: production builds served their source maps under /assets/*.js.map, the
 * whole client source with comments. Maps may sit beside the build for the operator; they are
 * never served.
 */
describe('the built client is served without its source maps', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portier-static-'));
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'staff'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>tenant</title>');
  writeFileSync(join(dir, 'staff', 'index.html'), '<!doctype html><title>staff</title>');
  writeFileSync(join(dir, 'assets', 'tenant-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'tenant-abc123.js.map'), '{"version":3,"sources":["secret.ts"]}');
  writeFileSync(join(dir, 'assets', 'tenant-abc123.css.map'), '{"version":3}');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const app = new Hono<AppEnv>();
  serveClient(app, dir);

  it('serves the asset itself', async () => {
    const res = await app.request('/assets/tenant-abc123.js');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('console.log(1)');
  });

  it.each([
    '/assets/tenant-abc123.js.map',
    '/assets/tenant-abc123.css.map',
    '/assets/TENANT-abc123.js.MAP',
    '/x.map',
  ])('%s answers 404, not the map and not the app page', async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('secret.ts');
  });
});
