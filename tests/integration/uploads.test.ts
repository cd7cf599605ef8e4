import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { count as countRows } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { createApp } from '../../server/app.ts';
import type { Deps } from '../../server/deps.ts';
import type { AppEnv } from '../../server/lib/context.ts';
import { DomainError, httpErrorResponse } from '../../server/lib/http-error.ts';
import { securityHeaders } from '../../server/lib/security-headers.ts';
import { apiBodyLimit } from '../../server/lib/body-limit.ts';
import { originCheck } from '../../server/auth/origin.ts';
import { sessionMiddleware } from '../../server/auth/middleware.ts';
import { uploads } from '../../server/routes/uploads.ts';
import { canDecodeHeic } from '../../server/files/images.ts';
import { MAX_UPLOAD_BODY_BYTES, SERVED_FILE_MAX_AGE_SECONDS } from '../../server/files/limits.ts';
import { SERVED_FILE_CSP } from '../../server/files/serve.ts';
import { countAttachmentsOfFile, findAttachment, findFileById } from '../../db/repositories/files.ts';
import { createTestWorld } from '../helpers/context.ts';
import { testTables } from '../helpers/tables.ts';
import { createUser } from '../helpers/fixtures.ts';
import { loginAs, sessionCookieName, testOrigin } from '../helpers/auth.ts';
import {
  heicNeedingHevc,
  htmlPage,
  jpegWithGpsAndOrientation6,
  minimalPdf,
  noisyJpeg,
  pngDeclaring,
  pngWithAlpha,
  shellScriptNamedJpg,
  svgWithScript,
  truncatedJpeg,
  truncatedPdf,
  zipBomb,
} from '../fixtures/uploads/hostile.ts';

/**
 * The uploads sub-app behind the API middleware but without the app-wide secureHeaders, to see
 * what the route itself sends. Everything else runs through the real `createApp`.
 */
function createUploadsApp(deps: Deps, { withAppSecurityHeaders = false } = {}) {
  const app = new Hono<AppEnv>();
  if (withAppSecurityHeaders) app.use(securityHeaders(deps.config));
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  const api = new Hono<AppEnv>();
  api.use(originCheck, sessionMiddleware, apiBodyLimit);
  api.route('/', uploads);
  api.all('*', (c) => c.json({ error: { code: 'not_found', message: 'No such route.' } }, 404));
  app.route('/api', api);
  app.onError((error, c) => {
    if (error instanceof DomainError) {
      const { status, headers, body } = httpErrorResponse(error);
      return c.json(body, status, headers);
    }
    if (error instanceof HTTPException) {
      return c.json({ error: { code: 'http_error', message: error.message } }, error.status);
    }
    console.error('unhandled error', error);
    return c.json({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } }, 500);
  });
  return app;
}

interface ErrorBody {
  error: { code: string; message: string };
}
interface UploadBody {
  attachment: {
    id: string;
    mime: string;
    size: number;
    width?: number;
    height?: number;
    name: string;
    url: string;
    thumbnailUrl?: string;
  };
}

