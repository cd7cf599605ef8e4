import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync } from 'node:zlib';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressionThreshold, compressResponses } from '../../server/lib/compression.ts';

/**
 * The same middleware on the real Node adapter, whose lightweight responses hold a JSON body as a
 * string: small answers go out as they are (without reading them as a stream), large ones still
 * compressed, and the wire bytes are the handler's either way.
 */

const small = { ok: true };
const large = { items: Array.from({ length: 200 }, (_, i) => ({ id: `item-${i}`, title: 'Heizung kalt' })) };

let server: ServerType;
let port = 0;

beforeAll(async () => {
  const app = new Hono()
    .use(compressResponses())
    .get('/small', (c) => c.json(small))
    .get('/large', (c) => c.json(large))
    .get('/text', (c) => c.text('x'.repeat(compressionThreshold - 1)))
    .get('/own-vary', (c) => c.json(small, 200, { Vary: 'Origin' }))
    .get('/bare', () => new Response('plain words'));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw HTTP GET (fetch would decode the body itself and hide the Content-Encoding). */
function get(path: string, acceptEncoding?: string) {
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const headers = acceptEncoding ? { 'accept-encoding': acceptEncoding } : {};
      request({ host: '127.0.0.1', port, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
        .on('error', reject)
        .end();
    },
  );
}

describe('compression on @hono/node-server', () => {
  it('answers a small JSON body unchanged, with Vary and its length', async () => {
    const res = await get('/small', 'gzip, deflate, br');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(res.headers['content-length']).toBe(String(res.body.byteLength));
    expect(JSON.parse(res.body.toString('utf8'))).toEqual(small);
  });

  it('answers a text body just under the threshold unchanged', async () => {
    const res = await get('/text', 'br');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString('utf8')).toBe('x'.repeat(compressionThreshold - 1));
  });

  it("keeps a handler's own Vary beside Accept-Encoding, and the adapter's default type", async () => {
    const own = await get('/own-vary', 'br');
    expect(own.headers.vary).toBe('Origin, Accept-Encoding');
    expect(JSON.parse(own.body.toString('utf8'))).toEqual(small);
    const bare = await get('/bare', 'br');
    expect(bare.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(bare.headers.vary).toBe('Accept-Encoding');
    expect(bare.headers['content-length']).toBe(String('plain words'.length));
    expect(bare.body.toString('utf8')).toBe('plain words');
  });

  it('still compresses a large JSON body for a client that accepts brotli', async () => {
    const res = await get('/large', 'gzip, deflate, br');
    expect(res.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(res.body).toString('utf8'))).toEqual(large);
  });

  it('sends a large JSON body as it is to a client that accepts no encoding', async () => {
    const res = await get('/large');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers.vary).toBe('Accept-Encoding');
    expect(JSON.parse(res.body.toString('utf8'))).toEqual(large);
  });
});
