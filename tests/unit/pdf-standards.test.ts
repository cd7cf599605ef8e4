import jsQRModule from 'jsqr';
import { describe, expect, it } from 'vitest';
import { invoiceQrPayload, renderInvoicePdf, type InvoicePdfInput } from '../../server/pdf/invoice.ts';
import { FORM_B } from '../../server/pdf/letter-layout.ts';
import { renderRegistrationLetters } from '../../server/pdf/registration-letter.ts';
import {
  renderRentCertificatePdf,
  renderResidenceConfirmationPdf,
} from '../../server/pdf/rent-certificate.ts';
import { renderSimpleDocument } from '../../server/pdf/simple-document.ts';
import { letterSender } from '../../server/pdf/letter-layout.ts';
import { demoLandlordProfile } from '../../server/services/landlord.ts';
import {
  flatten,
  pdfFonts,
  pdfInfo,
  pdfStructure,
  qpdfCheck,
  renderGrey,
  wordsOnPage,
} from '../helpers/pdf-check.ts';
import { pdfText } from '../helpers/pdf-text.ts';

/**
 * Issue 17: every PDF Portier generates is archivable (PDF/A-2b) and accessible (PDF/UA-1), and every
 * letter uses the one DIN 5008 form B layout. Checked with tools that did not write the files:
 * qpdf --check (syntax and streams), pdffonts (every font embedded as a subset with a Unicode map, no
 * base-14 font), pdfinfo (tagged, PDF 1.7, A4), pdf-lib (catalog Lang, MarkInfo, DisplayDocTitle,
 * the sRGB output intent, the XMP identification, the structure tree and that no text, image or
 * path is drawn outside marked content), and pdftotext / pdftoppm for positions on the page.
 * What no installable tool checks (veraPDF is not packaged for Debian): the rest of ISO 19005-2's and
 * ISO 14289-1's rules, e.g. colour-space details, reading order and the semantics of the tags.
 */

const de = letterSender(demoLandlordProfile('DE'));
const deProfile = demoLandlordProfile('DE');
const seProfile = demoLandlordProfile('SE');

const eurInvoice: InvoicePdfInput = {
  locale: 'de',
  landlord: {
    ...deProfile,
    iban: 'DE02120300000000202051',
    bic: 'BYLADEM1001',
    vatNumber: deProfile.legal?.vatId,
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
    amount: 106000,
    currency: 'EUR',
    paymentReference: 'RF18539007547034',
  },
  lines: [
    { label: 'Nettokaltmiete', amount: 98000 },
    { label: 'Heizkostenvorauszahlung', amount: 8000 },
  ],
  contractNumber: '1001-02',
  unitLabel: 'Musterstraße 1, 1.02',
};

/** The Swedish commercial rent with 25 % moms: the seller's VAT number belongs on it (17 kap. 24 § ML). */
const sekInvoice: InvoicePdfInput = {
  locale: 'sv',
  landlord: {
    ...seProfile,
    iban: 'DE02120300000000202051',
    bankgiro: '5050-1055',
    orgNumber: seProfile.legal?.orgNumber,
    vatNumber: seProfile.legal?.vatId,
  },
  recipient: {
    name: 'Butik Exempel AB',
    street: 'Utlandagatan 6',
    postalCode: '212 14',
    city: 'Malmö',
    country: 'SE',
  },
  invoice: {
    number: 'A-2026-04-0042',
    periodStart: '2026-04-01',
    periodEnd: '2026-04-30',
    issuedOn: '2026-03-15',
    dueOn: '2026-03-31',
    amount: 1250000,
    currency: 'SEK',
    paymentReference: '10002342026048',
  },
  lines: [
    { label: 'Hyra lokal', amount: 1000000 },
    { label: 'Moms 25 %', amount: 250000 },
  ],
  contractNumber: '6001-01',
  unitLabel: 'Utlandagatan 6, L01',
};

const recipient = { street: 'Musterstraße 1', postalCode: '10117', city: 'Berlin', country: 'DE' };
const letters = () =>
  renderRegistrationLetters(
    {
      sender: deProfile,
      issuedOn: '2026-03-02',
      registerUrl: 'https://portier.example/register',
      letters: [
        {
          locale: 'de',
          recipient: { ...recipient, name: 'Erika Musterfrau' },
          salutationName: 'Frau Musterfrau',
          customerNumber: '10001',
          code: 'ABCD-EFGH-JKLM',
        },
        {
          locale: 'en',
          recipient: { ...recipient, name: 'John Smith' },
          salutationName: 'Mr Smith',
          customerNumber: null,
          code: 'NPQR-STUV-WXYZ',
        },
        {
          locale: 'sv',
          recipient: {
            name: 'Åsa Öberg',
            street: 'Utlandagatan 6',
            postalCode: '212 14',
            city: 'Malmö',
            country: 'SE',
          },
          salutationName: 'Åsa',
          customerNumber: '60001',
          code: '2345-6789-ABCD',
          sender: seProfile,
        },
      ],
    },
    { compress: false },
  );

