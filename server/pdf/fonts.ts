/**
 * The fonts every PDF embeds. PDF/A-2 (ISO 19005-2, 6.2.11.4) and PDF/UA-1 (ISO 14289-1, 7.21.4) allow
 * no font that is not embedded, so the base-14 Helvetica and Courier are out. Noto Sans and Noto Sans
 * Mono (SIL Open Font License 1.1, installed from the npm registry) cover every Latin script plus
 * Greek and Cyrillic, so a name like "Łódź" or "Ćosić" prints as written. pdfkit embeds only the
 * glyphs a document uses (a subset with a ToUnicode map, so text stays searchable and can be read aloud).
 * The OCR line of a Swedish payment slip is set in OCR-B, as Bankgirot requires: no OCR-B font is on
 * the npm registry, so the public-domain one Debian packages is kept in fonts/ (see its README).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { projectPath } from '../lib/paths.ts';

const require = createRequire(import.meta.url);

export type FontRole = 'regular' | 'bold' | 'mono' | 'ocr';

const FILES: Record<FontRole, string> = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  mono: '@expo-google-fonts/noto-sans-mono/400Regular/NotoSansMono_400Regular.ttf',
  ocr: projectPath('server', 'pdf', 'fonts', 'OCRB.otf'),
};

const loaded = new Map<FontRole, Buffer>();

/** The font file's bytes, read once per process. */
export function fontData(role: FontRole): Buffer {
  let data = loaded.get(role);
  if (!data) {
    const file = FILES[role];
    data = readFileSync(file.startsWith('/') ? file : require.resolve(file));
    loaded.set(role, data);
  }
  return data;
}
