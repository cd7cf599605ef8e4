import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import {
  DEMO_CONTRACT_NUMBERS,
  DEMO_INVOICE_MONTHS,
  DEMO_LOGINS,
  DEMO_PASSWORD,
  DEMO_TENANT_UNPAID_INVOICES,
} from '../../server/demo/demo-constants.ts';
import { isValidOcr } from '../../server/pdf/ocr.ts';
import { pdfText } from '../helpers/pdf-text.ts';
import type { InvoiceDetailResponse, InvoicesListResponse } from '../../shared/api/invoices.ts';
import { createTestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { countStatements } from '../helpers/statement-count.ts';
import { testTables } from '../helpers/tables.ts';

describe('/api/invoices', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  const sessions: Record<string, string> = {};
  const get = (path: string, who: string) => call(app, path, { cookie: sessions[who] });
  const listOf = async (path: string, who = 'tenant') =>
    ((await (await get(path, who)).json()) as InvoicesListResponse).invoices;

  beforeAll(async () => {
    await seedDemo(ctx.deps);
    for (const who of ['tenant', 'neighbour', 'householdMember', 'staff'] as const) {
      sessions[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
    }
    // Öresund Design AB, main tenant of the SEK lease (API.md `butik@…`).
    sessions.malmo = await loginAs(app, DEMO_LOGINS.butik, DEMO_PASSWORD);
  });
  afterAll(() => ctx.close());

  it('lists only the unpaid invoices by default and all with unpaid=false', async () => {
    const unpaid = await listOf('/api/invoices');
    expect(unpaid).toHaveLength(DEMO_TENANT_UNPAID_INVOICES);
    expect(unpaid.every((invoice) => invoice.paidAt === null && invoice.status !== 'paid')).toBe(true);
    expect(await listOf('/api/invoices?unpaid=true')).toEqual(unpaid);
    const all = await listOf('/api/invoices?unpaid=false');
    expect(all).toHaveLength(DEMO_INVOICE_MONTHS);
    expect(all[0]).toMatchObject({ contractNumber: DEMO_CONTRACT_NUMBERS.tenant, currency: 'EUR' });
    const periods = all.map((invoice) => invoice.periodStart);
    expect([...periods].sort().reverse()).toEqual(periods);
    const paid = all.filter((invoice) => invoice.status === 'paid');
    expect(paid).toHaveLength(DEMO_INVOICE_MONTHS - DEMO_TENANT_UNPAID_INVOICES);
    expect(paid.every((invoice) => typeof invoice.paidAt === 'string')).toBe(true);
    // The returned direct debit's invoice is past due.
    expect(unpaid.some((invoice) => invoice.status === 'overdue')).toBe(true);
  });

  it('filters by contractId and answers 404 for a foreign one', async () => {
    const [first] = await listOf('/api/invoices?unpaid=false');
    const filtered = await listOf(`/api/invoices?unpaid=false&contractId=${first!.contractId}`);
    expect(filtered).toHaveLength(DEMO_INVOICE_MONTHS);
    const [neighbours] = await listOf('/api/invoices?unpaid=false', 'neighbour');
    const foreign = await get(`/api/invoices?contractId=${neighbours!.contractId}`, 'tenant');
    expect(foreign.status).toBe(404);
  });

  it('shows an EUR direct-debit invoice with lines, and no payee, GiroCode or OCR line', async () => {
    const [invoice] = await listOf('/api/invoices');
    const res = await get(`/api/invoices/${invoice!.id}`, 'tenant');
    expect(res.status).toBe(200);
    const { invoice: detail } = (await res.json()) as InvoiceDetailResponse;
    expect(detail.lines.reduce((sum, line) => sum + line.amount, 0)).toBe(detail.amount);
    expect(detail.lines.map((line) => line.kind)).toContain('net_rent');
    // Erika pays by direct debit: the landlord's account is nothing she needs (issue 16).
    expect(detail.payee).toBeNull();
    // Erika pays by direct debit: a GiroCode would invite paying twice (issue 16); see invoice-payment.test.ts.
    expect(detail.payment.kind).toBe('direct_debit');
    expect(detail.qrPayload).toBeNull();
    expect(detail.ocrLine).toBeNull();
    expect(detail.pdfUrl).toBe(`/api/invoices/${detail.id}/pdf`);
  });

  it('renders the invoice PDF, also for the read-only household member', async () => {
    const [invoice] = await listOf('/api/invoices');
    for (const who of ['tenant', 'householdMember']) {
      const res = await get(`/api/invoices/${invoice!.id}/pdf?lang=en`, who);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="invoice-/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
    }
    expect(await listOf('/api/invoices', 'householdMember')).toHaveLength(DEMO_TENANT_UNPAID_INVOICES);
  });

  it('gives a Malmö SEK invoice a valid OCR reference, a bankgiro OCR line and the Swedish QR', async () => {
    const invoices = await listOf('/api/invoices?unpaid=false', 'malmo');
    const invoice = invoices.find((row) => row.contractNumber === DEMO_CONTRACT_NUMBERS.malmoCommercial)!;
    expect(invoice.currency).toBe('SEK');
    // The demo lease is paid up; the payment slip belongs to an open invoice only (issue 16).
    await ctx.deps.db
      .update(testTables.invoices)
      .set({ paidAt: null, paidAmount: null })
      .where(eq(testTables.invoices.id, invoice.id));
    const { invoice: detail } = (await (
      await get(`/api/invoices/${invoice.id}`, 'malmo')
    ).json()) as InvoiceDetailResponse;
    expect(isValidOcr(detail.paymentReference)).toBe(true);
    expect(detail.ocrLine).toContain(`# ${detail.paymentReference} #`);
    expect(detail.ocrLine).toMatch(/>\s+50501055#41#$/);
    expect(detail.payee).toMatchObject({ bankgiro: '5050-1055', iban: null });
    // The payee is the Swedish office and its country Sweden, not the head office's (issue 17).
    expect(JSON.parse(detail.qrPayload!)).toMatchObject({
      uqr: 1,
      nme: 'Portier Bostad Sverige AB',
      cc: 'SE',
      pt: 'BG',
      acc: '5050-1055',
      cur: 'SEK',
    });
    expect(detail.lines.map((line) => line.kind)).toContain('vat');
    const pdf = await get(`/api/invoices/${invoice.id}/pdf`, 'malmo');
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-disposition')).toMatch(/filename="hyresavi-/);
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    // Sent from Malmö, with the seller's VAT number on an invoice that charges moms (17 kap. 24 § ML).
    const text = pdfText(bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Utlandagatan 6 · 212 14 Malmö');
    expect(text).toContain('Momsreg.nr SE559999999101');
    expect(text).not.toContain('Lägenhet');
    expect(text).not.toContain('+49');
  });

  it("answers 404 for the neighbour's invoices, missing and malformed ids", async () => {
    const [theirs] = await listOf('/api/invoices?unpaid=false', 'neighbour');
    for (const id of [theirs!.id, 'doesnotexist', 'y'.repeat(5000), '..%2F..']) {
      for (const suffix of ['', '/pdf']) {
        const res = await get(`/api/invoices/${id}${suffix}`, 'tenant');
        expect(res.status, `${id.slice(0, 20)}${suffix}`).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
      }
    }
  });

  it('refuses bad query values with 4xx, never 500', async () => {
    const [invoice] = await listOf('/api/invoices');
    for (const path of [
      '/api/invoices?unpaid=maybe',
      '/api/invoices?unpaid=',
      `/api/invoices?contractId=${'z'.repeat(500)}`,
      `/api/invoices/${invoice!.id}/pdf?lang=fr`,
    ]) {
      const res = await get(path, 'tenant');
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
    expect((await get('/api/invoices?unpaid=maybe', 'tenant')).status).toBe(400);
  });

  it('answers 401 without a session and 403 to staff', async () => {
    const [invoice] = await listOf('/api/invoices');
    for (const path of [
      '/api/invoices',
      `/api/invoices/${invoice!.id}`,
      `/api/invoices/${invoice!.id}/pdf`,
    ]) {
      expect((await call(app, path)).status).toBe(401);
      const staff = await get(path, 'staff');
      expect(staff.status).toBe(403);
      expect(await staff.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
  });

  it('lists all invoices in a bounded number of statements', async () => {
    const statements = countStatements(ctx.deps.db);
    try {
      const [invoice] = await listOf('/api/invoices');
      // 24 invoices, yet: session, scope (2), the invoice query, the ledger: 5; the detail adds a
      // fixed handful (rent, units, parties, eight settings): 16. On SQLite the read transaction's
      // BEGIN and COMMIT come on top.
      const bounds: [string, number][] = [
        ['/api/invoices?unpaid=false', 10],
        [`/api/invoices/${invoice!.id}`, 20],
      ];
      for (const [path, bound] of bounds) {
        statements.reset();
        expect((await get(path, 'tenant')).status).toBe(200);
        expect(statements.count, path).toBeLessThanOrEqual(bound);
      }
    } finally {
      statements.stop();
    }
  });
});
