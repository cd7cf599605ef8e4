import { describe, expect, it } from 'vitest';
import {
  renderRentCertificatePdf,
  renderResidenceConfirmationPdf,
  type RentCertificateInput,
  type ResidenceConfirmationInput,
} from '../../server/pdf/rent-certificate.ts';
import { pdfText as readPdfText } from '../helpers/pdf-text.ts';

/** The text as pdftotext reads it, white space (line breaks, no-break spaces) folded to one space. */
const pdfText = (pdf: Buffer) => squeeze(readPdfText(pdf));
const squeeze = (text: string) => text.replace(/\s+/g, ' ');

function expectPdf(pdf: Buffer): void {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  expect(pdf.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
}

const NBSP = '\u00a0';
const landlord = {
  name: 'Wohnungsbaugenossenschaft 1954 eG',
  street: 'Hauptstraße 12',
  postalCode: '10115',
  city: 'Berlin',
  country: 'DE',
  email: 'service@wbg.example',
};
const flat = {
  street: 'Musterstraße 1',
  postalCode: '10117',
  city: 'Berlin',
  country: 'DE',
  unitNumber: '1.02',
  floor: 1,
  livingAreaSqm: 62.5,
  rooms: 2.5,
};

const certificate: RentCertificateInput = {
  locale: 'de',
  issuedOn: '2026-03-02',
  landlord,
  tenants: ['Jördis Müller-Größe', 'Åke Ström'],
  flat,
  contract: { number: 'V-1000234', startDate: '2019-05-01' },
  rent: {
    currency: 'EUR',
    validFrom: '2026-01-01',
    netRent: 98000,
    serviceChargeAdvance: 17456,
    heatingAdvance: 8000,
    other: [{ label: 'Stellplatz', amount: 4500 }],
  },
};

describe('renderRentCertificatePdf', () => {
  it('fills the German Mietbescheinigung from the contract', async () => {
    const pdf = await renderRentCertificatePdf(certificate, { compress: false });
    expectPdf(pdf);
    const text = pdfText(pdf);
    for (const expected of [
      'Mietbescheinigung',
      'Jördis Müller-Größe',
      'Åke Ström',
      'Musterstraße 1',
      '1. Obergeschoss',
      `62,5 m²`,
      '2,5',
      'V-1000234',
      '01.05.2019',
      'Monatliche Miete (Stand 01.01.2026)',
      `980,00${NBSP}€`,
      `174,56${NBSP}€`,
      `80,00${NBSP}€`,
      `1.279,56${NBSP}€`,
      'Berlin, 02.03.2026',
      'Diese Bescheinigung wurde elektronisch erstellt und ist ohne Unterschrift gültig.',
    ]) {
      expect(text).toContain(squeeze(expected));
    }
  });

  it('speaks English and Swedish', async () => {
    const english = pdfText(
      await renderRentCertificatePdf({ ...certificate, locale: 'en' }, { compress: false }),
    );
    for (const expected of [
      'Rent certificate',
      'Net rent',
      'Service-charge advance',
      'Heating advance',
      '€1,279.56',
    ]) {
      expect(english).toContain(squeeze(expected));
    }
    expect(english).toContain(
      'This certificate was generated electronically and is valid without signature.',
    );
    const swedish = pdfText(
      await renderRentCertificatePdf(
        { ...certificate, locale: 'sv', rent: { ...certificate.rent, currency: 'SEK' } },
        { compress: false },
      ),
    );
    for (const expected of ['Hyresintyg', 'Grundhyra', 'Boarea', '1 tr.', `1${NBSP}279,56${NBSP}kr`]) {
      expect(swedish).toContain(squeeze(expected));
    }
    expect(swedish).toContain('Detta intyg har skapats elektroniskt och är giltigt utan underskrift.');
  });

  it('leaves out unknown floor, area and rooms and names the ground floor', async () => {
    const text = pdfText(
      await renderRentCertificatePdf(
        { ...certificate, flat: { ...flat, floor: 0, livingAreaSqm: null, rooms: null } },
        { compress: false },
      ),
    );
    expect(text).toContain('Erdgeschoss');
    expect(text).not.toContain('Wohnfläche');
    expect(text).not.toContain('Zimmer');
  });

  it('words a commercial lease and a single tenant as such', async () => {
    const commercial = { ...flat, kind: 'commercial' as const };
    const swedish = pdfText(
      await renderRentCertificatePdf(
        { ...certificate, locale: 'sv', tenants: ['Butik Exempel AB'], flat: commercial },
        { compress: false },
      ),
    );
    expect(swedish).toContain('Härmed intygas att nedanstående person hyr följande lokal av oss.');
    expect(swedish).toContain('Hyresgäst Butik Exempel AB');
    expect(swedish).toContain('Lokalarea');
    expect(swedish).not.toMatch(/lägenhet|Boarea|Hyresgäster/i);
    const english = pdfText(
      await renderRentCertificatePdf(
        { ...certificate, locale: 'en', tenants: ['Jördis Müller-Größe'], flat: commercial },
        { compress: false },
      ),
    );
    expect(english).toContain('the person named below rents the following commercial premises from us.');
    expect(english).not.toMatch(/\bflat\b|Living area|Tenants/);
    const german = pdfText(
      await renderRentCertificatePdf({ ...certificate, tenants: ['Åke Ström'] }, { compress: false }),
    );
    expect(german).toContain('dass die nachstehend genannte Person folgende Wohnung von uns gemietet hat.');
  });

  it('needs a tenant', async () => {
    await expect(renderRentCertificatePdf({ ...certificate, tenants: [] })).rejects.toThrow(/tenant/);
  });
});

const confirmation: ResidenceConfirmationInput = {
  locale: 'de',
  issuedOn: '2026-03-02',
  landlord,
  owner: {
    name: 'Grundstücksgesellschaft Musterstraße GbR',
    street: 'Am Markt 3',
    postalCode: '10178',
    city: 'Berlin',
    country: 'DE',
  },
  moveInDate: '2026-04-01',
  flat,
  residents: ['Jördis Müller-Größe', 'Lena Müller'],
};

describe('renderResidenceConfirmationPdf', () => {
  it('carries what § 19 (3) BMG requires: landlord, owner, move-in date, flat address, residents', async () => {
    const pdf = await renderResidenceConfirmationPdf(confirmation, { compress: false });
    expectPdf(pdf);
    const text = pdfText(pdf);
    for (const expected of [
      'Wohnungsgeberbestätigung',
      'nach § 19 des Bundesmeldegesetzes (BMG)',
      'Wohnungsbaugenossenschaft 1954 eG',
      'Hauptstraße 12',
      'Grundstücksgesellschaft Musterstraße GbR',
      '01.04.2026',
      'Musterstraße 1',
      '10117 Berlin',
      'Jördis Müller-Größe',
      'Lena Müller',
      'Unterschrift des Wohnungsgebers oder der beauftragten Person',
    ]) {
      expect(text).toContain(squeeze(expected));
    }
  });

  it('omits the owner when the landlord owns the flat, and speaks English and Swedish', async () => {
    const german = pdfText(
      await renderResidenceConfirmationPdf({ ...confirmation, owner: undefined }, { compress: false }),
    );
    expect(german).not.toContain('Eigentümer');
    const english = pdfText(
      await renderResidenceConfirmationPdf({ ...confirmation, locale: 'en' }, { compress: false }),
    );
    for (const expected of [
      "Landlord's confirmation of residence",
      'Move-in date',
      '01/04/2026',
      'Persons moving in',
    ]) {
      expect(english).toContain(squeeze(expected));
    }
    const swedish = pdfText(
      await renderResidenceConfirmationPdf({ ...confirmation, locale: 'sv' }, { compress: false }),
    );
    for (const expected of ['Hyresvärdens bekräftelse av inflyttning', 'Inflyttningsdatum', '2026-04-01']) {
      expect(swedish).toContain(squeeze(expected));
    }
  });

  it('needs someone moving in', async () => {
    await expect(renderResidenceConfirmationPdf({ ...confirmation, residents: [] })).rejects.toThrow(
      /resident/,
    );
  });
});
