import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_CONTRACT_NUMBERS } from '../../db/seed/demo-constants.ts';
import { contracts, documents, notifications } from '../../db/schema/index.ts';
import { matchContractNumber } from '../../server/services/staff/bulk-documents.ts';
import type { BulkPreviewResponse, StaffDocumentDto } from '../../shared/api/staff-documents.ts';
import { call, sessionCookieName, testOrigin } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { minimalPdf, pngWithAlpha } from '../fixtures/uploads/hostile.ts';

describe('staff documents', () => {
  const { app, db, session } = staffWorld(['tenant', 'staff', 'staffMalmo']);

  let pdfSeq = 0;
  /** Distinct bytes per upload: files are content-addressed. */
  async function upload(who: string, name: string, bytes?: Uint8Array): Promise<string> {
    const content = bytes ?? Buffer.concat([minimalPdf(), Buffer.from(`%${++pdfSeq}\n`)]);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), name);
    const res = await app.request('/api/uploads', {
      method: 'POST',
      body: form,
      headers: { origin: testOrigin, cookie: `${sessionCookieName}=${session[who]}` },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { attachment: { id: string } }).attachment.id;
  }
  const contractId = (number: string) =>
    db.select({ id: contracts.id }).from(contracts).where(eq(contracts.number, number)).get()!.id;
  const post = (who: string, path: string, json: unknown) =>
    call(app, `/api/staff/documents${path}`, { cookie: session[who], json });
  const tenantDocs = async () =>
    (
      (await (await call(app, '/api/documents', { cookie: session.tenant })).json()) as {
        documents: { id: string; title: string }[];
      }
    ).documents;

  it('matches contract numbers in file names, longest known number, bounded', () => {
    const numbers = ['1001-02-03', '1001-05-01', '2006-0101-01'];
    expect(matchContractNumber('NK-2025_1001-02-03.pdf', numbers)).toBe('1001-02-03');
    expect(matchContractNumber('NK 2025 2006-0101-01 Malmö.pdf', numbers)).toBe('2006-0101-01');
    expect(matchContractNumber('NK-2025_1001-02-031.pdf', numbers)).toBeNull();
    expect(matchContractNumber('scan.pdf', numbers)).toBeNull();
  });

  it('publishes one PDF to a contract, notifies, and shows delivery status after the first opening', async () => {
    const attachmentId = await upload('staff', 'Mieterhöhung.pdf');
    const res = await post('staff', '', {
      title: 'Mieterhöhung 2026',
      type: 'rent_change',
      scope: { kind: 'contract', id: contractId(DEMO_CONTRACT_NUMBERS.tenant) },
      attachmentId,
    });
    expect(res.status).toBe(201);
    const doc = ((await res.json()) as { document: StaffDocumentDto }).document;
    expect(doc.recipients.length).toBeGreaterThan(0);
    expect(doc.openedCount).toBe(0);
    expect(
      db.select().from(notifications).where(eq(notifications.template, 'document_published')).all().length,
    ).toBeGreaterThan(0);
    expect((await tenantDocs()).map((d) => d.id)).toContain(doc.id);

    expect((await call(app, `/api/documents/${doc.id}/file`, { cookie: session.tenant })).status).toBe(200);
    const listed = (
      (await (await call(app, '/api/staff/documents', { cookie: session.staff })).json()) as {
        documents: StaffDocumentDto[];
      }
    ).documents.find((d) => d.id === doc.id)!;
    expect(listed.openedCount).toBe(1);
    expect(listed.recipients.find((r) => r.openedAt !== null)!.name).toBe('Erika Mustermann');
  });

  it('bulk: previews matches and misses, then publishes all in one go', async () => {
    const files = [
      { name: `NK-2025_${DEMO_CONTRACT_NUMBERS.tenant}.pdf` },
      { name: `NK-2025_${DEMO_CONTRACT_NUMBERS.neighbour}.pdf` },
      { name: 'NK-2025_9999-99-99.pdf' },
      { name: 'Deckblatt.pdf' },
    ];
    const ids = await Promise.all(files.map((f) => upload('staff', f.name)));
    const photo = await upload(
      'staff',
      `NK-2025_${DEMO_CONTRACT_NUMBERS.cooperative}.png`,
      await pngWithAlpha(),
    );
    const preview = await post('staff', '/bulk/preview', {
      files: [
        ...ids.map((attachmentId) => ({ attachmentId })),
        { attachmentId: photo },
        { attachmentId: 'nope' },
      ],
    });
    expect(preview.status).toBe(200);
    const answer = (await preview.json()) as BulkPreviewResponse;
    expect(answer.matched.map((m) => m.contractNumber).sort()).toEqual(
      [DEMO_CONTRACT_NUMBERS.neighbour, DEMO_CONTRACT_NUMBERS.tenant].sort(),
    );
    expect(Object.fromEntries(answer.missed.map((m) => [m.attachmentId, m.reason]))).toEqual({
      [ids[2]!]: 'unknown_contract',
      [ids[3]!]: 'no_contract_number',
      [photo]: 'not_a_pdf',
      nope: 'unknown_attachment',
    });

    const before = db.select().from(documents).all().length;
    const res = await post('staff', '/bulk/publish', {
      type: 'operating_cost_statement',
      title: 'Betriebskostenabrechnung 2025 (Nachtrag)',
      items: answer.matched.map(({ attachmentId, contractId }) => ({ attachmentId, contractId })),
    });
    expect(res.status).toBe(201);
    expect(db.select().from(documents).all().length).toBe(before + 2);
    expect(
      (await tenantDocs()).filter((d) => d.title === 'Betriebskostenabrechnung 2025 (Nachtrag)'),
    ).toHaveLength(1);
  });

  it('bulk preview: someone else’s upload answers like an unknown id, without its file name', async () => {
    // Issue 13 finding 8: a fresh upload is readable only by its uploader until it is attached.
    const tenantPdf = await upload('tenant', `Kündigung-geheim-${DEMO_CONTRACT_NUMBERS.tenant}.pdf`);
    const colleaguePdf = await upload('staff', `Abmahnung-intern-${DEMO_CONTRACT_NUMBERS.tenant}.pdf`);
    const res = await post('staffMalmo', '/bulk/preview', {
      files: [{ attachmentId: tenantPdf }, { attachmentId: colleaguePdf }, { attachmentId: 'nope' }],
    });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as BulkPreviewResponse;
    expect(answer.matched).toEqual([]);
    expect(answer.missed).toEqual([
      { attachmentId: tenantPdf, fileName: tenantPdf, reason: 'unknown_attachment' },
      { attachmentId: colleaguePdf, fileName: colleaguePdf, reason: 'unknown_attachment' },
      { attachmentId: 'nope', fileName: 'nope', reason: 'unknown_attachment' },
    ]);
    // The Berlin colleague with the same scope as the tenant does not see the tenant's upload either.
    const colleague = (await (
      await post('staff', '/bulk/preview', { files: [{ attachmentId: tenantPdf }] })
    ).json()) as BulkPreviewResponse;
    expect(colleague).toEqual({
      matched: [],
      missed: [{ attachmentId: tenantPdf, fileName: tenantPdf, reason: 'unknown_attachment' }],
    });
  });

  it('keeps Malmö staff out of Berlin and other people’s uploads; validates', async () => {
    const berlinContract = contractId(DEMO_CONTRACT_NUMBERS.tenant);
    const malmoPdf = await upload('staffMalmo', `NK-2025_${DEMO_CONTRACT_NUMBERS.tenant}.pdf`);
    const staffPdf = await upload('staff', 'fremd.pdf');
    const doc = { title: 'Brief', type: 'letter', attachmentId: malmoPdf };
    expect(
      (await post('staffMalmo', '', { ...doc, scope: { kind: 'contract', id: berlinContract } })).status,
    ).toBe(404);
    const malmoContract = contractId(DEMO_CONTRACT_NUMBERS.malmoCommercial);
    expect(
      (
        await post('staffMalmo', '', {
          ...doc,
          attachmentId: staffPdf,
          scope: { kind: 'contract', id: malmoContract },
        })
      ).status,
    ).toBe(404);
    const preview = (await (
      await post('staffMalmo', '/bulk/preview', { files: [{ attachmentId: malmoPdf }] })
    ).json()) as BulkPreviewResponse;
    expect(preview.matched).toEqual([]);
    expect(preview.missed[0]!.reason).toBe('unknown_contract');
    const before = db.select().from(documents).all().length;
    const publish = await post('staffMalmo', '/bulk/publish', {
      type: 'operating_cost_statement',
      title: 'NK',
      items: [{ attachmentId: malmoPdf, contractId: berlinContract }],
    });
    expect(publish.status).toBe(404);
    expect(db.select().from(documents).all().length).toBe(before);
    const list = (
      (await (await call(app, '/api/staff/documents', { cookie: session.staffMalmo })).json()) as {
        documents: StaffDocumentDto[];
      }
    ).documents;
    expect(list.filter((d) => d.scope.id === berlinContract)).toEqual([]);

    expect(
      (await post('staffMalmo', '', { ...doc, scope: { kind: 'contract', id: malmoContract } })).status,
    ).toBe(201);
    expect(
      (await post('tenant', '', { ...doc, scope: { kind: 'contract', id: berlinContract } })).status,
    ).toBe(403);
    for (const bad of [
      { ...doc, type: 'novel', scope: { kind: 'contract', id: malmoContract } },
      { ...doc, scope: { kind: 'flat', id: malmoContract } },
      { ...doc, title: '', scope: { kind: 'contract', id: malmoContract } },
    ])
      expect((await post('staffMalmo', '', bad)).status).toBe(400);
    expect((await post('staff', '/bulk/preview', { files: [] })).status).toBe(400);
    expect((await post('staff', '/bulk/publish', { type: 'letter', title: 'x', items: [] })).status).toBe(
      400,
    );
  });
});
