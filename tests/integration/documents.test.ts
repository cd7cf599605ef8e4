import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, or } from 'drizzle-orm';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { findContractByNumber } from '../../db/repositories/contracts.ts';
import { first as firstRow } from '../../db/dialect.ts';
import { testTables } from '../helpers/tables.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { createApp, type App } from '../../server/app.ts';
import type { DocumentListResponse, DocumentTypesResponse } from '../../shared/api/documents.ts';

const { documentReads, documents } = testTables;

let ctx: TestWorld;
let app: App;
let erika: string;

beforeAll(async () => {
  ctx = await createTestWorld();
  await seedDemo(ctx.deps);
  app = createApp(ctx.deps);
  erika = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
});
afterAll(() => ctx.close());

const personIdOf = async (login: string) => (await findAccountByLoginEmail(ctx.deps.db, login))!.person.id;
const userIdOf = async (login: string) => (await findAccountByLoginEmail(ctx.deps.db, login))!.user.id;

/** Addressed to the neighbour in person or to his contract: none of Erika's business. */
async function neighbourDocuments() {
  const contractId = (await findContractByNumber(ctx.deps.db, DEMO_CONTRACT_NUMBERS.neighbour))!.id;
  return await ctx.deps.db
    .select({ id: documents.id })
    .from(documents)
    .where(
      or(
        eq(documents.personId, await personIdOf(DEMO_LOGINS.neighbour)),
        eq(documents.contractId, contractId),
      ),
    );
}

async function listOf(token: string, query = ''): Promise<DocumentListResponse> {
  const res = await call(app, `/api/documents${query}`, { cookie: token });
  expect(res.status).toBe(200);
  return (await res.json()) as DocumentListResponse;
}

describe('GET /api/documents', () => {
  it("lists Erika's person, contract, building and estate documents, newest first, with unread markers", async () => {
    const { documents: list } = await listOf(erika);
    expect(new Set(list.map((d) => d.scope))).toEqual(new Set(['person', 'contract', 'building', 'estate']));
    const times = list.map((d) => d.publishedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(list.some((d) => d.read)).toBe(true); // the signed contract was opened in the demo
    expect(list.some((d) => !d.read && d.firstOpenedAt === null)).toBe(true);
    expect(list[0]!.fileUrl).toBe(`/api/documents/${list[0]!.id}/file`);
  });

  it("never shows the neighbour's person documents or owner-only documents to Erika; the owner sees those", async () => {
    const ids = new Set((await listOf(erika)).documents.map((d) => d.id));
    const neighbourDocs = await neighbourDocuments();
    // For every owner of the house (building and estate); one owner's own are in owner.test.ts.
    const ownerOnly = await ctx.deps.db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.audience, 'owners'), inArray(documents.scope, ['building', 'estate'])));
    expect(neighbourDocs.length).toBeGreaterThan(0);
    expect(ownerOnly.length).toBeGreaterThan(0);
    for (const { id } of [...neighbourDocs, ...ownerOnly]) expect(ids.has(id)).toBe(false);

    const owner = await loginAs(app, DEMO_LOGINS.owner, DEMO_PASSWORD);
    const ownerIds = new Set((await listOf(owner)).documents.map((d) => d.id));
    for (const { id } of ownerOnly) expect(ownerIds.has(id)).toBe(true);
  });

  it('filters by type and lists the types present; an unknown type is a 400', async () => {
    const types = (await (
      await call(app, '/api/documents/types', { cookie: erika })
    ).json()) as DocumentTypesResponse;
    expect(types.types).toContain('contract');
    const { documents: contractsOnly } = await listOf(erika, '?type=contract');
    expect(contractsOnly.length).toBeGreaterThan(0);
    expect(contractsOnly.every((d) => d.type === 'contract')).toBe(true);
    const bad = await call(app, '/api/documents?type=nonsense', { cookie: erika });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('validation_failed');
  });
});