const flat = { ...recipient, unitNumber: '1.02', floor: 1, livingAreaSqm: 62.5, rooms: 2.5 };
const certificate = () =>
  renderRentCertificatePdf(
    {
      locale: 'de',
      issuedOn: '2026-03-02',
      landlord: deProfile,
      tenants: ['Jördis Müller-Größe'],
      flat,
      contract: { number: '1001-02', startDate: '2019-05-01' },
      rent: {
        currency: 'EUR',
        validFrom: '2026-01-01',
        netRent: 98000,
        serviceChargeAdvance: 17456,
        heatingAdvance: 8000,
      },
    },
    { compress: false },
  );
const residence = () =>
  renderResidenceConfirmationPdf(
    {
      locale: 'de',
      issuedOn: '2026-03-02',
      landlord: deProfile,
      moveInDate: '2026-04-01',
      flat,
      residents: ['Jördis Müller-Größe'],
    },
    { compress: false },
  );
/** A seeded document long enough for a second page. */
const longDocument = () =>
  renderSimpleDocument({
    title: 'Betriebskostenabrechnung 2025 & Heizkosten <Haus 1>',
    landlord: de,
    date: new Date('2026-03-02T09:00:00Z'),
    recipient: ['Frau Erika Musterfrau', 'Musterstraße 1', '10117 Berlin'],
    lines: [
      'Sehr geehrte Frau Musterfrau,',
      ...Array.from({ length: 14 }, (_, index) => [
        { heading: `${index + 1}. Abschnitt` },
        'Die Kosten werden nach Wohnfläche verteilt. '.repeat(6),
      ]).flat(),
      {
        rows: [
          ['Grundsteuer', '120,00 €'],
          ['Wasser', '310,00 €'],
        ],
      },
    ],
  });

const documents: Array<[string, () => Promise<Buffer>]> = [
  ['EUR invoice', () => renderInvoicePdf(eurInvoice, { compress: false })],
  ['SEK invoice with OCR line', () => renderInvoicePdf(sekInvoice, { compress: false })],
  ['registration letters in three languages', letters],
  ['rent certificate', certificate],
  ['confirmation of residence', residence],
  ['seeded document over two pages', longDocument],
];

describe.each(documents)('%s', (_name, render) => {
  it('passes qpdf --check and embeds every font as a Unicode subset', async () => {
    const pdf = await render();
    const check = qpdfCheck(pdf);
    expect(check.output).toContain('No syntax or stream encoding errors found');
    expect(check.ok).toBe(true);

    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font, font.name).toMatchObject({ embedded: true, subset: true, unicode: true });
      expect(font.name).toMatch(/^[A-Z]{6}\+(NotoSans|OCRB)/);
    }
    const info = pdfInfo(pdf);
    expect(info['Tagged']).toBe('yes');
    expect(info['PDF version']).toBe('1.7');
    expect(info['Page size']).toMatch(/^595\.28 x 841\.89 pts \(A4\)/);
  });

  it('is PDF/A-2b and PDF/UA-1 by its catalog, XMP and structure tree', async () => {
    const pdf = await render();
    const structure = await pdfStructure(pdf);
    expect(structure.version).toBe('1.7');
    expect(structure.marked).toBe(true);
    expect(structure.displayDocTitle).toBe(true);
    expect(structure.catalogLang).toMatch(/^(de-DE|en-GB|sv-SE)$/);
    expect(structure.outputIntent).toBe('GTS_PDFA1');
    expect(structure.xmp).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(structure.xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
    expect(structure.xmp).toContain('<pdfuaid:part>1</pdfuaid:part>');
    expect(structure.xmp).toContain('<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>');
    expect(structure.xmp).toMatch(/<dc:title><rdf:Alt><rdf:li xml:lang="x-default">[^<]+<\/rdf:li>/);

    const root = structure.tree;
    expect(root?.role).toBe('StructTreeRoot');
    expect(root?.children.map((child) => child.role)).toEqual(['Document']);
    const nodes = flatten(root);
    const roles = nodes.map((node) => node.role);
    expect(roles).toContain('H1');
    expect(roles).toContain('P');
    // Headings do not skip a level (PDF/UA-1 7.4.2): H2 only after an H1.
    expect(roles.indexOf('H1')).toBeLessThan(roles.indexOf('H2') === -1 ? Infinity : roles.indexOf('H2'));
    for (const node of nodes.filter((candidate) => candidate.role === 'Figure')) {
      expect(node.alt?.length ?? 0).toBeGreaterThan(10);
    }
    for (const table of nodes.filter((node) => node.role === 'Table')) {
      expect(table.children.every((row) => row.role === 'TR')).toBe(true);
      expect(flatten(table).some((cell) => cell.role === 'TH' && cell.scope)).toBe(true);
    }
    // All content is either tagged or an artifact, and every marked content id is in the tree.
    const inTree = nodes.flatMap((node) => node.mcids).length;
    const inContent = structure.pages.flatMap((page) => page.mcids).length;
    expect(inContent).toBeGreaterThan(0);
    expect(inTree).toBe(inContent);
    for (const page of structure.pages) expect(page.unmarked).toEqual([]);
  });
});

