import yauzl, { type Entry, type ZipFile } from 'yauzl';

/**
 * Checks a workbook's zip before any XLSX reader inflates it: an XLSX of a few kilobytes can
 * inflate to gigabytes (a zip bomb). The sizes come from the central directory, then every entry
 * is inflated once with yauzl's size validation, which stops the moment an entry yields more than
 * it declared, so the reader that follows sees only sizes that were checked. The entries must also
 * lie back to back, so no entry hides between them for a reader that walks the local headers.
 */

export interface ZipLimits {
  maxUncompressedBytes: number;
  maxCompressionRatio: number;
}

export type ZipVerdict = { ok: true } | { ok: false; code: string; message: string };

const MAX_ENTRIES = 10_000;
/** Small parts compress far beyond any ratio (an empty sheet's XML); the ratio only matters when large. */
const RATIO_FLOOR_BYTES = 1024 * 1024;
/** A data descriptor after an entry: optional signature, CRC, two sizes (ZIP64: 8 bytes each). */
const MAX_DESCRIPTOR_BYTES = 24;

function open(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, zip) =>
      error || !zip ? reject(error ?? new Error('no zip')) : resolve(zip),
    );
  });
}

function entries(zip: ZipFile): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const list: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      list.push(entry);
      if (list.length > MAX_ENTRIES) reject(new Error('too many entries'));
      else zip.readEntry();
    });
    zip.on('end', () => resolve(list));
    zip.on('error', reject);
    zip.readEntry();
  });
}

function inflateAndDiscard(zip: ZipFile, entry: Entry): Promise<void> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(error ?? new Error('no stream'));
      stream.on('error', reject);
      stream.on('end', resolve);
      stream.resume();
    });
  });
}

export async function checkWorkbookZip(path: string, limits: ZipLimits): Promise<ZipVerdict> {
  let zip: ZipFile;
  try {
    zip = await open(path);
  } catch {
    return {
      ok: false,
      code: 'not_a_workbook',
      message: 'the file is not an XLSX workbook (not a zip archive)',
    };
  }
  try {
    let list: Entry[];
    try {
      list = await entries(zip);
    } catch (error) {
      return {
        ok: false,
        code: 'not_a_workbook',
        message: `the workbook's zip is damaged: ${String(error)}`,
      };
    }
    let total = 0;
    for (const entry of list) {
      total += entry.uncompressedSize;
      if (total > limits.maxUncompressedBytes)
        return {
          ok: false,
          code: 'xlsx_too_large',
          message: `the workbook unpacks to more than ${limits.maxUncompressedBytes} bytes`,
        };
      const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
      if (entry.uncompressedSize > RATIO_FLOOR_BYTES && ratio > limits.maxCompressionRatio)
        return {
          ok: false,
          code: 'zip_bomb',
          message: `"${entry.fileName}" is compressed ${Math.round(ratio)}:1, more than ${limits.maxCompressionRatio}:1`,
        };
    }
    const spans = await Promise.all(
      list.map(async (entry) => {
        const header = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
        return { start: entry.relativeOffsetOfLocalHeader, end: header.fileDataStart + entry.compressedSize };
      }),
    );
    spans.sort((a, b) => a.start - b.start);
    let expected = 0;
    for (const span of spans) {
      if (span.start < expected || span.start - expected > (expected === 0 ? 0 : MAX_DESCRIPTOR_BYTES))
        return { ok: false, code: 'zip_bomb', message: 'the zip has overlapping or hidden entries' };
      expected = span.end;
    }
    for (const entry of list) {
      try {
        await inflateAndDiscard(zip, entry);
      } catch {
        return {
          ok: false,
          code: 'zip_bomb',
          message: `"${entry.fileName}" inflates to other than it declares`,
        };
      }
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, code: 'not_a_workbook', message: `the workbook's zip is damaged: ${String(error)}` };
  } finally {
    zip.close();
  }
}