describe('GET /api/documents/:id/file', () => {
  it('serves the PDF safely and records only the first opening', async () => {
    const unread = (await listOf(erika)).documents.find((d) => !d.read)!;
    const first = await call(app, unread.fileUrl, { cookie: erika });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/pdf');
    expect(first.headers.get('content-disposition')).toMatch(/^inline; filename="[^"]+\.pdf"/);
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('cache-control')).toMatch(/^private/);
    expect(
      Buffer.from(await first.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');

    const readRow = async () =>
      await firstRow(
        ctx.deps.db
          .select()
          .from(documentReads)
          .where(
            and(
              eq(documentReads.documentId, unread.id),
              eq(documentReads.userId, await userIdOf(DEMO_LOGINS.tenant)),
            ),
          ),
      );
    const firstOpenedAt = (await readRow())!.firstOpenedAt.getTime();

    const later = new Date(Date.now() + 60_000);
    const realNow = ctx.deps.now;
    ctx.deps.now = () => later;
    try {
      expect((await call(app, unread.fileUrl, { cookie: erika })).status).toBe(200);
    } finally {
      ctx.deps.now = realNow;
    }
    expect((await readRow())!.firstOpenedAt.getTime()).toBe(firstOpenedAt);
    const after = (await listOf(erika)).documents.find((d) => d.id === unread.id)!;
    expect(after.read).toBe(true);
    expect(after.firstOpenedAt).toBe(new Date(firstOpenedAt).toISOString());
  });

  it('records an opening only for a request of the portal itself; a cross-site one is served, not recorded', async () => {
    // Issue 13 finding 9: a page on another site can navigate the tenant to the file (Lax cookie),
    // which must not count as proof of delivery.
    const doc = (await listOf(erika)).documents.find((d) => d.scope === 'estate')!;
    const erikaId = await userIdOf(DEMO_LOGINS.tenant);
    const forget = async () =>
      await ctx.deps.db
        .delete(documentReads)
        .where(and(eq(documentReads.documentId, doc.id), eq(documentReads.userId, erikaId)));
    const recorded = async () =>
      (
        await ctx.deps.db
          .select()
          .from(documentReads)
          .where(and(eq(documentReads.documentId, doc.id), eq(documentReads.userId, erikaId)))
      ).length > 0;
    const open = async (headers: Record<string, string>) => {
      await forget();
      const res = await call(app, doc.fileUrl, { cookie: erika, origin: null, headers });
      expect(res.status).toBe(200);
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 5)
          .toString(),
      ).toBe('%PDF-');
      return await recorded();
    };

    expect(await open({ 'sec-fetch-site': 'cross-site', referer: 'https://evil.example/x' })).toBe(false);
    expect(await open({ 'sec-fetch-site': 'same-site', referer: 'https://a.portier.test/' })).toBe(false);
    // A forged-looking Referer does not outweigh what the browser says about the request.
    expect(await open({ 'sec-fetch-site': 'cross-site', referer: 'http://portier.test/documents' })).toBe(
      false,
    );
    expect(await open({ 'sec-fetch-site': 'same-origin' })).toBe(true);
    // `none`: the person opened the address themselves (bookmark, typed, the installed app).
    expect(await open({ 'sec-fetch-site': 'none' })).toBe(true);
    // Browsers without Fetch Metadata: the Referer (or Origin) must be the portal's.
    expect(await open({ referer: 'http://portier.test/documents' })).toBe(true);
    expect(await open({ origin: 'http://portier.test' })).toBe(true);
    expect(await open({ referer: 'https://evil.example/x' })).toBe(false);
    expect(await open({})).toBe(false);
  });

  it("answers 404 for the neighbour's document and a missing id alike", async () => {
    const neighbourDoc = (await neighbourDocuments())[0]!;
    for (const id of [neighbourDoc.id, 'does-not-exist']) {
      const res = await call(app, `/api/documents/${id}/file`, { cookie: erika });
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    const neighbourReads = await ctx.deps.db
      .select()
      .from(documentReads)
      .where(eq(documentReads.documentId, neighbourDoc.id));
    const tenantUserId = await userIdOf(DEMO_LOGINS.tenant);
    expect(neighbourReads.filter((r) => r.userId === tenantUserId)).toHaveLength(0);
  });

  it('refuses staff (403) and anonymous callers (401)', async () => {
    const staff = await loginAs(app, DEMO_LOGINS.staff, DEMO_PASSWORD);
    expect((await call(app, '/api/documents', { cookie: staff })).status).toBe(403);
    expect((await call(app, '/api/documents')).status).toBe(401);
  });
});
