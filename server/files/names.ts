/**
 * File names of uploads: the declared name is kept only for display and `Content-Disposition`, cleaned
 * of paths, control and bidi characters (a U+202E can make `gpj.exe` read as `exe.jpg`) and characters
 * that are special in headers or on common file systems. It never decides a type or a storage path.
 */

const MAX_NAME_LENGTH = 120;

export function sanitizeFileName(declared: string | null | undefined): string | null {
  if (typeof declared !== 'string') return null;
  const base = declared.split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(/\p{C}/gu, '') // control, format (bidi overrides, zero-width), private use, unassigned
    .replace(/["*:;<>?|]/g, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+|[\s.]+$/gu, '');
  if (!cleaned) return null;
  const chars = Array.from(cleaned);
  if (chars.length <= MAX_NAME_LENGTH) return cleaned;
  const { stem, extension } = splitExtension(cleaned);
  const keep = MAX_NAME_LENGTH - Array.from(extension).length;
  return Array.from(stem).slice(0, keep).join('').trimEnd() + extension;
}

function splitExtension(name: string): { stem: string; extension: string } {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || name.length - dot > 10) return { stem: name, extension: '' };
  return { stem: name.slice(0, dot), extension: name.slice(dot) };
}

const extensionByMime: Readonly<Record<string, string>> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
};

/**
 * The name a download gets: the user's stem with the extension of what is actually stored, since a
 * re-encoded `photo.heic` is a JPEG now.
 */
export function servedFileName(originalName: string | null, mime: string, suffix = ''): string {
  const stem = originalName ? splitExtension(originalName).stem : 'attachment';
  return `${stem}${suffix}${extensionByMime[mime] ?? ''}`;
}

/** Images and PDFs open in the browser; anything else is only ever offered as a download. */
export function isInlineType(mime: string): boolean {
  return mime.startsWith('image/') || mime === 'application/pdf';
}

/**
 * RFC 6266 `Content-Disposition` with an ASCII `filename` for old clients and the exact name as
 * RFC 8187 `filename*=UTF-8''…`.
 */
export function contentDisposition(
  mime: string,
  fileName: string,
  options: { download?: boolean } = {},
): string {
  const type = isInlineType(mime) && !options.download ? 'inline' : 'attachment';
  return `${type}; filename="${asciiFallback(fileName)}"; filename*=UTF-8''${encodeRfc8187(fileName)}`;
}

function asciiFallback(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
}

function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
