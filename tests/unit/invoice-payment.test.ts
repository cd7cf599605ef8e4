import { describe, expect, it } from 'vitest';
import { invoiceQrPayload, renderInvoicePdf, type InvoicePdfInput } from '../../server/pdf/invoice.ts';
import {
  debitReturnOf,
  invoicePaymentOf,
  shortMaskedAccount,
  type InvoiceLedgerEntry,
} from '../../server/services/invoice-payment.ts';
import { pdfText } from '../helpers/pdf-text.ts';

const entry = (bookedOn: string, kind: InvoiceLedgerEntry['kind'], amount: number): InvoiceLedgerEntry => ({
  invoiceId: 'inv',
  bookedOn,
  kind,
  amount,
});

describe('debitReturnOf', () => {
  const charge = entry('2026-11-01', 'charge', 83550);
  const debit = entry('2026-11-04', 'payment', -83550);

  it('finds a debit offset by an entry of the same amount, and the fees booked from then on', () => {
    const reversal = entry('2026-11-06', 'adjustment', 83550);
    expect(debitReturnOf([charge, debit, reversal])).toEqual({
      debitedOn: '2026-11-04',
      returnedOn: '2026-11-06',
      fees: 0,
    });
    const fee = entry('2026-11-06', 'charge', 300);
    expect(debitReturnOf([charge, debit, fee, reversal])?.fees).toBe(300);
  });

  it('ignores a paid debit, a plain open invoice and a return followed by a successful payment', () => {
    expect(debitReturnOf([charge, debit])).toBeNull();
    expect(debitReturnOf([charge])).toBeNull();
    const reversal = entry('2026-11-06', 'adjustment', 83550);
    const transfer = entry('2026-11-10', 'payment', -83550);
    expect(debitReturnOf([charge, debit, reversal, transfer])).toBeNull();
  });

  it('does not take the invoice’s own charge for a reversal', () => {
    // A charge booked after an early part payment of the same amount is still the invoice's charge.
    expect(debitReturnOf([entry('2026-10-30', 'charge', 83550), debit])).toBeNull();
  });
});

describe('shortMaskedAccount', () => {
  it('keeps the country and the last four characters the store kept, hides the check digits', () => {
    expect(shortMaskedAccount('DE89 •••• •••• •••• •••• 00')).toBe('DE•• •••• ••00');
    expect(shortMaskedAccount('DE89 •••• •••• •••• ••12 34')).toBe('DE•• •••• 1234');
    expect(shortMaskedAccount('•••• •••• 5678')).toBe('•••• 5678');
    expect(shortMaskedAccount(null)).toBeNull();
  });
});

describe('invoicePaymentOf', () => {
  const contract = {
    currency: 'EUR',
    paymentMethod: 'direct_debit' as const,
    ibanMasked: null,
    mandateReference: null,
  };
  const invoice = { amount: 83550, dueOn: '2026-12-03', paidAt: null, paidAmount: null };

  it('tells paid, direct debit, transfer, returned and nothing due apart', () => {
    const paidAt = new Date('2026-12-03T09:00:00Z');
    expect(invoicePaymentOf({ ...invoice, paidAt }, contract, []).kind).toBe('paid');
    expect(invoicePaymentOf(invoice, contract, [])).toMatchObject({
      kind: 'direct_debit',
      debitOn: '2026-12-03',
    });
    expect(invoicePaymentOf(invoice, { ...contract, paymentMethod: 'transfer' }, [])).toEqual({
      kind: 'transfer',
      amountDue: 83550,
    });
    expect(invoicePaymentOf({ ...invoice, amount: 0 }, contract, []).kind).toBe('nothing_due');
    expect(
      invoicePaymentOf({ ...invoice, paidAmount: 50000 }, { ...contract, paymentMethod: 'transfer' }, []),
    ).toEqual({ kind: 'transfer', amountDue: 33550 });
    expect(invoicePaymentOf(invoice, { ...contract, currency: 'SEK' }, [])).toMatchObject({
      scheme: 'autogiro',
    });
  });
});

