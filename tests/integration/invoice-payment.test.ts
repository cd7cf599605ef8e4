import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { insertLedgerEntries } from '../../db/repositories/ledger.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type { ContractDetailResponse } from '../../shared/api/contracts.ts';
import type {
  InvoiceDetailDto,
  InvoiceDetailResponse,
  InvoiceSummaryDto,
  InvoicesListResponse,
} from '../../shared/api/invoices.ts';
import { createTestWorld } from '../helpers/context.ts';
import { testTables } from '../helpers/tables.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { pdfText } from '../helpers/pdf-text.ts';

/**
 * Issue 16 "payment truth": what an invoice asks of the tenant follows the contract's payment method
 * and the invoice's state. The clock is fixed on 1 December 2026, so Erika's December invoice (due on
 * the 3rd) is still to be debited and her November debit has already come back (server/demo/ledger.ts).
 */
describe('invoice payment by method and state', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  const sessions: Record<string, string> = {};
  const { contracts, invoices } = testTables;
  const setInvoice = async (id: string, values: Partial<typeof invoices.$inferInsert>) => {
    await ctx.deps.db.update(invoices).set(values).where(eq(invoices.id, id));
  };
  const setContract = async (id: string, values: Partial<typeof contracts.$inferInsert>) => {
    await ctx.deps.db.update(contracts).set(values).where(eq(contracts.id, id));
  };
  const get = (path: string, who: string) => call(app, path, { cookie: sessions[who] });
  const listOf = async (who: string) =>
    ((await (await get('/api/invoices?unpaid=false', who)).json()) as InvoicesListResponse).invoices;
  const detailOf = async (id: string, who: string): Promise<InvoiceDetailDto> => {
    const res = await get(`/api/invoices/${id}`, who);
    expect(res.status).toBe(200);
    return ((await res.json()) as InvoiceDetailResponse).invoice;
  };
  const pdfOf = async (id: string, who: string, lang = 'de') => {
    const res = await get(`/api/invoices/${id}/pdf?lang=${lang}`, who);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    // Helvetica writes "•" and "€" as WinAnsi 0x95 and 0x80; compare without the line breaks pdfkit wraps at.
    const text = pdfText(bytes).replaceAll('\x95', '•').replaceAll('\x80', '€').replace(/\s+/g, '');
    return { text, hasImage: bytes.includes('/Subtype /Image') };
  };
  const compact = (text: string) => text.replace(/\s+/g, '');
  const byPeriod = (list: InvoiceSummaryDto[], month: string) =>
    list.find((invoice) => invoice.periodStart === `${month}-01`)!;

  beforeAll(async () => {
    ctx.deps.now = () => new Date('2026-12-01T09:00:00Z');
    await seedDemo(ctx.deps);
    for (const who of ['tenant', 'neighbour', 'butik'] as const) {
      sessions[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
    }
  });
  afterAll(() => ctx.close());

  it('direct debit, open: the debit date and the masked account, no payment code or creditor-less text', async () => {
    const december = byPeriod(await listOf('tenant'), '2026-12');
    expect(december.payment).toEqual({
      kind: 'direct_debit',
      scheme: 'sepa',
      debitOn: december.dueOn,
      accountMasked: 'DE•• •••• 2740',
      mandateReference: `M-${DEMO_CONTRACT_NUMBERS.tenant}-01`,
    });
    const detail = await detailOf(december.id, 'tenant');
    // Nothing to transfer: not even the landlord's account goes out.
    expect(detail.payee).toBeNull();
    expect(detail.qrPayload).toBeNull();
    expect(detail.ocrLine).toBeNull();
    expect(detail.creditorId).toBe('DE98ZZZ09999999999');

    const pdf = await pdfOf(december.id, 'tenant');
    expect(pdf.text).toContain(compact('wird am 03.12.2026 von DE•• •••• 2740 abgebucht'));
    expect(pdf.text).toContain(compact(`M-${DEMO_CONTRACT_NUMBERS.tenant}-01`));
    expect(pdf.text).toContain('SEPA-Lastschrift');
    // The letter's footer names the landlord's bank; the payment part asks for no transfer.
    expect(pdf.text).not.toMatch(/überweisen|Verwendungszweck|Empfänger/);
    expect(pdf.hasImage).toBe(false);
  });

  it('shows the mandate the demo records on the contract, and a changed one on the pre-notification', async () => {
    const seeded = byPeriod(await listOf('tenant'), '2026-12');
    const seededContract = (
      (await (await get(`/api/contracts/${seeded.contractId}`, 'tenant')).json()) as ContractDetailResponse
    ).contract;
    expect(seededContract.payment.mandate).toMatchObject({
      reference: `M-${DEMO_CONTRACT_NUMBERS.tenant}-01`,
      accountMasked: 'DE•• •••• 2740',
    });
    expect(seededContract.payment.mandate?.signedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const december = byPeriod(await listOf('tenant'), '2026-12');
    await setContract(december.contractId, {
      mandateReference: 'M-1001-02-03',
      mandateSignedOn: '2016-03-15',
    });
    const contract = (
      (await (await get(`/api/contracts/${december.contractId}`, 'tenant')).json()) as ContractDetailResponse
    ).contract;
    expect(contract.payment.mandate).toEqual({
      scheme: 'sepa',
      reference: 'M-1001-02-03',
      signedOn: '2016-03-15',
      accountMasked: 'DE•• •••• 2740',
      accountHolder: 'Erika Mustermann',
    });
    expect((await detailOf(december.id, 'tenant')).payment).toMatchObject({
      mandateReference: 'M-1001-02-03',
    });
    const pdf = await pdfOf(december.id, 'tenant', 'en');
    expect(pdf.text).toContain('M-1001-02-03');
    expect(pdf.text).toContain('DE98ZZZ09999999999');
    expect(pdf.text).toContain(compact('will be debited from DE•• •••• 2740 on 03/12/2026'));
  });

  it('returned debit: what happened, the fees the ledger shows and a transfer code for the amount due', async () => {
    const november = byPeriod(await listOf('tenant'), '2026-11');
    expect(november.status).toBe('overdue');
    expect(november.payment).toEqual({
      kind: 'debit_returned',
      scheme: 'sepa',
      debitedOn: november.dueOn,
      returnedOn: '2026-11-06',
      fees: 0,
      amountDue: november.amount,
    });
    await insertLedgerEntries(ctx.deps.db, [
      {
        contractId: november.contractId,
        bookedOn: '2026-11-06',
        kind: 'charge',
        description: 'Gebühr Rücklastschrift',
        amount: 300,
        invoiceId: november.id,
      },
    ]);
    const detail = await detailOf(november.id, 'tenant');
    expect(detail.payment).toMatchObject({
      kind: 'debit_returned',
      fees: 300,
      amountDue: november.amount + 300,
    });
    const [, , , , , , iban, amount] = detail.qrPayload!.split('\n');
    expect(iban).toBe('DE02120300000000202051');
    expect(amount).toBe(`EUR${((november.amount + 300) / 100).toFixed(2)}`);
    expect(detail.ocrLine).toBeNull();

    const pdf = await pdfOf(november.id, 'tenant');
    expect(pdf.text).toContain('Rücklastschrift');
    expect(pdf.text).toContain(compact('die Lastschrift vom 04.11.2026 am 06.11.2026 zurückgegeben'));
    expect(pdf.text).toContain(compact('3,00 € Gebühren'));
    expect(pdf.text).toContain(
      compact(`Bitte überweisen Sie jetzt ${((november.amount + 300) / 100).toFixed(2).replace('.', ',')}`),
    );
    expect(pdf.text).toContain('DE021203');
    expect(pdf.hasImage).toBe(true);
  });

  it('paid: the payment date and no payment code at all', async () => {
    const october = byPeriod(await listOf('tenant'), '2026-10');
    expect(october.payment).toEqual({ kind: 'paid', paidAt: october.paidAt });
    const detail = await detailOf(october.id, 'tenant');
    expect(detail.payee).toBeNull();
    expect(detail.qrPayload).toBeNull();
    expect(detail.ocrLine).toBeNull();
    expect(detail.creditorId).toBeNull();
    const pdf = await pdfOf(october.id, 'tenant');
    expect(pdf.text).toContain('Bezahltam');
    expect(pdf.text).not.toMatch(/überweisen|Verwendungszweck|Empfänger|abgebucht/);
    expect(pdf.hasImage).toBe(false);
  });

  it('standing order, open: amount, due date and the account to check it against, no payment code', async () => {
    const december = byPeriod(await listOf('neighbour'), '2026-12');
    await setInvoice(december.id, { paidAt: null, paidAmount: null });
    const contract = (
      (await (
        await get(`/api/contracts/${december.contractId}`, 'neighbour')
      ).json()) as ContractDetailResponse
    ).contract;
    expect(contract.payment).toMatchObject({ method: 'standing_order', mandate: null });
    const detail = await detailOf(december.id, 'neighbour');
    expect(detail.payment).toEqual({ kind: 'standing_order', amountDue: detail.amount, dueOn: detail.dueOn });
    expect(detail.payee).toMatchObject({ iban: 'DE02120300000000202051' });
    expect([detail.qrPayload, detail.ocrLine, detail.creditorId]).toEqual([null, null, null]);
    const pdf = await pdfOf(december.id, 'neighbour');
    expect(pdf.text).toContain('Dauerauftrag');
    expect(pdf.text).toContain(compact('Bitte prüfen Sie, ob er'));
    expect(pdf.text).toContain(compact(detail.paymentReference));
    expect(pdf.text).not.toMatch(/Bitteüberweisen|abgebucht/);
    expect(pdf.hasImage).toBe(false);
  });

  it('standing order past its due date unpaid: a transfer now, and the PDF names no date gone by', async () => {
    const december = byPeriod(await listOf('neighbour'), '2026-12');
    await setInvoice(december.id, { dueOn: '2026-11-27' });
    try {
      const detail = await detailOf(december.id, 'neighbour');
      expect(detail.status).toBe('overdue');
      expect(detail.payment).toEqual({ kind: 'transfer', amountDue: detail.amount });
      expect(detail.qrPayload).not.toBeNull();
      const pdf = await pdfOf(december.id, 'neighbour');
      expect(pdf.text).toContain(compact('Bitte überweisen Sie jetzt'));
      expect(pdf.text).not.toContain(compact('bis zum 27.11.2026'));
      const en = await pdfOf(december.id, 'neighbour', 'en');
      expect(en.text).toContain(compact('Please transfer'));
      expect(en.text).not.toContain(compact('by 27/11/2026'));
    } finally {
      await setInvoice(december.id, { dueOn: december.dueOn });
    }
  });

  it('transfer, open: QR, IBAN, BIC, amount and reference', async () => {
    const december = byPeriod(await listOf('neighbour'), '2026-12');
    await setContract(december.contractId, { paymentMethod: 'transfer' });
    const detail = await detailOf(december.id, 'neighbour');
    expect(detail.payment).toEqual({ kind: 'transfer', amountDue: detail.amount });
    expect(detail.payee).toMatchObject({ iban: 'DE02120300000000202051', bic: 'BYLADEM1001' });
    const qr = detail.qrPayload!.split('\n');
    expect(qr.slice(0, 4)).toEqual(['BCD', '002', '1', 'SCT']);
    expect(qr).toContain(detail.paymentReference);
    expect(detail.creditorId).toBeNull();
    const pdf = await pdfOf(december.id, 'neighbour');
    expect(pdf.text).toContain('Bitteüberweisen');
    expect(pdf.text).toContain(compact(detail.paymentReference));
    expect(pdf.text).not.toContain('abgebucht');
    expect(pdf.hasImage).toBe(true);
  });

  it('SEK: bankgiro, OCR line and QR for a transfer; none of them once paid', async () => {
    const [newest, previous] = (await listOf('butik')).filter(
      (invoice) => invoice.contractNumber === DEMO_CONTRACT_NUMBERS.malmoCommercial,
    );
    expect(previous!.payment.kind).toBe('paid');
    const paid = await detailOf(previous!.id, 'butik');
    expect([paid.qrPayload, paid.ocrLine]).toEqual([null, null]);
    const paidPdf = await pdfOf(previous!.id, 'butik', 'sv');
    expect(paidPdf.text).toContain('Betald');
    expect(paidPdf.text).not.toMatch(/#41#|OCR-nummer|Mottagare/);
    expect(paidPdf.hasImage).toBe(false);

    await setInvoice(newest!.id, { paidAt: null, paidAmount: null });
    const open = await detailOf(newest!.id, 'butik');
    expect(open.payment).toEqual({ kind: 'transfer', amountDue: open.amount });
    expect(open.payee).toMatchObject({ bankgiro: '5050-1055', iban: null });
    expect(open.ocrLine).toMatch(/>\s+50501055#41#$/);
    expect(JSON.parse(open.qrPayload!)).toMatchObject({ pt: 'BG', iref: open.paymentReference });
    const openPdf = await pdfOf(newest!.id, 'butik', 'sv');
    expect(openPdf.text).toContain('#41#');
    expect(openPdf.hasImage).toBe(true);
  });

  it('SEK autogiro: collected from the account, no bankgiro slip, the payer number on the contract', async () => {
    const [newest] = (await listOf('butik')).filter(
      (invoice) => invoice.contractNumber === DEMO_CONTRACT_NUMBERS.malmoCommercial,
    );
    await setContract(newest!.contractId, {
      paymentMethod: 'direct_debit',
      ibanMasked: 'SE45 •••• •••• •••• •••• •123 4',
      mandateReference: '20060001',
      mandateSignedOn: '2024-02-01',
    });
    const detail = await detailOf(newest!.id, 'butik');
    expect(detail.payment).toEqual({
      kind: 'direct_debit',
      scheme: 'autogiro',
      debitOn: detail.dueOn,
      accountMasked: 'SE•• •••• 1234',
      mandateReference: '20060001',
    });
    expect([detail.qrPayload, detail.ocrLine, detail.creditorId]).toEqual([null, null, null]);
    const pdf = await pdfOf(newest!.id, 'butik', 'sv');
    expect(pdf.text).toContain('Autogiro');
    // Due on 30 November, the last working day before the month: already collected on 1 December.
    expect(pdf.text).toContain(compact('drogs från SE•• •••• 1234'));
    expect(pdf.text).not.toMatch(/#41#|OCR-nummer|Mottagare/);
    expect(pdf.hasImage).toBe(false);
    const contract = (
      (await (await get(`/api/contracts/${newest!.contractId}`, 'butik')).json()) as ContractDetailResponse
    ).contract;
    expect(contract.payment.mandate).toMatchObject({ scheme: 'autogiro', reference: '20060001' });
  });

  it("answers 404 for someone else's invoice, its PDF and its contract's mandate", async () => {
    const [theirs] = await listOf('neighbour');
    for (const path of [
      `/api/invoices/${theirs!.id}`,
      `/api/invoices/${theirs!.id}/pdf`,
      `/api/contracts/${theirs!.contractId}`,
    ]) {
      const res = await get(path, 'tenant');
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });
});
