import { createReadStream } from 'node:fs';
import iconv from 'iconv-lite';

/**
 * Which encoding a CSV file is in, as German and Swedish spreadsheets save it: UTF-8 (with or
 * without BOM) or Windows-1252 ("CSV (Trennzeichen-getrennt)" in older Excel). Valid UTF-8 is
 * UTF-8; anything else is Windows-1252, unless the file also holds valid multi-byte UTF-8, which
 * means two encodings were pasted together and no single reading is right.
 */

export type TextEncoding = 'utf8' | 'win1252';

export type EncodingVerdict =
  | { ok: true; encoding: TextEncoding; firstLine: string }
  | { ok: false; code: string; message: string; line?: number };

const SNIFF_BYTES = 64 * 1024;

/** A streaming UTF-8 validator (RFC 3629 table 3-7): no overlongs, no surrogates, nothing above U+10FFFF. */
class Utf8Scanner {
  multiByteSequences = 0;
  firstInvalidLine: number | null = null;
  private line = 1;
  private pending = 0;
  private low = 0x80;
  private high = 0xbf;

  scan(chunk: Buffer): void {
    for (const byte of chunk) this.byte(byte);
  }

  end(): void {
    if (this.pending > 0) this.invalid();
  }

  private invalid(): void {
    this.firstInvalidLine ??= this.line;
    this.pending = 0;
  }

  private byte(byte: number): void {
    if (this.pending > 0) {
      if (byte >= this.low && byte <= this.high) {
        this.low = 0x80;
        this.high = 0xbf;
        this.pending -= 1;
        if (this.pending === 0) this.multiByteSequences += 1;
        return;
      }
      this.invalid(); // the sequence broke off; this byte starts afresh
    }
    if (byte === 0x0a) this.line += 1;
    if (byte < 0x80) return;
    if (byte >= 0xc2 && byte <= 0xdf) this.pending = 1;
    else if (byte >= 0xe0 && byte <= 0xef) {
      this.pending = 2;
      if (byte === 0xe0) this.low = 0xa0;
      if (byte === 0xed) this.high = 0x9f;
    } else if (byte >= 0xf0 && byte <= 0xf4) {
      this.pending = 3;
      if (byte === 0xf0) this.low = 0x90;
      if (byte === 0xf4) this.high = 0x8f;
    } else this.invalid();
  }
}

/** Binary files (a workbook renamed to .csv, an image) hold NUL bytes or many control characters. */
function looksBinary(sniff: Buffer): boolean {
  let controls = 0;
  for (const byte of sniff) {
    if (byte === 0) return true;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) controls += 1;
  }
  return controls > Math.max(8, sniff.length / 200);
}

/** Reads the file once, streaming: the first 64 KB for the header, every byte for the UTF-8 check. */
export async function detectEncoding(path: string): Promise<EncodingVerdict> {
  const scanner = new Utf8Scanner();
  const sniffParts: Buffer[] = [];
  let sniffed = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    if (sniffed < SNIFF_BYTES) {
      const part = chunk.subarray(0, SNIFF_BYTES - sniffed);
      sniffParts.push(part);
      sniffed += part.length;
      if (sniffed >= SNIFF_BYTES || part.length < chunk.length) {
        const verdict = sniffVerdict(Buffer.concat(sniffParts));
        if (verdict) return verdict;
      }
    }
    scanner.scan(chunk);
  }
  scanner.end();
  const sniff = Buffer.concat(sniffParts);
  const early = sniffVerdict(sniff);
  if (early) return early;

  let encoding: TextEncoding = 'utf8';
  if (scanner.firstInvalidLine !== null) {
    if (scanner.multiByteSequences > 0)
      return {
        ok: false,
        code: 'mixed_encoding',
        message:
          'the file mixes UTF-8 and another encoding (e.g. Windows-1252); save it again as "CSV UTF-8" in one encoding',
        line: scanner.firstInvalidLine,
      };
    encoding = 'win1252';
  }
  const text = encoding === 'utf8' ? sniff.toString('utf8') : iconv.decode(sniff, 'win1252');
  return { ok: true, encoding, firstLine: firstLine(text.replace(/^\uFEFF/, '')) };
}

function sniffVerdict(sniff: Buffer): EncodingVerdict | null {
  if ((sniff[0] === 0xff && sniff[1] === 0xfe) || (sniff[0] === 0xfe && sniff[1] === 0xff))
    return {
      ok: false,
      code: 'unsupported_encoding',
      message: 'the file is UTF-16 ("Unicode text"); save it as "CSV UTF-8" or "CSV (semicolon separated)"',
    };
  if (sniff[0] === 0x50 && sniff[1] === 0x4b)
    return {
      ok: false,
      code: 'binary_file',
      message: 'the file is a zip archive (a workbook?), not CSV text',
    };
  if (looksBinary(sniff))
    return { ok: false, code: 'binary_file', message: 'the file is binary, not CSV text' };
  return null;
}

/** The header line, up to the first line break outside quotes. */
function firstLine(text: string): string {
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) return text.slice(0, index);
  }
  return text;
}

/** `;` or `,`, whichever the header line uses more often outside quotes (German Excel writes `;`). */
export function detectDelimiter(headerLine: string): ';' | ',' {
  let quoted = false;
  let semicolons = 0;
  let commas = 0;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === ';') semicolons += 1;
    else if (!quoted && char === ',') commas += 1;
  }
  return commas > semicolons ? ',' : ';';
}
