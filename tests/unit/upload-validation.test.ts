import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { HttpError } from '../../server/lib/http-error.ts';
import { inspectUpload } from '../../server/files/inspect.ts';
import { JobLimiter, canDecodeHeic, reencodeImage } from '../../server/files/images.ts';
import { contentDisposition, sanitizeFileName, servedFileName } from '../../server/files/names.ts';
import { SERVED_FILE_CSP, matchesIfNoneMatch, servedFileHeaders } from '../../server/files/serve.ts';
import { MAX_IMAGE_EDGE, THUMBNAIL_EDGE } from '../../server/files/limits.ts';
import { canReadAttachment } from '../../server/services/uploads.ts';
import type { Deps } from '../../server/deps.ts';
import type { SessionUser } from '../../server/lib/context.ts';
import type { AttachmentRow } from '../../db/repositories/files.ts';
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
  wideJpeg,
  zipBomb,
} from '../fixtures/uploads/hostile.ts';

/** The status and code an HttpError rejection carries. */
async function rejection(promise: Promise<unknown>): Promise<{ status: number; code: string }> {
  const error: unknown = await promise.then(
    () => new Error('expected a rejection'),
    (reason: unknown) => reason,
  );
  if (!(error instanceof HttpError)) throw error;
  return { status: error.status, code: error.code };
}

