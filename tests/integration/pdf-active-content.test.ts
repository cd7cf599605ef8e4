import { eq } from 'drizzle-orm';
import { PDFDocument, PDFName, PDFString, type PDFObject } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { DEMO_CONTRACT_NUMBERS } from '../../server/demo/demo-constants.ts';
import { testTables } from '../helpers/tables.ts';
import type { StaffDocumentDto } from '../../shared/api/staff-documents.ts';
import { call, sessionCookieName, testOrigin } from '../helpers/auth.ts';
import { staffWorld } from '../helpers/staff-world.ts';
import { minimalPdf } from '../fixtures/uploads/hostile.ts';

const { contracts } = testTables;

/**
 * A PDF carrying every kind of active content a viewer may run or open: JavaScript on open, in the
 * document's JavaScript name tree and on a page event, a launch action behind a link, an embedded
 * executable. One harmless web link beside it must survive.
 */
async function pdfWithActiveContent(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  const page = document.addPage([200, 200]);
  const context = document.context;
  const script = (code: string) =>
    context.register(context.obj({ Type: 'Action', S: 'JavaScript', JS: PDFString.of(code) }));
  document.catalog.set(PDFName.of('OpenAction'), script('app.alert("on open")'));
  document.catalog.set(
    PDFName.of('Names'),
    context.obj({
      JavaScript: context.register(context.obj({ Names: [PDFString.of('x'), script('app.alert("named")')] })),
    }),
  );
  page.node.set(PDFName.of('AA'), context.obj({ O: script('app.alert("page open")') }));
  const link = (action: { S: string; F?: PDFObject; URI?: PDFObject }, x: number) =>
    context.register(
      context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [x, 0, x + 50, 50], A: context.obj(action) }),
    );
  page.node.set(
    PDFName.of('Annots'),
    context.obj([
      link({ S: 'Launch', F: PDFString.of('calc.exe') }, 0),
      link({ S: 'URI', URI: PDFString.of('javascript:alert(document.cookie)') }, 50),
      link({ S: 'URI', URI: PDFString.of('https://example.org/rent') }, 100),
    ]),
  );
  await document.attach(Buffer.from('MZ not really a program'), 'tool.exe', {
    mimeType: 'application/octet-stream',
  });
  return document.save({ useObjectStreams: false });
}

/** What must not be in a stored PDF any more (names as pdf-lib writes them, and the payloads). */
const activeMarkers = [
  '/OpenAction',
  '/JavaScript',
  '/JS',
  '/AA',
  '/Launch',
  '/EmbeddedFiles',
  '/EF',
  'app.alert',
  'calc.exe',
  'javascript:',
  'MZ not really',
];

function expectNoActiveContent(bytes: Uint8Array): void {
  const text = Buffer.from(bytes).toString('latin1');
  for (const marker of activeMarkers) expect(text, marker).not.toContain(marker);
}

describe('uploaded PDFs lose their active content (issue 13 finding 6)', async () => {
  const { app, db, session } = await staffWorld(['tenant', 'staff']);

  async function upload(who: string, bytes: Uint8Array, name: string) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), name);
    return app.request('/api/uploads', {
      method: 'POST',
      body: form,
      headers: { origin: testOrigin, cookie: `${sessionCookieName}=${session[who]}` },
    });
  }

  it('the fixture really has it', async () => {
    const text = Buffer.from(await pdfWithActiveContent()).toString('latin1');
    for (const marker of ['/OpenAction', '/JavaScript', '/Launch', '/EmbeddedFiles', 'app.alert']) {
      expect(text).toContain(marker);
    }
  });

  it('a ticket attachment is stored without scripts, actions or embedded files, and served as a download', async () => {
    const res = await upload('tenant', await pdfWithActiveContent(), 'Nebenkosten.pdf');
    expect(res.status).toBe(201);
    const { attachment } = (await res.json()) as { attachment: { url: string; size: number } };
    const served = await call(app, attachment.url, { cookie: session.tenant });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(served.headers.get('content-disposition')).toMatch(/^attachment; filename="Nebenkosten\.pdf"/);
    const bytes = new Uint8Array(await served.arrayBuffer());
    expect(bytes.byteLength).toBe(attachment.size);
    expectNoActiveContent(bytes);
    const stored = await PDFDocument.load(bytes);
    expect(stored.getPageCount()).toBe(1);
    expect(Buffer.from(bytes).toString('latin1')).toContain('https://example.org/rent');
  });

  it('a document published by staff is stored clean and still opens inline for the tenant', async () => {
    const res = await upload('staff', await pdfWithActiveContent(), 'Brief.pdf');
    expect(res.status).toBe(201);
    const { attachment } = (await res.json()) as { attachment: { id: string } };
    const contractId = (
      await db
        .select({ id: contracts.id })
        .from(contracts)
        .where(eq(contracts.number, DEMO_CONTRACT_NUMBERS.tenant))
    )[0]!.id;
    const published = await call(app, '/api/staff/documents', {
      cookie: session.staff,
      json: {
        title: 'Brief',
        type: 'letter',
        scope: { kind: 'contract', id: contractId },
        attachmentId: attachment.id,
      },
    });
    expect(published.status).toBe(201);
    const { document } = (await published.json()) as { document: StaffDocumentDto };
    const file = await call(app, `/api/documents/${document.id}/file`, { cookie: session.tenant });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^inline;/);
    expectNoActiveContent(new Uint8Array(await file.arrayBuffer()));
  });

  it('refuses an encrypted PDF, which cannot be inspected, with 422 pdf_encrypted', async () => {
    const encrypted = Buffer.from(
      minimalPdf()
        .toString('latin1')
        .replace(
          '/Root 1 0 R',
          '/Root 1 0 R /Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>',
        ),
      'latin1',
    );
    const res = await upload('tenant', encrypted, 'locked.pdf');
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: { code: 'pdf_encrypted' } });
  });
});
