import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { HttpError } from '../lib/http-error.ts';
import type { ImageMime } from './inspect.ts';
import { MAX_CONCURRENT_IMAGE_JOBS, MAX_IMAGE_EDGE, MAX_INPUT_PIXELS, THUMBNAIL_EDGE } from './limits.ts';

export type StoredImageMime = 'image/jpeg' | 'image/png' | 'image/webp';

export interface EncodedImage {
  bytes: Buffer;
  mime: StoredImageMime;
  width: number;
  height: number;
}

export interface ReencodedImage {
  image: EncodedImage;
  thumbnail: EncodedImage;
}

export interface ReencodeOptions {
  /** Whether this sharp build decodes HEVC-coded HEIC (default: asked at runtime, see `canDecodeHeic`). */
  heicDecodable?: boolean;
}

/** The libvips loader each allowed type must be read by: a mismatch means the bytes are not what they seem. */
const expectedLoader: Readonly<Record<ImageMime, string>> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heif',
  'image/heif': 'heif',
};

/**
 * sharp's prebuilt binaries ship libheif with the AV1 decoder only (HEVC is patent-encumbered), and
 * libvips then advertises `.avif` but not `.heic` for its heif loader. A libvips built with libde265
 * lists `.heic` too, and iPhone photos decode.
 */
export function canDecodeHeic(): boolean {
  return sharp.format.heif?.input.fileSuffix?.includes('.heic') ?? false;
}

export const invalidImage = () => new HttpError(422, 'invalid_image', 'The image is damaged or incomplete.');

export const heicNotSupported = () =>
  new HttpError(
    415,
    'heic_not_supported',
    'HEIC photos cannot be read here. On the iPhone choose Settings › Camera › Formats › "Most Compatible", or send the photo as JPEG.',
  );

export const imageTooLarge = () =>
  new HttpError(
    413,
    'image_too_large',
    `The image has too many pixels (at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels).`,
  );

/**
 * Re-encodes an uploaded image so that nothing of the original file reaches anyone: oriented by its
 * EXIF orientation, all metadata (EXIF, GPS, XMP, ICC) dropped because sharp keeps none unless
 * `withMetadata`/`keepMetadata` is called, the long edge capped, plus a WebP thumbnail.
 * Opaque images become JPEG; images with an alpha channel stay PNG (PNG input) or WebP.
 */
export function reencodeImage(
  bytes: Uint8Array,
  mime: ImageMime,
  options: ReencodeOptions = {},
): Promise<ReencodedImage> {
  return imageJobs.run(() => reencode(bytes, mime, options.heicDecodable ?? canDecodeHeic()));
}

async function reencode(bytes: Uint8Array, mime: ImageMime, heicDecodable: boolean): Promise<ReencodedImage> {
  const isHeif = mime === 'image/heic' || mime === 'image/heif';
  const undecodable = () => (isHeif && !heicDecodable ? heicNotSupported() : invalidImage());

  // The header alone decides about the size, before a single pixel is decoded (decompression bombs:
  // a few KB of PNG may declare 30,000 × 30,000 pixels).
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw undecodable();
  }
  if (metadata.format !== expectedLoader[mime]) throw undecodable();
  const { width, height } = metadata;
  if (!width || !height) throw undecodable();
  if (width * height > MAX_INPUT_PIXELS) throw imageTooLarge();

  const keepsAlpha = metadata.hasAlpha;
  // failOn 'error' refuses truncated and broken data but lets decoder warnings pass, such as the
  // "extraneous bytes before marker" many phone JPEGs carry: only re-encoded pixels leave here anyway.
  const pipeline = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
    .autoOrient() // = rotate() without an angle: applies and drops the EXIF orientation
    .resize({ width: MAX_IMAGE_EDGE, height: MAX_IMAGE_EDGE, fit: 'inside', withoutEnlargement: true });
  let encoded: { data: Buffer; info: OutputInfo };
  let outputMime: StoredImageMime;
  try {
    if (!keepsAlpha) {
      outputMime = 'image/jpeg';
      encoded = await pipeline.jpeg({ quality: 85 }).toBuffer({ resolveWithObject: true });
    } else if (mime === 'image/png') {
      outputMime = 'image/png';
      encoded = await pipeline.png().toBuffer({ resolveWithObject: true });
    } else {
      outputMime = 'image/webp';
      encoded = await pipeline.webp({ quality: 85 }).toBuffer({ resolveWithObject: true });
    }
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) throw imageTooLarge();
    throw undecodable();
  }

  const thumbnail = await sharp(encoded.data)
    .resize({ width: THUMBNAIL_EDGE, height: THUMBNAIL_EDGE, fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75 })
    .toBuffer({ resolveWithObject: true });

  return {
    image: { bytes: encoded.data, mime: outputMime, width: encoded.info.width, height: encoded.info.height },
    thumbnail: {
      bytes: thumbnail.data,
      mime: 'image/webp',
      width: thumbnail.info.width,
      height: thumbnail.info.height,
    },
  };
}

/** A tiny FIFO semaphore: at most `limit` image jobs hold decoded pixels at once, the rest wait. */
export class JobLimiter {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await job();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

const imageJobs = new JobLimiter(MAX_CONCURRENT_IMAGE_JOBS);
