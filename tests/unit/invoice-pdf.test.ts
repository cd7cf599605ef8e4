import { inflateSync } from 'node:zlib';
import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { invoiceQrPayload, renderInvoicePdf, type InvoicePdfInput } from '../../server/pdf/invoice.ts';
import { pdfText as readPdfText } from '../helpers/pdf-text.ts';
import { ocrWithCheckDigit, ocrWithLengthDigit } from '../../server/pdf/ocr.ts';

// jsqr is a CommonJS bundle typed as an ES default export: under NodeNext the function is `.default`
// (at run time the module itself is the function and carries `.default` too).
const jsQR = jsQRModule.default;

/** The text as pdftotext reads it, white space (line breaks, no-break spaces) folded to one space. */
const pdfText = (pdf: Buffer) => squeeze(readPdfText(pdf));
const squeeze = (text: string) => text.replace(/\s+/g, ' ');

/** Undoes PNG row filters (the /Predictor 15 data pdfkit embeds from a PNG as it is). */
function unfilterPngRows(data: Buffer, width: number, height: number, channels: number): Buffer {
  const stride = width * channels;
  const out = Buffer.alloc(stride * height);
  for (let row = 0; row < height; row++) {
    const filter = data[row * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const value = data[row * (stride + 1) + 1 + i] ?? 0;
      const left = i >= channels ? (out[row * stride + i - channels] ?? 0) : 0;
      const up = row > 0 ? (out[(row - 1) * stride + i] ?? 0) : 0;
      const upLeft = row > 0 && i >= channels ? (out[(row - 1) * stride + i - channels] ?? 0) : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter ?? 0] ?? 0;
      out[row * stride + i] = (value + predictor) & 0xff;
    }
  }
  return out;
}

/**
 * Decodes the payment QR's image XObject with jsQR: grey or RGB, raw or with PNG row filters
 * (pdfkit embeds a PNG without alpha as it is, under /DecodeParms with a PNG predictor).
 */
function scanPdfQr(pdf: Buffer): string | null {
  const raw = pdf.toString('latin1');
  const match = [...raw.matchAll(/<<\n\/Type \/XObject\n\/Subtype \/Image\n([^]*?)>>\nstream\n/g)].find(
    ([, dict]) => /\/ColorSpace \/Device(Gray|RGB)/.test(dict ?? ''),
  );
  if (!match) return null;
  const dict = match[1] ?? '';
  const number = (key: string) => Number(new RegExp(`/${key} (\\d+)`).exec(dict)?.[1]);
  const [width, height, length] = [number('Width'), number('Height'), number('Length')];
  const channels = dict.includes('/DeviceGray') ? 1 : 3;
  const start = match.index + match[0].length;
  const inflated = inflateSync(pdf.subarray(start, start + length));
  const pixels = dict.includes('/DecodeParms')
    ? unfilterPngRows(inflated, width, height, channels)
    : inflated;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let pixel = 0; pixel < width * height; pixel++) {
    const at = pixel * channels;
    const [r, g, b] =
      channels === 1 ? [pixels[at], pixels[at], pixels[at]] : [pixels[at], pixels[at + 1], pixels[at + 2]];
    rgba.set([r ?? 0, g ?? 0, b ?? 0, 255], pixel * 4);
  }
  const result = jsQR(rgba, width, height);
  return result ? Buffer.from(result.binaryData).toString('utf8') : null;
}

const eur: InvoicePdfInput = {
  locale: 'de',
  landlord: {
    name: 'Wohnungsbau Musterstadt eG',
    street: 'Hauptstraße 12',
    postalCode: '10115',
    city: 'Berlin',
    country: 'DE',
    iban: 'DE89370400440532013000',
    bic: 'COBADEFFXXX',
    email: 'service@wbm.example',
  },
  recipient: {
    name: 'Jördis Müller-Größe',
    street: 'Musterstraße 1',
    postalCode: '10117',
    city: 'Berlin',
    country: 'DE',
  },
  invoice: {
    number: 'RE-2026-000123',
    periodStart: '2026-03-01',
    periodEnd: '2026-03-31',
    issuedOn: '2026-02-20',
    dueOn: '2026-03-03',
    amount: 123456,
    currency: 'EUR',
    paymentReference: 'Miete 03/2026 V-1000234',
  },
  lines: [
    { label: 'Nettokaltmiete', amount: 98000 },
    { label: 'Betriebskostenvorauszahlung', amount: 17456 },
    { label: 'Heizkostenvorauszahlung', amount: 8000 },
  ],
  contractNumber: 'V-1000234',
  unitLabel: 'Whg. 1.02, 1. OG',
};

