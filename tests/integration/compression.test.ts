import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { chooseEncoding, compressResponses } from '../../server/lib/compression.ts';
import type { AppEnv } from '../../server/lib/context.ts';
import { serveClient } from '../../server/lib/static.ts';
import { precompressDirectory } from '../../scripts/precompress.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type { ContractsListResponse } from '../../shared/api/contracts.ts';
import { createTestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';

/** Issue 16: every compressible answer arrives as brotli or gzip, as the client accepts. */

const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());
function decoded(res: Response, body: Buffer): Buffer {
  const encoding = res.headers.get('Content-Encoding');
  if (encoding === 'br') return brotliDecompressSync(body);
  if (encoding === 'gzip') return gunzipSync(body);
  expect(encoding).toBeNull();
  return body;
}

describe('Accept-Encoding negotiation', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['*', 'br'],
    ['*;q=0', undefined],
    ['BR', 'br'],
  ])('%s → %s', (header, expected) => {
    expect(chooseEncoding(header)).toBe(expected);
  });
});

describe('static files of the build are served precompressed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portier-compress-'));
  mkdirSync(join(dir, 'assets'));
  // Real-looking, compressible content well above the threshold.
  const script = Array.from({ length: 400 }, (_, i) => `export const value${i} = 'portier-${i}';`).join('\n');
  writeFileSync(join(dir, 'index.html'), `<!doctype html><title>tenant</title>${'<p>x</p>'.repeat(300)}`);
  writeFileSync(join(dir, 'sw.js'), script);
  writeFileSync(join(dir, 'assets', 'tenant-abc123.js'), script);
  writeFileSync(join(dir, 'assets', 'tiny-abc123.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'logo-abc123.png'), Buffer.alloc(4096, 7));
  const written = precompressDirectory(dir);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const app = new Hono<AppEnv>();
  app.use(compressResponses());
  serveClient(app, dir);
  const original = readFileSync(join(dir, 'assets', 'tenant-abc123.js'));

  it('writes .br and .gz beside compressible files only', () => {
    const names = written.map((p) => p.slice(dir.length + 1)).sort();
    expect(names).toEqual(
      ['assets/tenant-abc123.js', 'index.html', 'sw.js'].flatMap((n) => [`${n}.br`, `${n}.gz`]).sort(),
    );
  });

  it.each([
    ['br', 'br'],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    [undefined, null],
  ])('Accept-Encoding %s → %s, same bytes once decoded', async (accept, expected) => {
    const res = await app.request('/assets/tenant-abc123.js', {
      headers: accept ? { 'Accept-Encoding': accept } : {},
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBe(expected);
    expect(res.headers.get('Content-Type')).toMatch(/javascript/);
    expect(res.headers.get('Vary')).toMatch(/accept-encoding/i);
    expect(res.headers.get('Cache-Control')).toContain('immutable');
    const body = await bytesOf(res);
    if (expected) expect(body.byteLength).toBeLessThan(original.byteLength / 2);
    expect(decoded(res, body).equals(original)).toBe(true);
  });

  it.each(['/sw.js', '/'])('%s (service worker, app page) arrives as brotli too', async (path) => {
    const res = await app.request(path, { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBe('br');
    const file = path === '/' ? 'index.html' : 'sw.js';
    expect(decoded(res, await bytesOf(res)).equals(readFileSync(join(dir, file)))).toBe(true);
  });

  it('a client route gets the app page compressed on the fly', async () => {
    const res = await app.request('/contracts/123', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBe('gzip');
    expect(decoded(res, await bytesOf(res)).toString()).toBe(readFileSync(join(dir, 'index.html'), 'utf8'));
  });

  it('leaves images and tiny files alone', async () => {
    for (const path of ['/assets/logo-abc123.png', '/assets/tiny-abc123.js']) {
      const res = await app.request(path, { headers: { 'Accept-Encoding': 'br, gzip' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Encoding')).toBeNull();
    }
  });

  it('HEAD answers the headers of the encoding chosen, without a body', async () => {
    const res = await app.request('/assets/tenant-abc123.js', {
      method: 'HEAD',
      headers: { 'Accept-Encoding': 'br' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Encoding')).toBe('br');
    expect(Number(res.headers.get('Content-Length'))).toBe(
      readFileSync(join(dir, 'assets', 'tenant-abc123.js.br')).byteLength,
    );
    expect((await res.arrayBuffer()).byteLength).toBe(0);
  });

  it('a range request still answers 206 with the requested bytes', async () => {
    const res = await app.request('/assets/tenant-abc123.js', { headers: { Range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('Content-Encoding')).toBeNull();
    expect(res.headers.get('Content-Range')).toBe(`bytes 0-99/${original.byteLength}`);
    expect((await bytesOf(res)).equals(original.subarray(0, 100))).toBe(true);
  });
});

describe('API answers are compressed on the fly', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  let session = '';
  let contractId = '';
  beforeAll(async () => {
    await seedDemo(ctx.deps);
    session = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
    const list = (await (
      await call(app, '/api/contracts', { cookie: session })
    ).json()) as ContractsListResponse;
    contractId = list.contracts[0]!.id;
  });
  afterAll(() => ctx.close());

  const ledger = (accept?: string) =>
    call(app, `/api/contracts/${contractId}/ledger`, {
      cookie: session,
      headers: accept ? { 'Accept-Encoding': accept } : {},
    });

  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    [undefined, null],
  ])('Accept-Encoding %s → %s, the same JSON once decoded', async (accept, expected) => {
    const identity = await bytesOf(await ledger());
    expect(identity.byteLength).toBeGreaterThan(1024);
    const res = await ledger(accept);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/application\/json/);
    expect(res.headers.get('Content-Encoding')).toBe(expected);
    expect(res.headers.get('Vary')).toMatch(/accept-encoding/i);
    expect(res.headers.get('Content-Length')).toBeNull();
    const body = await bytesOf(res);
    if (expected) expect(body.byteLength).toBeLessThan(identity.byteLength);
    expect(decoded(res, body).equals(identity)).toBe(true);
  });

  it('a short JSON answer is sent as is', async () => {
    const res = await call(app, '/api/health', { headers: { 'Accept-Encoding': 'br' } });
    expect(res.headers.get('Content-Encoding')).toBeNull();
    expect(res.headers.get('Vary')).toMatch(/accept-encoding/i);
    expect(await res.json()).toBeTruthy();
  });

  it('a PDF download is not compressed again', async () => {
    const res = await call(app, `/api/contracts/${contractId}/certificates/rent.pdf`, {
      cookie: session,
      headers: { 'Accept-Encoding': 'br, gzip' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/pdf/);
    expect(res.headers.get('Content-Encoding')).toBeNull();
    expect((await bytesOf(res)).subarray(0, 5).toString()).toBe('%PDF-');
  });
});
