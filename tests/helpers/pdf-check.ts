/**
 * Independent checks of the PDFs Portier writes, with tools that did not write them: qpdf (file
 * structure), poppler's pdffonts, pdfinfo, pdftotext and pdftoppm (fonts, metadata, text positions,
 * the rendered page; Debian packages qpdf and poppler-utils, installed by .ci/run) and pdf-lib
 * (the catalog, structure tree, XMP packet and content streams, parsed from the bytes).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFRawStream,
  PDFRef,
  PDFString,
  type PDFObject,
} from 'pdf-lib';

/** Runs `tool` on the PDF written to a temporary file; returns stdout. */
function withFile<T>(pdf: Buffer, use: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'portier-pdf-'));
  const path = join(dir, 'file.pdf');
  writeFileSync(path, pdf);
  try {
    return use(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `qpdf --check`: exit 0 and no warnings (exit 3 is "warnings"). */
export function qpdfCheck(pdf: Buffer): { ok: boolean; output: string } {
  return withFile(pdf, (path) => {
    const run = spawnSync('qpdf', ['--check', path], { encoding: 'utf8' });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  });
}

export interface FontRow {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
  unicode: boolean;
}

/** pdffonts' table: one row per font (name, type, encoding, emb, sub, uni, object). */
export function pdfFonts(pdf: Buffer): FontRow[] {
  const out = withFile(pdf, (path) => execFileSync('pdffonts', [path]).toString('utf8'));
  return out
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      const columns = line.trim().split(/\s+/);
      // name type… encoding emb sub uni object-id generation
      const [emb, sub, uni] = columns.slice(-5, -2);
      return {
        name: columns[0] ?? '',
        type: columns.slice(1, -6).join(' '),
        embedded: emb === 'yes',
        subset: sub === 'yes',
        unicode: uni === 'yes',
      };
    });
}

/** pdfinfo's key/value lines ("Tagged: yes", "PDF version: 1.7", "Page size: …"). */
export function pdfInfo(pdf: Buffer): Record<string, string> {
  const out = withFile(pdf, (path) => execFileSync('pdfinfo', [path]).toString('utf8'));
  return Object.fromEntries(
    out
      .split('\n')
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1]!.trim(), match[2]!.trim()]),
  );
}

export interface Word {
  text: string;
  /** Millimetres from the page's top-left corner. */
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const toMm = (points: number) => (points * 25.4) / 72;

/** Every word on page `page` (1-based) with its box in mm, from `pdftotext -bbox`. */
export function wordsOnPage(pdf: Buffer, page = 1): Word[] {
  const html = withFile(pdf, (path) =>
    execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), path, '-']).toString('utf8'),
  );
  return [
    ...html.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    ),
  ].map((match) => ({
    left: toMm(Number(match[1])),
    top: toMm(Number(match[2])),
    right: toMm(Number(match[3])),
    bottom: toMm(Number(match[4])),
    text: match[5]!
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"'),
  }));
}

/** Page `page` rendered in greyscale by pdftoppm: `dpi` pixels per inch, one byte per pixel. */
export function renderGrey(
  pdf: Buffer,
  page = 1,
  dpi = 100,
): { width: number; height: number; pixels: Buffer } {
  const pgm = withFile(pdf, (path) =>
    execFileSync('pdftoppm', ['-gray', '-r', String(dpi), '-f', String(page), '-l', String(page), path], {
      maxBuffer: 256 << 20,
    }),
  );
  // Binary PGM: "P5\n<width> <height>\n<max>\n" and the pixels.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a PGM');
  return {
    width: Number(header[1]),
    height: Number(header[2]),
    pixels: pgm.subarray(header[0].length),
  };
}

export interface StructNode {
  role: string;
  lang?: string;
  alt?: string;
  /** Table header scope from the /A attribute dictionary. */
  scope?: string;
  /** Marked-content ids directly under this element. */
  mcids: number[];
  children: StructNode[];
}

export interface PdfStructure {
  version: string;
  catalogLang?: string;
  marked: boolean;
  displayDocTitle: boolean;
  outputIntent?: string;
  xmp: string;
  tree: StructNode | null;
  /** Per page: its MCIDs found in the content stream, and drawing operators outside marked content. */
  pages: Array<{ mcids: number[]; unmarked: string[] }>;
}

function text(object: PDFObject | undefined): string | undefined {
  if (object instanceof PDFString || object instanceof PDFHexString) return object.decodeText();
  if (object instanceof PDFName) return object.decodeText();
  return undefined;
}

