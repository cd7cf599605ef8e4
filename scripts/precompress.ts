// Writes a brotli (.br) and a gzip (.gz) copy beside every compressible file of the built client,
// which the server hands out by Accept-Encoding (server/lib/static.ts; issue 16: nothing was
// compressed on a phone network). Run by vite.config.ts as the build's last step rather than by a
// compression plugin inside the bundle: vite-plugin-pwa rewrites the service worker (the precache
// list) after the bundle is written, and a copy made earlier would be stale.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Text formats only: PNG and woff2 are compressed already; source maps are never served. */
const compressible = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml)$/i;
/** Below this the saving is smaller than the extra header. */
export const precompressThreshold = 1024;

/** Compresses every compressible file under `dir` (recursively); returns the paths written. */
export function precompressDirectory(dir: string): string[] {
  const written: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !compressible.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    const source = readFileSync(path);
    if (source.byteLength < precompressThreshold) continue;
    const copies: Array<[string, Buffer]> = [
      [
        '.br',
        brotliCompressSync(source, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: source.byteLength,
          },
        }),
      ],
      ['.gz', gzipSync(source, { level: constants.Z_BEST_COMPRESSION })],
    ];
    for (const [suffix, bytes] of copies) {
      // A copy no smaller than the original would only cost disk space.
      if (bytes.byteLength >= source.byteLength) continue;
      writeFileSync(path + suffix, bytes);
      written.push(path + suffix);
    }
  }
  return written;
}