describe('languages', () => {
  it('marks each letter of a mixed batch with its own language', async () => {
    const structure = await pdfStructure(await letters());
    const sections = flatten(structure.tree).filter((node) => node.role === 'Sect' && node.lang);
    expect(sections.map((node) => node.lang)).toEqual(['de-DE', 'en-GB', 'sv-SE']);
    expect(structure.catalogLang).toBe('de-DE');
  });

  it('begins the sentence after the salutation with a capital in English and Swedish', async () => {
    const text = pdfText(await letters()).replace(/\s+/g, ' ');
    expect(text).toContain('Dear Mr Smith, You can now view');
    expect(text).toContain('Hej Åsa, Nu kan du se');
    expect(text).toContain('Guten Tag Frau Musterfrau, ab sofort');
  });

  it('escapes the title in XMP and keeps it readable', async () => {
    const structure = await pdfStructure(await longDocument());
    expect(structure.xmp).toContain('Betriebskostenabrechnung 2025 &#38; Heizkosten &#60;Haus 1&#62;');
  });
});

describe('DIN 5008 form B, read back from the page', () => {
  const letterCases: Array<[string, () => Promise<Buffer>, string]> = [
    ['invoice', () => renderInvoicePdf(eurInvoice, { compress: false }), 'Jördis'],
    ['registration letter', letters, 'Erika'],
    ['rent certificate', certificate, 'Jördis'],
    ['confirmation of residence', residence, 'Jördis'],
    ['seeded document', longDocument, 'Frau'],
  ];

  it.each(letterCases)(
    '%s: return line and recipient in the address field, info block at 125 mm',
    async (_name, render, firstName) => {
      const pdf = await render();
      const words = wordsOnPage(pdf, 1);
      const name = words.find((word) => word.text === firstName);
      expect(name, firstName).toBeDefined();
      // The address zone: 62.7–90 mm from the top; written at 25 mm (5 mm inside the 20 mm field).
      expect(name!.top).toBeGreaterThanOrEqual(FORM_B.addressZoneTop);
      expect(name!.left).toBeCloseTo(25, 0);
      const city = words.filter((word) => word.text === 'Berlin' && word.top > FORM_B.addressZoneTop);
      expect(city.length).toBeGreaterThan(0);
      expect(Math.min(...city.map((word) => word.bottom))).toBeLessThanOrEqual(90);
      // The return line: in the notes zone (45–62.7 mm), directly above the address zone.
      const returnLine = words.filter((word) => word.top >= 45 && word.bottom <= FORM_B.addressZoneTop);
      expect(returnLine.map((word) => word.text)).toContain('Musterstraße');
      expect(Math.min(...returnLine.map((word) => word.left))).toBeCloseTo(25, 0);
      expect(Math.max(...returnLine.map((word) => word.bottom))).toBeGreaterThan(FORM_B.addressZoneTop - 4);
      // Nothing else in the address field's width from 45 to 90 mm but these.
      const inField = words.filter((word) => word.top >= 45 && word.bottom <= 90 && word.left < 105);
      expect(inField.every((word) => word.left >= 20 && word.right <= 105)).toBe(true);
      // The information block starts 125 mm from the left and 50 mm from the top.
      const info = words.filter((word) => word.left >= 124 && word.top >= 49 && word.top < 98);
      expect(info.length).toBeGreaterThan(0);
      expect(Math.min(...info.map((word) => word.left))).toBeCloseTo(125, 0);
      expect(Math.min(...info.map((word) => word.top))).toBeGreaterThanOrEqual(49.9);
      expect(Math.min(...info.map((word) => word.top))).toBeLessThan(52);
      // The body: at 25 mm, the subject from 98.4 mm.
      const body = words.filter((word) => word.top >= FORM_B.subjectTop && word.top < 250);
      expect(Math.min(...body.map((word) => word.left))).toBeCloseTo(25, 0);
      expect(body.every((word) => word.right <= 190.5)).toBe(true);
    },
  );

  it('prints fold marks at 105 and 210 mm and the punch mark at 148.5 mm on the left edge', async () => {
    const dpi = 200;
    const { width, pixels } = renderGrey(await certificate(), 1, dpi);
    const px = (millimetres: number) => Math.round((millimetres / 25.4) * dpi);
    const darkAround = (rowMm: number, fromMm: number, toMm: number) => {
      for (let row = px(rowMm) - 2; row <= px(rowMm) + 2; row++) {
        for (let column = px(fromMm); column <= px(toMm); column++) {
          if ((pixels[row * width + column] ?? 255) < 200) return true;
        }
      }
      return false;
    };
    expect(darkAround(105, 4.5, 8.5)).toBe(true);
    expect(darkAround(210, 4.5, 8.5)).toBe(true);
    expect(darkAround(148.5, 4.5, 10.5)).toBe(true);
    // …and nothing else in that strip.
    for (const elsewhere of [60, 127, 180, 240]) expect(darkAround(elsewhere, 3, 12)).toBe(false);
  });

  it('puts the Swedish office as sender on a Malmö letter, with its legal details', async () => {
    const text = pdfText(await renderInvoicePdf(sekInvoice, { compress: false })).replace(/\s+/g, ' ');
    expect(text).toContain('Portier Bostad Sverige AB');
    expect(text).toContain('Utlandagatan 6 · 212 14 Malmö');
    expect(text).toContain('Säte: Malmö');
    expect(text).toContain('Org.nr 559999-9991');
    expect(text).toContain('Momsreg.nr SE559999999101');
    expect(text).toContain('Godkänd för F-skatt');
    expect(text).not.toContain('Berlin');
    expect(text).not.toContain('+49');
  });

  it('names what § 25a GenG requires on a cooperative’s letter', async () => {
    const text = pdfText(await certificate()).replace(/\s+/g, ' ');
    expect(text).toContain('eingetragene Genossenschaft, Sitz: Berlin');
    expect(text).toContain('Amtsgericht Charlottenburg, GnR 999 B');
    expect(text).toContain('Vorstand: Dr. Jana Beispiel (Vorsitz), Tobias Muster');
    expect(text).toContain('Aufsichtsratsvorsitz: Petra Exempel');
    expect(text).toContain('USt-IdNr. DE999999999');
  });
});

