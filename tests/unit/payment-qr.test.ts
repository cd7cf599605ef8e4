import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  EPC_MAX_BYTES,
  PaymentQrError,
  bankgiroOcrLine,
  epcQrPayload,
  isValidCreditorReference,
  isValidIban,
  qrDataUrl,
  qrPng,
  swedishInvoiceQrPayload,
  type EpcTransferInput,
  type SwedishInvoiceQrInput,
} from '../../server/pdf/payment-qr.ts';

// jsqr is a CommonJS bundle typed as an ES default export: under NodeNext the function is `.default`
// (at run time the module itself is the function and carries `.default` too).
const jsQR = jsQRModule.default;

/** Reads a QR code back from a PNG the way a phone would: pixels in, the raw bytes out. */
function decodeQr(png: Buffer): string {
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!result) throw new Error('QR code did not decode');
  return Buffer.from(result.binaryData).toString('utf8');
}

// The example of the EPC QR code article (de.wikipedia "EPC-QR-Code"), with amount EUR 123.45.
const wikimedia: EpcTransferInput = {
  name: 'Wikimedia Foerdergesellschaft',
  iban: 'DE33 1002 0500 0001 1947 00',
  bic: 'BFSWDE33BER',
  amountMinor: 12345,
  currency: 'EUR',
  remittanceText: 'Spende fuer Wikipedia',
};

describe('EPC069-12 GiroCode payload', () => {
  it('writes the known example line by line', () => {
    expect(epcQrPayload(wikimedia).split('\n')).toEqual([
      'BCD',
      '002',
      '1',
      'SCT',
      'BFSWDE33BER',
      'Wikimedia Foerdergesellschaft',
      'DE33100205000001194700',
      'EUR123.45',
      '',
      '',
      'Spende fuer Wikipedia',
    ]);
  });

  it('puts an RF creditor reference on line 10 and ends there; BIC may be empty in version 002', () => {
    const payload = epcQrPayload({
      ...wikimedia,
      bic: undefined,
      purpose: 'RENT',
      remittanceText: undefined,
      creditorReference: 'RF18 5390 0754 7034',
    });
    expect(payload).toBe(
      'BCD\n002\n1\nSCT\n\nWikimedia Foerdergesellschaft\nDE33100205000001194700\nEUR123.45\nRENT\nRF18539007547034',
    );
  });

  it('formats amounts with two decimals and no grouping', () => {
    expect(epcQrPayload({ ...wikimedia, amountMinor: 1 })).toContain('\nEUR0.01\n');
    expect(epcQrPayload({ ...wikimedia, amountMinor: 99_999_999_999 })).toContain('\nEUR999999999.99\n');
    expect(epcQrPayload({ ...wikimedia, amountMinor: 100000 })).toContain('\nEUR1000.00\n');
  });

  it.each<[string, Partial<EpcTransferInput>]>([
    ['currency other than EUR', { currency: 'SEK' }],
    ['name longer than 70 characters', { name: 'N'.repeat(71) }],
    ['empty name', { name: '  ' }],
    ['name with a line break', { name: 'Wikimedia\nFoerdergesellschaft' }],
    ['IBAN with a wrong check digit', { iban: 'DE34100205000001194700' }],
    ['malformed BIC', { bic: 'BFSW-DE33' }],
    ['zero amount', { amountMinor: 0 }],
    ['amount above 999999999.99', { amountMinor: 100_000_000_000 }],
    ['fractional minor units', { amountMinor: 12.5 }],
    ['purpose that is not 4 characters', { purpose: 'RENTAL' }],
    ['both structured and unstructured remittance', { creditorReference: 'RF18539007547034' }],
    [
      'creditor reference with a wrong check',
      { remittanceText: undefined, creditorReference: 'RF19539007547034' },
    ],
    ['remittance longer than 140 characters', { remittanceText: 'x'.repeat(141) }],
  ])('rejects %s', (_case, change) => {
    expect(() => epcQrPayload({ ...wikimedia, ...change })).toThrow(PaymentQrError);
  });

  it(`rejects payloads over ${EPC_MAX_BYTES} bytes even when every field is within its own limit`, () => {
    // 70 × "Ä" and 140 × "ß" are within the character limits but take two bytes each in UTF-8.
    expect(() =>
      epcQrPayload({ ...wikimedia, name: 'Ä'.repeat(70), remittanceText: 'ß'.repeat(140) }),
    ).toThrow(/331 bytes/);
  });
});

