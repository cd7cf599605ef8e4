/**
 * Client-side shrink of photos before upload (issue 4: "long edge ≤ 2048 px, JPEG/WebP"). A phone
 * photo of 12 MP and 4–8 MB becomes a few hundred kB, which matters on a flaky mobile network; the
 * server still re-encodes every image (rotation, EXIF/GPS stripped), so this is only about bytes.
 */

export const maxLongEdge = 2048;
export const photoQuality = 0.85;
/** Below this size an image within the edge limit is sent as it is: re-encoding would gain little. */
export const smallPhotoBytes = 600 * 1024;

/** Formats the browser may decode; HEIC/HEIF is tried too (Safari decodes it, Chromium does not). */
const decodable = /^image\/(jpeg|png|webp|heic|heif|avif|bmp)$/i;

/** The size that fits `maxEdge` on the long side, keeping the aspect ratio; never enlarges. */
export function fitWithin(width: number, height: number, maxEdge = maxLongEdge) {
  const longEdge = Math.max(width, height);
  if (longEdge <= maxEdge) return { width, height, scaled: false };
  const factor = maxEdge / longEdge;
  return {
    width: Math.max(1, Math.round(width * factor)),
    height: Math.max(1, Math.round(height * factor)),
    scaled: true,
  };
}

/** Whether the file is an image the shrink should try at all (PDFs and other files pass through). */
export function isShrinkable(file: Pick<File, 'type'>): boolean {
  return decodable.test(file.type);
}

/** "IMG_0042.HEIC" → "IMG_0042.jpg": the name follows the new type, so the server's name is right. */
export function renamed(name: string, extension: string): string {
  const base = name.replace(/\.[^./\\]{1,5}$/, '') || 'photo';
  return `${base}.${extension}`;
}

async function encode(bitmap: ImageBitmap, width: number, height: number): Promise<Blob | null> {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.drawImage(bitmap, 0, 0, width, height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality: photoQuality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.drawImage(bitmap, 0, 0, width, height);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', photoQuality));
}

/**
 * The file to upload for `file`: a JPEG with the long edge ≤ 2048 px, or the original when it is not
 * an image, already small, or cannot be decoded here (e.g. HEIC in Chromium: the server then answers
 * with a clear code). Orientation comes from EXIF (`imageOrientation: 'from-image'`), so a portrait
 * photo stays upright once the EXIF data is gone.
 */
export async function shrinkPhoto(file: File): Promise<File> {
  if (!isShrinkable(file) || typeof createImageBitmap !== 'function') return file;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return file;
  }
  try {
    const target = fitWithin(bitmap.width, bitmap.height);
    if (!target.scaled && file.size <= smallPhotoBytes) return file;
    const blob = await encode(bitmap, target.width, target.height).catch(() => null);
    if (!blob || (!target.scaled && blob.size >= file.size)) return file;
    return new File([blob], renamed(file.name, 'jpg'), {
      type: 'image/jpeg',
      lastModified: file.lastModified,
    });
  } finally {
    bitmap.close();
  }
}
