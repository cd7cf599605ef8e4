import { inflateSync } from 'node:zlib';

/** The text pdfkit wrote: inflate each content stream and decode its hex string operands. */
export function pdfText(pdf: Buffer): string {
  let text = '';
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('stream\n', at);
    if (start < 0) break;
    const end = pdf.indexOf('\nendstream', start);
    const body = pdf.subarray(start + 7, end);
    at = end + 10;
    let content: string;
    try {
      content = inflateSync(body).toString('latin1');
    } catch {
      continue; // images
    }
    for (const [, hex] of content.matchAll(/<([0-9a-fA-F]+)>/g))
      text += Buffer.from(hex!, 'hex').toString('latin1');
    text += '\n';
  }
  return text;
}

/** A registration code as printed on a letter (Crockford-style alphabet, 3 groups of 4). */
export const registrationCodePattern = /[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/g;