describe('inspectUpload (magic bytes against the allowlist)', () => {
  it('accepts JPEG, PNG, WebP and PDF by their bytes', async () => {
    const webp = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
      .webp()
      .toBuffer();
    expect(await inspectUpload(await noisyJpeg(20, 20))).toEqual({ kind: 'image', mime: 'image/jpeg' });
    expect(await inspectUpload(await pngWithAlpha())).toEqual({ kind: 'image', mime: 'image/png' });
    expect(await inspectUpload(webp)).toEqual({ kind: 'image', mime: 'image/webp' });
    expect(await inspectUpload(minimalPdf())).toEqual({ kind: 'pdf', mime: 'application/pdf' });
    expect(await inspectUpload(await heicNeedingHevc())).toEqual({ kind: 'image', mime: 'image/heic' });
  });

  it.each([
    ['a shell script named .jpg', () => shellScriptNamedJpg()],
    ['an SVG with a script', () => svgWithScript()],
    ['an HTML page', () => htmlPage()],
    ['a zip bomb', () => zipBomb(8 * 1024 * 1024)],
    ['an empty file', () => Buffer.alloc(0)],
    ['a GIF', () => Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1')],
  ])('refuses %s with 415 unsupported_media_type', async (_name, make) => {
    expect(await rejection(inspectUpload(make()))).toEqual({ status: 415, code: 'unsupported_media_type' });
  });

  it('refuses a PDF without its %%EOF end marker', async () => {
    expect(await rejection(inspectUpload(truncatedPdf()))).toEqual({ status: 422, code: 'invalid_pdf' });
  });
});

describe('reencodeImage', () => {
  it('applies the EXIF orientation and drops EXIF and GPS', async () => {
    const input = await jpegWithGpsAndOrientation6();
    const before = await sharp(input).metadata();
    expect(before).toMatchObject({ width: 64, height: 32, orientation: 6 });
    expect(before.exif).toBeDefined();

    const { image, thumbnail } = await reencodeImage(input, 'image/jpeg');
    const after = await sharp(image.bytes).metadata();
    expect(image).toMatchObject({ mime: 'image/jpeg', width: 32, height: 64 });
    expect(after).toMatchObject({ format: 'jpeg', width: 32, height: 64 });
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(image.bytes.includes('PortierPhone')).toBe(false);
    expect(thumbnail.mime).toBe('image/webp');
    expect((await sharp(thumbnail.bytes).metadata()).exif).toBeUndefined();
  });

  it('caps the long edge and makes a small WebP thumbnail', async () => {
    const { image, thumbnail } = await reencodeImage(await wideJpeg(5000, 1000), 'image/jpeg');
    expect(image).toMatchObject({
      width: MAX_IMAGE_EDGE,
      height: Math.round((1000 * MAX_IMAGE_EDGE) / 5000),
    });
    expect(thumbnail).toMatchObject({ mime: 'image/webp', width: THUMBNAIL_EDGE, height: 64 });
    expect((await sharp(thumbnail.bytes).metadata()).format).toBe('webp');
  });

  it('keeps PNG with alpha as PNG', async () => {
    const { image } = await reencodeImage(await pngWithAlpha(), 'image/png');
    expect(image.mime).toBe('image/png');
    expect((await sharp(image.bytes).metadata()).hasAlpha).toBe(true);
  });

  it('turns an opaque PNG into JPEG', async () => {
    const opaque = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#123' } })
      .png()
      .toBuffer();
    expect((await reencodeImage(opaque, 'image/png')).image.mime).toBe('image/jpeg');
  });

  it('refuses a 30,000 × 30,000 PNG from its header, quickly', async () => {
    const bomb = await pngDeclaring(30_000, 30_000);
    expect(bomb.length).toBeLessThan(200);
    const started = performance.now();
    expect(await rejection(reencodeImage(bomb, 'image/png'))).toEqual({
      status: 413,
      code: 'image_too_large',
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a truncated JPEG as invalid_image', async () => {
    expect(await rejection(reencodeImage(await truncatedJpeg(), 'image/jpeg'))).toEqual({
      status: 422,
      code: 'invalid_image',
    });
  });

  it('refuses a truncated PNG as invalid_image', async () => {
    const png = await sharp({
      create: {
        width: 300,
        height: 200,
        channels: 3,
        background: '#888',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .png()
      .toBuffer();
    expect(await rejection(reencodeImage(png.subarray(0, png.length / 2), 'image/png'))).toEqual({
      status: 422,
      code: 'invalid_image',
    });
  });

  it('accepts a JPEG with a mere decoder warning ("extraneous bytes before marker", common from phones)', async () => {
    const jpeg = await noisyJpeg(40, 30);
    const startOfScan = jpeg.indexOf(Buffer.from([0xff, 0xda]));
    const withJunk = Buffer.concat([
      jpeg.subarray(0, startOfScan),
      Buffer.from([1, 2, 3]),
      jpeg.subarray(startOfScan),
    ]);
    await expect(sharp(withJunk, { failOn: 'warning' }).toBuffer()).rejects.toThrow(/extraneous bytes/);
    expect((await reencodeImage(withJunk, 'image/jpeg')).image).toMatchObject({ width: 40, height: 30 });
  });

  it('refuses bytes that are not the type inspect said (loader mismatch)', async () => {
    expect(await rejection(reencodeImage(await noisyJpeg(20, 20), 'image/png'))).toEqual({
      status: 422,
      code: 'invalid_image',
    });
  });

  it('answers heic_not_supported when this sharp cannot decode HEVC, invalid_image when it can', async () => {
    const heic = await heicNeedingHevc();
    expect(await rejection(reencodeImage(heic, 'image/heic', { heicDecodable: false }))).toEqual({
      status: 415,
      code: 'heic_not_supported',
    });
    expect(await rejection(reencodeImage(heic, 'image/heic', { heicDecodable: true }))).toEqual({
      status: 422,
      code: 'invalid_image',
    });
    // Without the override the answer follows what this sharp can decode.
    expect(await rejection(reencodeImage(heic, 'image/heic'))).toEqual(
      canDecodeHeic() ? { status: 422, code: 'invalid_image' } : { status: 415, code: 'heic_not_supported' },
    );
  });
});

describe('JobLimiter', () => {
  it('never runs more jobs than its limit and runs them all', async () => {
    const limiter = new JobLimiter(2);
    let running = 0;
    let peak = 0;
    const job = async (value: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      return value;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => limiter.run(() => job(n))));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('frees its slot when a job fails', async () => {
    const limiter = new JobLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(() => Promise.resolve('next'))).toBe('next');
  });
});

describe('file names', () => {
  it.each([
    ['photo.jpg', 'photo.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\eve\\Schaden Küche.HEIC', 'Schaden Küche.HEIC'],
    ['invoice\u202Egpj.exe', 'invoicegpj.exe'],
    ['a"b<c>d:e|f?g*h;i.png', 'a_b_c_d_e_f_g_h_i.png'],
    ['  ..hidden  ', 'hidden'],
    ['line\r\nbreak.jpg', 'linebreak.jpg'],
    ['', null],
    ['...', null],
  ])('sanitizes %j to %j', (input, expected) => {
    expect(sanitizeFileName(input)).toBe(expected);
  });

  it('keeps names short and their extension', () => {
    const long = sanitizeFileName(`${'ä'.repeat(300)}.pdf`)!;
    expect(Array.from(long)).toHaveLength(120);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('serves a name with the extension of what is stored', () => {
    expect(servedFileName('Schaden Küche.HEIC', 'image/jpeg')).toBe('Schaden Küche.jpg');
    expect(servedFileName(null, 'application/pdf')).toBe('attachment.pdf');
    expect(servedFileName('bad.png', 'image/webp', '-thumbnail')).toBe('bad-thumbnail.webp');
  });

  it('writes Content-Disposition per RFC 6266 / RFC 8187', () => {
    expect(contentDisposition('image/jpeg', "Schäden (Küche)'s.jpg")).toBe(
      `inline; filename="Schaden (Kuche)'s.jpg"; filename*=UTF-8''Sch%C3%A4den%20%28K%C3%BCche%29%27s.jpg`,
    );
    expect(contentDisposition('application/zip', 'x.zip')).toMatch(/^attachment; /);
    expect(contentDisposition('application/pdf', '100%.pdf')).toBe(
      `inline; filename="100_.pdf"; filename*=UTF-8''100%25.pdf`,
    );
  });
});

describe('serving headers', () => {
  const sha = 'a'.repeat(64);

  it('sets type, disposition, nosniff, sandbox CSP, private cache and the hash as ETag', () => {
    expect(servedFileHeaders({ sha256: sha, mime: 'image/jpeg', size: 12, fileName: 'x.jpg' })).toMatchObject(
      {
        'Content-Type': 'image/jpeg',
        'Content-Length': '12',
        'Content-Disposition': `inline; filename="x.jpg"; filename*=UTF-8''x.jpg`,
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': SERVED_FILE_CSP,
        'Cache-Control': expect.stringMatching(/^private, max-age=\d+$/) as unknown,
        ETag: `"${sha}"`,
      },
    );
    expect(SERVED_FILE_CSP).toBe("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'");
  });

  it.each([
    [`"${sha}"`, true],
    [`W/"${sha}"`, true],
    [`"other", "${sha}"`, true],
    ['*', true],
    ['"other"', false],
    [undefined, false],
  ])('If-None-Match %j matches: %j', (header, expected) => {
    expect(matchesIfNoneMatch(header, sha)).toBe(expected);
  });
});

describe('canReadAttachment', () => {
  const deps = {} as Deps;
  const user = (id: string, role: SessionUser['role']): SessionUser => ({
    id,
    role,
    personId: `p-${id}`,
    loginEmail: `${id}@example.org`,
    language: 'de',
  });
  const attachment = { id: 'att', ownerUserId: 'owner', ticketId: null, messageId: null } as AttachmentRow;

  it('lets only the uploader read an upload not yet attached to a ticket', async () => {
    expect(await canReadAttachment(deps, user('owner', 'customer'), attachment)).toBe(true);
    expect(await canReadAttachment(deps, user('staff', 'staff'), attachment)).toBe(false);
    expect(await canReadAttachment(deps, user('admin', 'admin'), attachment)).toBe(false);
    expect(await canReadAttachment(deps, user('neighbour', 'customer'), attachment)).toBe(false);
  });
});