describe('IBAN and creditor reference checks', () => {
  it('accepts valid IBANs in both formats and rejects broken ones (ISO 13616 mod 97)', () => {
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('SE4550000000058398257466')).toBe(true);
    expect(isValidIban('DE89 3704 0044 0532 0130 01')).toBe(false);
    expect(isValidIban('DE89')).toBe(false);
  });

  it('checks ISO 11649 references', () => {
    expect(isValidCreditorReference('RF18 5390 0754 7034')).toBe(true);
    expect(isValidCreditorReference('RF18539007547035')).toBe(false);
    expect(isValidCreditorReference('Miete 03/2026')).toBe(false);
  });
});

// OCR 10002342026048: base 1000234202604 plus Luhn check digit 8 (worked by hand: digit sum 32).
// Bankgiro 5050-1055: Luhn over 5050105 has digit sum 5 → check digit 5.
// PlusGiro 4789911-7: Luhn over 4789911 has digit sum 43 → check digit 7.
const swedish: SwedishInvoiceQrInput = {
  payeeName: 'Fastighets AB Exempel',
  orgNumber: '556123-4567',
  reference: '10002342026048',
  invoiceDate: '2026-03-15',
  dueDate: '2026-03-31',
  amountMinor: 1234550,
  currency: 'SEK',
  paymentType: 'BG',
  account: '50501055',
};

describe('Swedish invoice QR (UsingQR JSON)', () => {
  it('writes the known example with the specification key order', () => {
    expect(swedishInvoiceQrPayload(swedish)).toBe(
      '{"uqr":1,"tp":1,"nme":"Fastighets AB Exempel","cc":"SE","cid":"556123-4567","iref":"10002342026048",' +
        '"idt":"20260315","ddt":"20260331","due":12345.5,"cur":"SEK","pt":"BG","acc":"5050-1055"}',
    );
  });

  it('writes PlusGiro with its hyphen and IBAN with the BIC', () => {
    const plusgiro = JSON.parse(
      swedishInvoiceQrPayload({ ...swedish, paymentType: 'PG', account: '47899117' }),
    ) as {
      pt: string;
      acc: string;
    };
    expect(plusgiro).toMatchObject({ pt: 'PG', acc: '4789911-7' });
    const iban = JSON.parse(
      swedishInvoiceQrPayload({
        ...swedish,
        paymentType: 'IBAN',
        account: 'SE45 5000 0000 0583 9825 7466',
        bic: 'ESSESESS',
      }),
    ) as Record<string, unknown>;
    expect(iban).toMatchObject({ pt: 'IBAN', acc: 'SE4550000000058398257466', bc: 'ESSESESS' });
  });

  it.each<[string, Partial<SwedishInvoiceQrInput>]>([
    ['currency other than SEK', { currency: 'EUR' }],
    ['bankgiro with a wrong check digit', { account: '5050-1056' }],
    ['bankgiro of the wrong length', { account: '12345' }],
    ['an impossible date', { dueDate: '2026-02-30' }],
    ['zero amount', { amountMinor: 0 }],
    ['empty reference', { reference: ' ' }],
  ])('rejects %s', (_case, change) => {
    expect(() => swedishInvoiceQrPayload({ ...swedish, ...change })).toThrow(PaymentQrError);
  });
});

describe('Bankgirot OCR line', () => {
  it('prints reference, kronor, öre, the amount check digit and the bankgiro number', () => {
    // Luhn over "1234550": 0+5+1+4+6+2+2 = 20 → check digit 0.
    expect(bankgiroOcrLine('10002342026048', 1234550, '5050-1055')).toBe(
      '# 10002342026048 #   12345 50   0 >  50501055#41#',
    );
  });
});

describe('QR rendering', () => {
  it('renders an EPC payload that scans back to the same bytes', () => {
    const payload = epcQrPayload({ ...wikimedia, name: 'Wohnungsbau Müller & Söhne eG' });
    expect(decodeQr(qrPng(payload))).toBe(payload);
  });

  it('renders a maximal 331-byte EPC payload that still scans', () => {
    const payload = epcQrPayload({ ...wikimedia, name: 'N'.repeat(70), remittanceText: 'R'.repeat(140) });
    expect(Buffer.byteLength(payload)).toBeLessThanOrEqual(EPC_MAX_BYTES);
    expect(decodeQr(qrPng(payload))).toBe(payload);
  });

  it('renders a Swedish payload with å, ä, ö that scans back', () => {
    const payload = swedishInvoiceQrPayload({ ...swedish, payeeName: 'Fastighets AB Åkerström & Väst' });
    expect(decodeQr(qrPng(payload))).toBe(payload);
  });

  it('offers a PNG data URL for the web view', async () => {
    const url = await qrDataUrl(epcQrPayload(wikimedia));
    expect(url).toMatch(/^data:image\/png;base64,/);
    expect(decodeQr(Buffer.from(url.split(',')[1] ?? '', 'base64'))).toBe(epcQrPayload(wikimedia));
  });
});
