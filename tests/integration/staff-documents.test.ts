import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEMO_CONTRACT_NUMBERS, DEMO_CUSTOMER_NUMBERS } from '../../server/demo/demo-constants.ts';
import { matchContractNumber } from '../../server/services/documents/staff-bulk.ts';
import type {
  BulkPreviewResponse,
  DocumentRecipientOptionDto,
  StaffDocumentDto,
} from '../../shared/api/staff-documents.ts';
import { call, sessionCookieName, testOrigin } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { testTables } from '../helpers/tables.ts';
import { minimalPdf, pngWithAlpha } from '../fixtures/uploads/hostile.ts';

const { contracts, documents, notifications } = testTables;

describe('staff documents', async () => {
  const { app, db, session } = await staffWorld(['tenant', 'staff', 'staffMalmo']);

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
  const contractId = async (number: string) =>
    (await db.select({ id: contracts.id }).from(contracts).where(eq(contracts.number, number)))[0]!.id;
  const documentCount = async () => (await db.select().from(documents)).length;
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
      scope: { kind: 'contract', id: await contractId(DEMO_CONTRACT_NUMBERS.tenant) },
      attachmentId,
    });
    expect(res.status).toBe(201);
    const doc = ((await res.json()) as { document: StaffDocumentDto }).document;
    expect(doc.recipients.length).toBeGreaterThan(0);
    expect(doc.openedCount).toBe(0);
    expect(
      (await db.select().from(notifications).where(eq(notifications.template, 'document_published'))).length,
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

    const before = await documentCount();
    const res = await post('staff', '/bulk/publish', {
      type: 'operating_cost_statement',
      title: 'Betriebskostenabrechnung 2025 (Nachtrag)',
      items: answer.matched.map(({ attachmentId, contractId }) => ({ attachmentId, contractId })),
    });
    expect(res.status).toBe(201);
    expect(await documentCount()).toBe(before + 2);
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
    const berlinContract = await contractId(DEMO_CONTRACT_NUMBERS.tenant);
    const malmoPdf = await upload('staffMalmo', `NK-2025_${DEMO_CONTRACT_NUMBERS.tenant}.pdf`);
    const staffPdf = await upload('staff', 'fremd.pdf');
    const doc = { title: 'Brief', type: 'letter', attachmentId: malmoPdf };
    expect(
      (await post('staffMalmo', '', { ...doc, scope: { kind: 'contract', id: berlinContract } })).status,
    ).toBe(404);
    const malmoContract = await contractId(DEMO_CONTRACT_NUMBERS.malmoCommercial);
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
    const before = await documentCount();
    const publish = await post('staffMalmo', '/bulk/publish', {
      type: 'operating_cost_statement',
      title: 'NK',
      items: [{ attachmentId: malmoPdf, contractId: berlinContract }],
    });
    expect(publish.status).toBe(404);
    expect(await documentCount()).toBe(before);
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

  describe('recipient search (issue 15 item 9)', () => {
    const search = (who: string, query: string) =>
      call(app, `/api/staff/documents/recipients${query}`, { cookie: session[who] });
    const found = async (who: string, q: string) => {
      const res = await search(who, `?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { recipients: DocumentRecipientOptionDto[] }).recipients;
    };

    it('finds a tenant by contract number, customer number and full name', async () => {
      const byContract = await found('staff', DEMO_CONTRACT_NUMBERS.tenant);
      expect(byContract.map((r) => r.contractNumber)).toEqual(
        expect.arrayContaining([DEMO_CONTRACT_NUMBERS.tenant]),
      );
      expect(byContract.every((r) => r.contractNumber === DEMO_CONTRACT_NUMBERS.tenant)).toBe(true);
      const erika = byContract.find((r) => r.name === 'Erika Mustermann')!;
      expect(erika).toMatchObject({
        customerNumber: DEMO_CUSTOMER_NUMBERS.tenant,
        contractId: await contractId(DEMO_CONTRACT_NUMBERS.tenant),
      });
      expect(erika.address).toContain('Berlin');
      expect((await found('staff', DEMO_CUSTOMER_NUMBERS.tenant)).map((r) => r.personId)).toEqual([
        erika.personId,
      ]);
      // Words across first and last name, in any case.
      expect((await found('staff', 'erika MUSTERMANN')).map((r) => r.personId)).toContain(erika.personId);
      expect(await found('staff', 'Niemand Sonstwer')).toEqual([]);
      // `%` and `_` are searched literally, not as wildcards.
      expect(await found('staff', '%%')).toEqual([]);
    });

    it('keeps to the staff member’s buildings: Malmö staff never find Berlin tenants', async () => {
      expect(await found('staffMalmo', DEMO_CONTRACT_NUMBERS.tenant)).toEqual([]);
      expect(await found('staffMalmo', 'Mustermann')).toEqual([]);
      expect(await found('staffMalmo', DEMO_CUSTOMER_NUMBERS.tenant)).toEqual([]);
      const butik = await found('staffMalmo', DEMO_CONTRACT_NUMBERS.malmoCommercial);
      expect(butik.map((r) => r.customerNumber)).toContain(DEMO_CUSTOMER_NUMBERS.butik);
      // What the search offers is what publishing accepts: the found person takes a document.
      const attachmentId = await upload('staffMalmo', 'Hyresavi.pdf');
      const res = await post('staffMalmo', '', {
        title: 'Hyresavi',
        type: 'letter',
        scope: { kind: 'person', id: butik[0]!.personId },
        attachmentId,
      });
      expect(res.status).toBe(201);
      expect(
        (await call(app, '/api/staff/documents/recipients?q=ab', { cookie: session.tenant })).status,
      ).toBe(403);
    });

    it('answers 400 for a missing, too short, too long or unknown query', async () => {
      for (const query of ['', '?q=', '?q=%20a%20', `?q=${'x'.repeat(101)}`, '?q=Erika&limit=5000']) {
        const res = await search('staff', query);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
      }
    });
  });
});