describe('uploads', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  const bareApp = createUploadsApp(ctx.deps, { withAppSecurityHeaders: false });
  const sessions = { tenant: '', neighbour: '', staff: '' };
  afterAll(() => ctx.close());

  beforeAll(async () => {
    const realApp = createApp(ctx.deps);
    for (const [key, role] of [
      ['tenant', 'customer'],
      ['neighbour', 'customer'],
      ['staff', 'staff'],
    ] as const) {
      const { email, password } = await createUser(ctx.deps.db, { role });
      sessions[key] = await loginAs(realApp, email, password);
    }
  });

  const cookie = (token: string) => `${sessionCookieName}=${token}`;

  async function postForm(form: FormData, token: string | null = sessions.tenant, target = app) {
    const headers: Record<string, string> = { origin: testOrigin };
    if (token) headers.cookie = cookie(token);
    return target.request('/api/uploads', { method: 'POST', body: form, headers });
  }

  /** The file as a browser sends it; the declared type says JPEG whatever the bytes are. */
  function upload(bytes: Uint8Array, name = 'photo.jpg', token: string | null = sessions.tenant) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), name);
    return postForm(form, token);
  }

  async function get(
    path: string,
    token: string | null = sessions.tenant,
    headers: Record<string, string> = {},
    target = app,
  ) {
    return target.request(path, { headers: { ...headers, ...(token && { cookie: cookie(token) }) } });
  }

  async function uploaded(res: Response): Promise<UploadBody['attachment']> {
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as UploadBody).attachment;
  }

  const count = async (table: 'files' | 'attachments') =>
    (await ctx.deps.db.select({ n: countRows() }).from(testTables[table]))[0]!.n;

  describe('hostile uploads: each a clear 4xx with a code, nothing stored, the server keeps serving', () => {
    const cases: Array<[string, () => Response | Promise<Response>, number, string]> = [
      [
        'a shell script named .jpg',
        () => upload(shellScriptNamedJpg(), 'photo.jpg'),
        415,
        'unsupported_media_type',
      ],
      ['an SVG with <script>', () => upload(svgWithScript(), 'image.svg'), 415, 'unsupported_media_type'],
      ['an HTML page', () => upload(htmlPage(), 'page.jpg'), 415, 'unsupported_media_type'],
      ['a zip bomb', () => upload(zipBomb(), 'photos.zip'), 415, 'unsupported_media_type'],
      ['an empty file', () => upload(new Uint8Array(0)), 415, 'unsupported_media_type'],
      [
        'a 30,000 × 30,000 PNG',
        async () => upload(await pngDeclaring(30_000, 30_000)),
        413,
        'image_too_large',
      ],
      ['a truncated JPEG', async () => upload(await truncatedJpeg()), 422, 'invalid_image'],
      ['a truncated PDF', () => upload(truncatedPdf(), 'contract.pdf'), 422, 'invalid_pdf'],
      [
        'a HEIC this server cannot decode',
        async () => upload(await heicNeedingHevc(), 'IMG_0001.HEIC'),
        canDecodeHeic() ? 422 : 415,
        canDecodeHeic() ? 'invalid_image' : 'heic_not_supported',
      ],
      ['no file field', () => postForm(new FormData()), 400, 'file_required'],
      [
        'a text field named file',
        () => {
          const form = new FormData();
          form.append('file', 'not a file');
          return postForm(form);
        },
        400,
        'file_required',
      ],
      [
        'two files',
        async () => {
          const form = new FormData();
          const jpeg = await noisyJpeg(10, 10);
          form.append('file', new Blob([new Uint8Array(jpeg)]), 'a.jpg');
          form.append('file', new Blob([new Uint8Array(jpeg)]), 'b.jpg');
          return postForm(form);
        },
        400,
        'too_many_files',
      ],
      [
        'a JSON body',
        () =>
          app.request('/api/uploads', {
            method: 'POST',
            body: JSON.stringify({ file: 'x' }),
            headers: {
              origin: testOrigin,
              cookie: cookie(sessions.tenant),
              'content-type': 'application/json',
            },
          }),
        415,
        'multipart_required',
      ],
      [
        'a broken multipart body',
        () =>
          app.request('/api/uploads', {
            method: 'POST',
            body: 'this is not multipart',
            headers: {
              origin: testOrigin,
              cookie: cookie(sessions.tenant),
              'content-type': 'multipart/form-data; boundary=xyz',
            },
          }),
        400,
        'invalid_multipart',
      ],
      ['no session', () => upload(minimalPdf(), 'a.pdf', null), 401, 'unauthenticated'],
    ];

    it.each(cases)('refuses %s', async (_name, send, status, code) => {
      const res = await send();
      expect(res.status).toBe(status);
      expect(((await res.json()) as ErrorBody).error.code).toBe(code);
    });

    it('answers 413 to a 100 MB streamed body without reading it all', async () => {
      const total = 100 * 1024 * 1024;
      const chunk = new Uint8Array(256 * 1024).fill(0x41);
      const head = new TextEncoder().encode(
        '--xyz\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\n\r\n',
      );
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (pulled >= total) return controller.close();
            const part = pulled === 0 ? head : chunk;
            pulled += part.byteLength;
            controller.enqueue(part);
          },
        },
        { highWaterMark: 0 },
      );
      const request = new Request('http://portier.test/api/uploads', {
        method: 'POST',
        body,
        duplex: 'half',
        headers: {
          origin: testOrigin,
          cookie: cookie(sessions.tenant),
          'content-type': 'multipart/form-data; boundary=xyz',
        },
      } as RequestInit);
      const res = await app.request(request);
      expect(res.status).toBe(413);
      expect(((await res.json()) as ErrorBody).error.code).toBe('payload_too_large');
      expect(pulled).toBeLessThan(30 * 1024 * 1024);
    });

    it('answers 413 over real HTTP to a client still sending 100 MB, and stops reading', async () => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      const total = 100 * 1024 * 1024;
      let sent = 0;
      try {
        const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/api/uploads',
              headers: {
                origin: testOrigin,
                cookie: cookie(sessions.tenant),
                'content-type': 'multipart/form-data; boundary=xyz',
                'transfer-encoding': 'chunked',
              },
            },
            (res) => {
              let body = '';
              res.setEncoding('utf8');
              res.on('data', (data: string) => (body += data));
              res.on('end', () => {
                req.destroy();
                resolve({ status: res.statusCode ?? 0, body });
              });
            },
          );
          req.on('error', reject);
          const chunk = Buffer.alloc(1024 * 1024, 0x41);
          const write = () => {
            while (sent < total && !req.destroyed) {
              sent += chunk.length;
              if (!req.write(chunk)) return void req.once('drain', write);
            }
            if (!req.destroyed) req.end();
          };
          write();
        });
        expect(answer.status).toBe(413);
        expect((JSON.parse(answer.body) as ErrorBody).error.code).toBe('payload_too_large');
        expect(sent).toBeLessThan(total);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it("answers 413 from the route's own limit (15 MB) to a 20 MB file", async () => {
      const big = new Uint8Array(20 * 1024 * 1024);
      big.set([0xff, 0xd8, 0xff, 0xe0]);
      const res = await upload(big, 'big.jpg');
      expect(res.status).toBe(413);
      expect(((await res.json()) as ErrorBody).error.code).toBe('payload_too_large');
      expect(MAX_UPLOAD_BODY_BYTES).toBeLessThan(20 * 1024 * 1024);
    });

    it('answers 413 to a too large Content-Length before reading the body', async () => {
      let pulled = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled += 1;
          controller.enqueue(new Uint8Array(1024));
        },
      });
      const request = new Request('http://portier.test/api/uploads', {
        method: 'POST',
        body,
        duplex: 'half',
        headers: {
          origin: testOrigin,
          cookie: cookie(sessions.tenant),
          'content-type': 'multipart/form-data; boundary=xyz',
          'content-length': String(100 * 1024 * 1024),
        },
      } as RequestInit);
      const res = await bareApp.request(request);
      expect(res.status).toBe(413);
      expect(pulled).toBeLessThanOrEqual(1);
    });

    it('stored nothing for any of them, and a normal JPEG still uploads', async () => {
      expect(await count('files')).toBe(0);
      expect(await count('attachments')).toBe(0);
      const attachment = await uploaded(await upload(await noisyJpeg(), 'Küche.jpg'));
      expect(attachment).toMatchObject({ mime: 'image/jpeg', width: 600, height: 400, name: 'Küche.jpg' });
    });
  });

  it('re-encodes a photo: rotated by its EXIF orientation, without EXIF or GPS', async () => {
    const original = await jpegWithGpsAndOrientation6();
    expect((await sharp(original).metadata()).exif).toBeDefined();

    const attachment = await uploaded(await upload(original, 'IMG_0042.jpg'));
    expect(attachment).toMatchObject({ mime: 'image/jpeg', width: 32, height: 64 });
    expect(attachment.thumbnailUrl).toBe(`/api/attachments/${attachment.id}/thumbnail`);

    const stored = Buffer.from(await (await get(attachment.url)).arrayBuffer());
    const metadata = await sharp(stored).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 32, height: 64 });
    expect(metadata.exif).toBeUndefined();
    expect(metadata.orientation).toBeUndefined();
    expect(stored.includes('PortierPhone')).toBe(false);

    // Also on disk, where the content hash points.
    const row = (await findAttachment(ctx.deps.db, attachment.id))!;
    const file = (await findFileById(ctx.deps.db, row.fileId))!;
    const onDisk = await ctx.deps.files.read(file.sha256);
    expect((await sharp(onDisk).metadata()).exif).toBeUndefined();
    expect(row).toMatchObject({ ticketId: null, messageId: null, originalName: 'IMG_0042.jpg' });
  });

  it('stores the same content once: one files row, two attachments', async () => {
    const jpeg = await noisyJpeg(120, 80);
    const first = await uploaded(await upload(jpeg, 'one.jpg'));
    const second = await uploaded(await upload(jpeg, 'two.jpg'));
    expect(second.id).not.toBe(first.id);
    const firstRow = (await findAttachment(ctx.deps.db, first.id))!;
    const secondRow = (await findAttachment(ctx.deps.db, second.id))!;
    expect(secondRow.fileId).toBe(firstRow.fileId);
    expect(secondRow.thumbnailFileId).toBe(firstRow.thumbnailFileId);
    expect(await countAttachmentsOfFile(ctx.deps.db, firstRow.fileId)).toBe(2);
  });

  it('keeps a PDF (rewritten without active content, pdf-active-content.test.ts) without a thumbnail', async () => {
    const pdf = minimalPdf();
    const attachment = await uploaded(await upload(pdf, 'Mietvertrag 2026.pdf'));
    expect(attachment).toMatchObject({ mime: 'application/pdf', name: 'Mietvertrag 2026.pdf' });
    expect(attachment.thumbnailUrl).toBeUndefined();
    expect(attachment.width).toBeUndefined();
    const res = await get(attachment.url);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="Mietvertrag 2026\.pdf"/);
    const stored = Buffer.from(await res.arrayBuffer());
    expect(stored.length).toBe(attachment.size);
    expect(stored.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await PDFDocument.load(stored)).getPageCount()).toBe(1);
    expect((await get(`${attachment.url}/thumbnail`)).status).toBe(404);
  });

  it('keeps a transparent PNG as PNG', async () => {
    const attachment = await uploaded(await upload(await pngWithAlpha(), 'logo.png'));
    expect(attachment.mime).toBe('image/png');
  });

  describe('serving', () => {
    let attachment: UploadBody['attachment'];
    beforeAll(async () => {
      attachment = await uploaded(await upload(await noisyJpeg(200, 100), 'Schäden "Bad".heic'));
    });

    it('sends the file with its type, inline disposition, nosniff, private cache and the hash as ETag', async () => {
      const res = await get(attachment.url, sessions.tenant, {}, bareApp);
      expect(res.status).toBe(200);
      const bytes = Buffer.from(await res.arrayBuffer());
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      expect(bytes.length).toBe(attachment.size);
      expect(Object.fromEntries(res.headers)).toMatchObject({
        'content-type': 'image/jpeg',
        'content-length': String(attachment.size),
        'content-disposition': `inline; filename="Schaden _Bad_.jpg"; filename*=UTF-8''Sch%C3%A4den%20_Bad_.jpg`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': SERVED_FILE_CSP,
        'cache-control': `private, max-age=${SERVED_FILE_MAX_AGE_SECONDS}`,
        etag: `"${sha256}"`,
      });
    });

    it('answers 304 to a matching If-None-Match', async () => {
      const etag = (await get(attachment.url)).headers.get('etag')!;
      const res = await get(attachment.url, sessions.tenant, { 'if-none-match': etag });
      expect(res.status).toBe(304);
      expect(res.headers.get('etag')).toBe(etag);
      expect(await res.text()).toBe('');
      expect((await get(attachment.url, sessions.tenant, { 'if-none-match': '"other"' })).status).toBe(200);
    });

    it('sends a WebP thumbnail with a long edge of 320 at most', async () => {
      const res = await get(attachment.thumbnailUrl!);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/webp');
      expect(res.headers.get('content-disposition')).toContain(
        "filename*=UTF-8''Sch%C3%A4den%20_Bad_-thumbnail.webp",
      );
      const metadata = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
      expect(metadata).toMatchObject({ format: 'webp', width: 200, height: 100 });
    });

    it("answers someone else's attachment exactly like a missing one: 404 not_found", async () => {
      for (const path of [attachment.url, attachment.thumbnailUrl!]) {
        const res = await get(path, sessions.neighbour);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
      }
      const missing = await get('/api/attachments/doesnotexist00000', sessions.tenant);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
      expect((await get('/api/attachments/..%2f..%2fetc', sessions.tenant)).status).toBe(404);
    });

    it('keeps it from staff until it is attached to a ticket they may see', async () => {
      // Attached files follow the ticket's visibility (tests/integration/ticket-attachments.test.ts).
      expect((await get(attachment.url, sessions.staff)).status).toBe(404);
    });

    it('answers 401 without a session', async () => {
      for (const path of [attachment.url, attachment.thumbnailUrl!]) {
        const res = await get(path, null);
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
      }
    });

    // hono's secureHeaders would replace every CSP with the page policy; `overwrite: false` keeps ours.
    it('keeps the sandbox CSP behind the app-wide security headers', async () => {
      const res = await get(attachment.url);
      expect(res.headers.get('content-security-policy')).toBe(SERVED_FILE_CSP);
    });
  });
});