const base: InvoicePdfInput = {
  locale: 'de',
  landlord: {
    name: 'Portier Wohnen eG',
    street: 'Musterstraße 1',
    postalCode: '10115',
    city: 'Berlin',
    country: 'DE',
    iban: 'DE02120300000000202051',
    bic: 'BYLADEM1001',
    creditorId: 'DE98ZZZ09999999999',
  },
  recipient: {
    name: 'Erika Mustermann',
    street: 'Musterstraße 1',
    postalCode: '10115',
    city: 'Berlin',
    country: 'DE',
  },
  invoice: {
    number: '1001-02-03-202612',
    periodStart: '2026-12-01',
    periodEnd: '2026-12-31',
    issuedOn: '2026-11-20',
    dueOn: '2026-12-03',
    amount: 83550,
    currency: 'EUR',
    paymentReference: 'RE-2026-12-10010201',
  },
  lines: [],
  contractNumber: '1001-02-03',
  unitLabel: 'Musterstraße 1, 1.02',
};

/** The PDF's text without the line breaks pdfkit wraps at, with WinAnsi "•" and "€" read back. */
async function render(input: InvoicePdfInput) {
  const pdf = await renderInvoicePdf(input);
  const text = pdfText(pdf).replaceAll('\x95', '•').replaceAll('\x80', '€').replace(/\s+/g, '');
  return { text, qr: pdf.includes('/Subtype /Image') };
}
const squeeze = (text: string) => text.replace(/\s+/g, '');

describe('invoice PDF by payment', () => {
  it('direct debit: the debit sentence, the mandate, no transfer text and no QR code', async () => {
    const input: InvoicePdfInput = {
      ...base,
      payment: {
        kind: 'direct_debit',
        scheme: 'sepa',
        debitOn: '2026-12-03',
        debitCollected: false,
        accountMasked: 'DE•• •••• 1234',
        mandateReference: 'M-1001-02-03',
      },
    };
    const { text, qr } = await render(input);
    expect(text).toContain(
      squeeze('Der Betrag von 835,50 € wird am 03.12.2026 von DE•• •••• 1234 abgebucht.'),
    );
    expect(text).toContain('M-1001-02-03');
    expect(text).toContain('DE98ZZZ09999999999');
    expect(text).not.toMatch(/überweisen|Verwendungszweck|IBAN|BankingApp/);
    expect(qr).toBe(false);
    expect(invoiceQrPayload(input)).toBeNull();
  });

  it('paid: the payment date, no payment code and no transfer text', async () => {
    const { text, qr } = await render({
      ...base,
      payment: { kind: 'paid', paidOn: '2026-12-03', amount: 83550 },
    });
    expect(text).toContain(squeeze('Diese Rechnung wurde am 03.12.2026 bezahlt.'));
    expect(text).not.toMatch(/überweisen|Verwendungszweck|IBAN|abgebucht/);
    expect(qr).toBe(false);
  });

  it('returned debit: what happened, the fees and a transfer of the amount due with its QR code', async () => {
    const input: InvoicePdfInput = {
      ...base,
      locale: 'en',
      payment: {
        kind: 'debit_returned',
        scheme: 'sepa',
        debitedOn: '2026-11-04',
        returnedOn: '2026-11-06',
        fees: 300,
        amountDue: 83850,
      },
    };
    const { text, qr } = await render(input);
    expect(text).toContain(squeeze('Your bank returned the direct debit of 04/11/2026 on 06/11/2026'));
    expect(text).toContain(squeeze('fees of €3.00'));
    expect(text).toContain(squeeze('Please transfer €838.50 now'));
    expect(text).toContain('RE-2026-12-10010201');
    expect(qr).toBe(true);
    expect(invoiceQrPayload(input)).toContain('EUR838.50');
  });

  it('SEK autogiro: no OCR line, no bankgiro and no QR code', async () => {
    const { text, qr } = await render({
      ...base,
      locale: 'sv',
      landlord: { ...base.landlord, bankgiro: '5050-1055', creditorId: undefined },
      invoice: { ...base.invoice, currency: 'SEK', amount: 1234550, paymentReference: '10002342026048' },
      payment: {
        kind: 'direct_debit',
        scheme: 'autogiro',
        debitOn: '2026-12-30',
        debitCollected: false,
        accountMasked: '•••• 1234',
        mandateReference: '20060001',
      },
    });
    expect(text).toContain(squeeze('dras från •••• 1234 den 2026-12-30'));
    expect(text).toContain('Betalarnummer');
    expect(text).not.toMatch(/#41#|Bankgiro|OCR-nummer/);
    expect(qr).toBe(false);
  });
});
