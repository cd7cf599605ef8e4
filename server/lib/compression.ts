import { Duplex } from 'node:stream';
import { constants, createBrotliCompress, createGzip } from 'node:zlib';
import type { MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress';
import { addHeldHeaders, bodyLength, heldBodyLength, heldHeader, plainHeld } from './held-response.ts';

/**
 * Compresses dynamic answers (API JSON, the app page, CSV exports) with brotli or gzip, as the
 * client's Accept-Encoding allows (issue 16: nothing was compressed on a phone network).
 *
 * Hono's own `compress` middleware offers gzip and deflate only (it rides on CompressionStream,
 * which has no brotli on Node 20), so this one uses node:zlib. Static files from the build come
 * precompressed (scripts/precompress.js) and pass through untouched: they already carry a
 * Content-Encoding.
 */

/** Below this a compressed body saves less than the header it costs. */
export const compressionThreshold = 1024;

export type ContentEncoding = 'br' | 'gzip';

/**
 * The encoding to answer with, from an Accept-Encoding header (RFC 9110 §12.5.3): brotli before
 * gzip at equal weight, nothing an explicit `q=0` refuses, `*` standing for any encoding not named.
 */
export function chooseEncoding(acceptEncoding: string | undefined): ContentEncoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [rawName, ...params] = part.trim().split(';');
    const name = rawName?.trim().toLowerCase();
    if (!name) continue;
    const q = params.map((p) => /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p)?.[1]).find((v) => v !== undefined);
    const weight = q === undefined ? 1 : Number(q);
    weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const wildcard = weights.get('*') ?? 0;
  let best: { encoding: ContentEncoding; weight: number } | undefined;
  for (const encoding of ['br', 'gzip'] as const) {
    const weight = weights.get(encoding) ?? wildcard;
    if (weight > 0 && (!best || weight > best.weight)) best = { encoding, weight };
  }
  return best?.encoding;
}

/** Whether a response of this type is worth compressing (not images, PDFs, archives or event streams). */
export function isCompressibleType(contentType: string | null): boolean {
  return !!contentType && COMPRESSIBLE_CONTENT_TYPE_REGEX.test(contentType);
}

/** Adds Accept-Encoding to Vary once, so a shared cache keeps the encodings apart. */
export function varyOnAcceptEncoding(headers: Headers): void {
  const vary = headers.get('Vary');
  if (vary === '*' || (vary && /(?:^|,)\s*accept-encoding\s*(?:,|$)/i.test(vary))) return;
  headers.set('Vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}

function compressor(encoding: ContentEncoding, sizeHint: number | undefined) {
  // Quality 5 keeps brotli cheaper than gzip -9 on the CPU while still beating gzip on size;
  // the build uses 11 for the files it compresses once.
  return encoding === 'br'
    ? createBrotliCompress({
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          ...(sizeHint !== undefined && { [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint }),
        },
      })
    : createGzip();
}

/**
 * Reads the start of a body until `threshold` bytes or its end. A body that ends below the
 * threshold is answered as is; a longer one (a streamed export) goes on streaming afterwards.
 */
async function peek(body: ReadableStream<Uint8Array>, threshold: number) {
  const reader = body.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  while (size < threshold) {
    const { done, value } = await reader.read();
    if (done) return { head, size, rest: undefined };
    head.push(value);
    size += value.byteLength;
  }
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { head, size, rest };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

const varyOnEncoding = [['vary', 'Accept-Encoding']] as const;

/**
 * The common answer, a short body the adapter holds with plain headers (server/lib/held-response.ts),
 * settled without any WHATWG Headers: not compressible, or too short to compress and then given its
 * Vary. False for anything else (a longer body, a Vary of the handler's own, a stream), which takes
 * the general path.
 */
function settledShort(res: Response, threshold: number, path: string): boolean {
  const held = plainHeld(res);
  if (!held) return false;
  const type = heldHeader(held, 'content-type');
  if (!isCompressibleType(typeof type === 'string' ? type : null)) return true;
  if (path.startsWith('/socket.io/')) return true;
  if (held.body !== null && bodyLength(held.body) >= threshold) return false;
  if (heldHeader(held, 'vary') !== undefined) return false;
  addHeldHeaders(held, varyOnEncoding);
  return true;
}

export function compressResponses(options: { threshold?: number } = {}): MiddlewareHandler {
  const threshold = options.threshold ?? compressionThreshold;
  return async function compressResponse(c, next) {
    await next();
    const res = c.res;
    if (settledShort(res, threshold, c.req.path)) return;
    if (!isCompressibleType(res.headers.get('Content-Type'))) return;
    // Socket.IO's long-polling answers never reach Hono (main.ts hands /socket.io to its own
    // server); the guard keeps it that way should that wiring change.
    if (c.req.path.startsWith('/socket.io/')) return;
    varyOnAcceptEncoding(res.headers);
    const heldLength = heldBodyLength(res);
    if (heldLength !== undefined && heldLength < threshold) return;
    const encoding = chooseEncoding(c.req.header('Accept-Encoding'));
    if (!encoding) return;
    if (
      c.req.method === 'HEAD' ||
      res.status === 204 ||
      res.status === 206 ||
      res.status === 304 ||
      !res.body ||
      res.headers.has('Content-Encoding') ||
      /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(res.headers.get('Cache-Control') ?? '')
    ) {
      return;
    }
    const declaredLength = res.headers.get('Content-Length');
    if (declaredLength !== null && Number(declaredLength) < threshold) return;

    const { head, size, rest } = await peek(res.body, threshold);
    if (!rest) {
      // Short: the bytes read are the whole answer, given back unchanged.
      c.res = new Response(concat(head, size), res);
      return;
    }
    const sizeHint = declaredLength === null ? undefined : Number(declaredLength);
    const transform = Duplex.toWeb(compressor(encoding, sizeHint)) as {
      readable: ReadableStream<Uint8Array>;
      writable: WritableStream<Uint8Array>;
    };
    const compressed = rest.pipeThrough(transform);
    // The context carries the old headers over to a new response; fix them up afterwards.
    c.res = new Response(compressed, res);
    const headers = c.res.headers;
    headers.delete('Content-Length');
    headers.set('Content-Encoding', encoding);
    // The compressed bytes differ from the ones a strong validator names (RFC 9110 §8.8.1).
    const etag = headers.get('ETag');
    if (etag && !etag.startsWith('W/')) headers.set('ETag', `W/${etag}`);
  };
}