// OCR 10002342026048 carries Luhn check digit 8; bankgiro 5050-1055 check digit 5 (see payment-qr tests).
const sek: InvoicePdfInput = {
  locale: 'sv',
  landlord: {
    name: 'Fastighets AB Exempel',
    street: 'Utlandagatan 6',
    postalCode: '412 61',
    city: 'Göteborg',
    country: 'SE',
    iban: 'SE4550000000058398257466',
    bankgiro: '5050-1055',
    orgNumber: '556123-4567',
  },
  recipient: {
    name: 'Åsa Öberg AB',
    street: 'Gyllenkrooksgatan 10',
    postalCode: '412 84',
    city: 'Göteborg',
    country: 'SE',
  },
  invoice: {
    number: 'A-2026-04-0042',
    periodStart: '2026-04-01',
    periodEnd: '2026-04-30',
    issuedOn: '2026-03-15',
    dueOn: '2026-03-31',
    amount: 1234550,
    currency: 'SEK',
    paymentReference: '10002342026048',
  },
  lines: [
    { label: 'Hyra lokal', amount: 1150000 },
    { label: 'Värme', amount: 84550 },
  ],
  contractNumber: '1000234',
  unitLabel: 'Lokal 0102',
};

const NBSP = '\u00a0';

describe('renderInvoicePdf', () => {
  it('renders a German EUR invoice with the GiroCode image, lines and payment details', async () => {
    const pdf = await renderInvoicePdf(eur, { compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf.toString('latin1')).toContain('/Subtype /Image');
    const text = pdfText(pdf);
    for (const expected of [
      'Mietrechnung',
      'RE-2026-000123',
      'Jördis Müller-Größe',
      '01.03.2026 – 31.03.2026',
      'Betriebskostenvorauszahlung',
      `174,56${NBSP}€`,
      `1.234,56${NBSP}€`,
      'DE89 3704 0044 0532 0130 00',
      'Miete 03/2026 V-1000234',
      'Mit Ihrer Banking-App scannen',
    ]) {
      expect(text).toContain(squeeze(expected));
    }
  });

  it('embeds a QR code that scans to the EPC payload', async () => {
    const pdf = await renderInvoicePdf(eur, { compress: false });
    const payload = invoiceQrPayload(eur);
    expect(payload?.split('\n')).toEqual([
      'BCD',
      '002',
      '1',
      'SCT',
      'COBADEFFXXX',
      'Wohnungsbau Musterstadt eG',
      'DE89370400440532013000',
      'EUR1234.56',
      '',
      '',
      'Miete 03/2026 V-1000234',
    ]);
    expect(scanPdfQr(pdf)).toBe(payload);
  });

  it('sends an ISO 11649 reference as structured remittance', () => {
    const payload = invoiceQrPayload({
      ...eur,
      invoice: { ...eur.invoice, paymentReference: 'RF18539007547034' },
    });
    expect(payload?.split('\n').slice(9)).toEqual(['RF18539007547034']);
  });

  it('compresses by default and stays a valid PDF', async () => {
    const [compressed, plain] = await Promise.all([
      renderInvoicePdf(eur),
      renderInvoicePdf(eur, { compress: false }),
    ]);
    expect(compressed.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(compressed.toString('latin1')).toContain('/FlateDecode');
    expect(compressed.length).toBeLessThan(plain.length);
  });

  it('renders a Swedish SEK hyresavi with the Swedish QR and the OCR line', async () => {
    const pdf = await renderInvoicePdf(sek, { compress: false });
    const text = pdfText(pdf);
    for (const expected of [
      'Hyresavi',
      'A-2026-04-0042',
      'Åsa Öberg AB',
      `12${NBSP}345,50${NBSP}kr`,
      '5050-1055',
      'OCR-nummer',
      'Skanna med din bankapp',
      // Luhn over the amount digits 1234550 gives 0.
      '# 10002342026048 #   12345 50   0 >  50501055#41#',
    ]) {
      expect(text).toContain(squeeze(expected));
    }
    const payload = invoiceQrPayload(sek);
    expect(JSON.parse(payload ?? '{}')).toEqual({
      uqr: 1,
      tp: 1,
      nme: 'Fastighets AB Exempel',
      cc: 'SE',
      cid: '556123-4567',
      iref: '10002342026048',
      idt: '20260315',
      ddt: '20260331',
      due: 12345.5,
      cur: 'SEK',
      pt: 'BG',
      acc: '5050-1055',
    });
    expect(scanPdfQr(pdf)).toBe(payload);
  });

  it("takes the Swedish QR's country from the payee's account, not the sender's address", () => {
    const fromBerlin = { ...sek, landlord: { ...sek.landlord, country: 'DE' } };
    expect(JSON.parse(invoiceQrPayload(fromBerlin) ?? '{}')).toMatchObject({ cc: 'SE', pt: 'BG' });
    const byIban = { ...fromBerlin, landlord: { ...fromBerlin.landlord, bankgiro: undefined } };
    expect(JSON.parse(invoiceQrPayload(byIban) ?? '{}')).toMatchObject({ cc: 'SE', pt: 'IBAN' });
  });

  it('writes English labels and names a foreign recipient country', async () => {
    const input: InvoicePdfInput = { ...eur, locale: 'en', recipient: { ...eur.recipient, country: 'AT' } };
    const text = pdfText(await renderInvoicePdf(input, { compress: false }));
    for (const expected of [
      'Rent invoice',
      'Invoice number',
      '€1,234.56',
      'AUSTRIA',
      'Scan with your banking app',
    ]) {
      expect(text).toContain(squeeze(expected));
    }
  });

  it('leaves out the QR code when nothing is due', async () => {
    const input: InvoicePdfInput = { ...eur, invoice: { ...eur.invoice, amount: 0 }, lines: [] };
    const pdf = await renderInvoicePdf(input, { compress: false });
    expect(pdf.toString('latin1')).not.toContain('/Subtype /Image');
    expect(pdfText(pdf)).toContain('Es ist kein Betrag zu zahlen.');
  });

  it('refuses lines that do not add up and SEK references without a valid OCR check digit', async () => {
    await expect(renderInvoicePdf({ ...eur, lines: [{ label: 'Miete', amount: 1 }] })).rejects.toThrow(/sum/);
    await expect(
      renderInvoicePdf({ ...sek, invoice: { ...sek.invoice, paymentReference: '10002342026049' } }),
    ).rejects.toThrow(/OCR/);
  });
});

describe('text beyond WinAnsi', () => {
  it('prints every Latin letter as written, through the embedded font', async () => {
    const input: InvoicePdfInput = {
      ...eur,
      recipient: { ...eur.recipient, name: 'Ćosić Łódź Dvořák Şahin' },
      lines: [{ label: 'Miete − Minderung', amount: eur.invoice.amount }],
    };
    const text = pdfText(await renderInvoicePdf(input, { compress: false }));
    expect(text).toContain('Ćosić Łódź Dvořák Şahin');
    expect(text).toContain('Miete − Minderung');
  });
});

describe('the OCR length digit setting', () => {
  it('asks for the length digit only where the agreement wants it', async () => {
    const strict = { ...sek, landlord: { ...sek.landlord, ocrLengthDigit: true } };
    // 14 digits whose second-last is 5, not the length's 4.
    const without = { ...strict.invoice, paymentReference: ocrWithCheckDigit('1000234202605') };
    await expect(renderInvoicePdf({ ...strict, invoice: without })).rejects.toThrow(/length digit/);
    const reference = ocrWithLengthDigit('100023420260');
    const pdf = await renderInvoicePdf({
      ...strict,
      invoice: { ...strict.invoice, paymentReference: reference },
    });
    expect(pdfText(pdf)).toContain(`# ${reference} #`);
    await expect(renderInvoicePdf(sek)).resolves.toBeInstanceOf(Buffer);
  });
});