describe('the OCR line of a Swedish payment slip', () => {
  it('is set in OCR-B at 10 characters per inch', async () => {
    const pdf = await renderInvoicePdf(sekInvoice, { compress: false });
    const words = wordsOnPage(pdf, 1);
    const reference = words.find((word) => word.text === '10002342026048' && word.top > 265);
    expect(reference).toBeDefined();
    // 14 characters at 2.54 mm each.
    expect(reference!.right - reference!.left).toBeCloseTo(14 * 2.54, 0);
    const fonts = pdfFonts(pdf).map((font) => font.name);
    expect(fonts.some((name) => /\+OCRB-Regular$/.test(name))).toBe(true);
    // The legal footer moved above the slip's cut line.
    const footer = words.find((word) => word.text === 'Säte:');
    expect(footer!.bottom).toBeLessThan(265);
  });
});

describe('the payment QR code, read from the rendered page', () => {
  const jsQR = jsQRModule.default;
  it.each([
    ['EPC GiroCode', eurInvoice],
    ['Swedish invoice QR', sekInvoice],
  ] as const)('%s decodes to the payload, with cc from the payee', async (_name, input) => {
    const { width, height, pixels } = renderGrey(await renderInvoicePdf(input), 1, 150);
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let pixel = 0; pixel < width * height; pixel++) {
      const grey = pixels[pixel] ?? 255;
      rgba.set([grey, grey, grey, 255], pixel * 4);
    }
    const decoded = jsQR(rgba, width, height);
    expect(decoded?.data).toBe(invoiceQrPayload(input));
    if (input.invoice.currency === 'SEK') expect(JSON.parse(decoded!.data)).toMatchObject({ cc: 'SE' });
  });
});