/** The catalog's accessibility and archive entries, the structure tree and each page's marked content. */
export async function pdfStructure(pdf: Buffer): Promise<PdfStructure> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const { context, catalog } = document;
  const lookup = (object: PDFObject | undefined): PDFObject | undefined =>
    object instanceof PDFRef ? context.lookup(object) : object;

  const metadata = lookup(catalog.get(PDFName.of('Metadata')));
  const xmp = metadata instanceof PDFRawStream ? Buffer.from(metadata.getContents()).toString('utf8') : '';
  const viewer = lookup(catalog.get(PDFName.of('ViewerPreferences')));
  const markInfo = lookup(catalog.get(PDFName.of('MarkInfo')));
  const intents = lookup(catalog.get(PDFName.of('OutputIntents')));
  const firstIntent = intents instanceof PDFArray ? lookup(intents.get(0)) : undefined;

  const walk = (object: PDFObject | undefined): StructNode | null => {
    const element = lookup(object);
    if (!(element instanceof PDFDict)) return null;
    const attributes = lookup(element.get(PDFName.of('A')));
    const node: StructNode = {
      role: text(element.get(PDFName.of('S'))) ?? 'StructTreeRoot',
      lang: text(lookup(element.get(PDFName.of('Lang')))),
      alt: text(lookup(element.get(PDFName.of('Alt')))),
      scope: attributes instanceof PDFDict ? text(attributes.get(PDFName.of('Scope'))) : undefined,
      mcids: [],
      children: [],
    };
    const kids = lookup(element.get(PDFName.of('K')));
    const list = kids instanceof PDFArray ? kids.asArray() : kids ? [kids] : [];
    for (const kid of list) {
      const value = lookup(kid);
      if (value instanceof PDFNumber) node.mcids.push(value.asNumber());
      else if (value instanceof PDFDict && value.get(PDFName.of('MCID')))
        node.mcids.push((value.get(PDFName.of('MCID')) as PDFNumber).asNumber());
      else {
        const child = walk(kid);
        if (child) node.children.push(child);
      }
    }
    return node;
  };

  const pages = document.getPages().map((page) => {
    const contents = lookup(page.node.get(PDFName.of('Contents')));
    const streams = contents instanceof PDFArray ? contents.asArray().map(lookup) : [contents];
    const source = streams
      .map((stream) => {
        if (!(stream instanceof PDFRawStream)) return '';
        const bytes = Buffer.from(stream.getContents());
        const filter = stream.dict.get(PDFName.of('Filter'));
        return (filter ? inflateSync(bytes) : bytes).toString('latin1');
      })
      .join('\n');
    return markedContentOf(source);
  });

  return {
    version: /^%PDF-(\d\.\d)/.exec(pdf.subarray(0, 10).toString('latin1'))?.[1] ?? '',
    catalogLang: text(lookup(catalog.get(PDFName.of('Lang')))),
    marked: markInfo instanceof PDFDict && String(markInfo.get(PDFName.of('Marked'))) === 'true',
    displayDocTitle:
      viewer instanceof PDFDict && String(viewer.get(PDFName.of('DisplayDocTitle'))) === 'true',
    outputIntent: firstIntent instanceof PDFDict ? text(firstIntent.get(PDFName.of('S'))) : undefined,
    xmp,
    tree: walk(catalog.get(PDFName.of('StructTreeRoot'))),
    pages,
  };
}

/**
 * Walks a content stream's operators: the MCIDs of its marked content, and every text object (BT),
 * image or form (Do) and path paint (S, f, B) found outside any BDC/BMC … EMC.
 */
function markedContentOf(source: string): { mcids: number[]; unmarked: string[] } {
  // Strings and inline dictionaries hold no operators we look for; drop string contents first.
  const stripped = source.replace(/\((?:\\.|[^\\)])*\)/g, '()').replace(/<[0-9a-fA-F\s]*>/g, '<>');
  const mcids: number[] = [];
  const unmarked: string[] = [];
  let depth = 0;
  for (const match of stripped.matchAll(/\/MCID (\d+)|\b(BDC|BMC|EMC|BT|Do|S|s|f|F|B|b)\b/g)) {
    if (match[1]) {
      mcids.push(Number(match[1]));
      continue;
    }
    const operator = match[2]!;
    if (operator === 'BDC' || operator === 'BMC') depth++;
    else if (operator === 'EMC') depth--;
    else if (depth === 0) unmarked.push(operator);
  }
  return { mcids, unmarked };
}

/** Every node of the tree, depth first. */
export function flatten(node: StructNode | null): StructNode[] {
  return node ? [node, ...node.children.flatMap(flatten)] : [];
}
