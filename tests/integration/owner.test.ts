import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestWorld, type TestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { testTables } from '../helpers/tables.ts';
import { findAccountByLoginEmail } from '../../db/repositories/users.ts';
import { createApp, type App } from '../../server/app.ts';
import type { DocumentListResponse } from '../../shared/api/documents.ts';
import type {
  OwnerDocumentsResponse,
  OwnershipAccountResponse,
  OwnershipListResponse,
} from '../../shared/api/owner.ts';

const { documents, ownerships } = testTables;

let ctx: TestWorld;
let app: App;
const session = { olaf: '', max: '', erika: '', staff: '' };

beforeAll(async () => {
  ctx = await createTestWorld();
  await seedDemo(ctx.deps);
  app = createApp(ctx.deps);
  session.olaf = await loginAs(app, DEMO_LOGINS.owner, DEMO_PASSWORD);
  session.max = await loginAs(app, DEMO_LOGINS.neighbour, DEMO_PASSWORD);
  session.erika = await loginAs(app, DEMO_LOGINS.tenant, DEMO_PASSWORD);
  session.staff = await loginAs(app, DEMO_LOGINS.staff, DEMO_PASSWORD);
});
afterAll(() => ctx.close());

async function json<T>(path: string, cookie: string): Promise<T> {
  const res = await call(app, path, { cookie });
  expect(res.status, path).toBe(200);
  return (await res.json()) as T;
}

const ownershipsOf = (cookie: string) => json<OwnershipListResponse>('/api/owner/ownerships', cookie);
const accountOf = (id: string, cookie: string) =>
  json<OwnershipAccountResponse>(`/api/owner/ownerships/${id}`, cookie);
const personIdOf = async (login: string) => (await findAccountByLoginEmail(ctx.deps.db, login))!.person.id;

/** The demo's Hausgeld: 3,05 € per month and thousandth share (server/demo/owners.ts). */
const monthlyFor = (sharePerMille: number) => sharePerMille * 305;

describe('GET /api/owner/ownerships', () => {
  it("lists Olaf's two flats with Hausgeld and a settled account; he rents nothing", async () => {
    const { ownerships: list, rents } = await ownershipsOf(session.olaf);
    expect(rents).toBe(false);
    expect(list.map((o) => o.unit.number)).toEqual(['5.01', '5.02']);
    for (const ownership of list) {
      expect(ownership.unit.building.houseNumber).toBe('5');
      expect(ownership.monthlyAdvance).toEqual({
        amount: monthlyFor(ownership.unit.sharePerMille!),
        currency: 'EUR',
      });
      expect(ownership.balance).toEqual({ amount: 0, currency: 'EUR', state: 'settled' });
    }
  });

  it('shows Max, a tenant who also owns 5.08, his ownership with this month still due', async () => {
    const { ownerships: list, rents } = await ownershipsOf(session.max);
    expect(rents).toBe(true);
    expect(list).toHaveLength(1);
    const [ownership] = list;
    expect(ownership!.unit.number).toBe('5.08');
    const monthly = monthlyFor(ownership!.unit.sharePerMille!);
    expect(ownership!.balance).toEqual({ amount: monthly, currency: 'EUR', state: 'due' });
  });

  it('gives a tenant who owns nothing no ownerships', async () => {
    expect(await ownershipsOf(session.erika)).toEqual({ ownerships: [], rents: true });
  });

  it('is for customers: staff 403, no session 401', async () => {
    expect((await call(app, '/api/owner/ownerships', { cookie: session.staff })).status).toBe(403);
    expect((await call(app, '/api/owner/ownerships')).status).toBe(401);
  });
});

describe('GET /api/owner/ownerships/:id', () => {
  it("is the owner's account: a year of advances and payments, running balance, newest first", async () => {
    const [ownership] = (await ownershipsOf(session.max)).ownerships;
    const { ownership: shown, entries } = await accountOf(ownership!.id, session.max);
    expect(shown).toEqual(ownership);
    const advances = entries.filter((e) => e.kind === 'charge' && e.description.startsWith('Hausgeld '));
    expect(advances).toHaveLength(12);
    expect(advances.every((e) => e.amount === monthlyFor(ownership!.unit.sharePerMille!))).toBe(true);
    expect(entries.some((e) => e.kind === 'payment' && e.amount < 0)).toBe(true);
    const days = entries.map((e) => e.bookedOn);
    expect([...days].sort().reverse()).toEqual(days);
    expect(entries[0]!.balanceAfter).toBe(ownership!.balance.amount);
    expect(entries.reduce((sum, e) => sum + e.amount, 0)).toBe(ownership!.balance.amount);
    // Each running balance is the one before it plus this entry (oldest to newest).
    const oldestFirst = [...entries].reverse();
    oldestFirst.reduce((before, entry) => {
      expect(entry.balanceAfter).toBe(before + entry.amount);
      return entry.balanceAfter;
    }, 0);
  });

  it("answers someone else's, a missing or a past ownership with 404, as if it did not exist", async () => {
    const [olafs] = (await ownershipsOf(session.olaf)).ownerships;
    const [maxs] = (await ownershipsOf(session.max)).ownerships;
    for (const [id, cookie] of [
      [olafs!.id, session.max],
      [maxs!.id, session.olaf],
      [olafs!.id, session.erika],
      ['no-such-ownership', session.olaf],
      ['x'.repeat(300), session.olaf],
    ] as const) {
      const res = await call(app, `/api/owner/ownerships/${id}`, { cookie });
      expect(res.status, id).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('not_found');
    }
    expect((await call(app, `/api/owner/ownerships/${olafs!.id}`, { cookie: session.staff })).status).toBe(
      403,
    );

    // Sold yesterday: no longer listed, its account no longer open to him.
    await ctx.deps.db.update(ownerships).set({ until: '2000-01-01' }).where(eq(ownerships.id, maxs!.id));
    try {
      expect((await ownershipsOf(session.max)).ownerships).toEqual([]);
      expect((await call(app, `/api/owner/ownerships/${maxs!.id}`, { cookie: session.max })).status).toBe(
        404,
      );
    } finally {
      await ctx.deps.db.update(ownerships).set({ until: null }).where(eq(ownerships.id, maxs!.id));
    }
  });
});

describe('WEG documents', () => {
  const ownerDocs = (cookie: string) => json<OwnerDocumentsResponse>('/api/owner/documents', cookie);
  const maxPersonal = async () =>
    await ctx.deps.db
      .select({ id: documents.id })
      .from(documents)
      .innerJoin(ownerships, eq(ownerships.id, documents.ownershipId))
      .where(
        and(
          eq(documents.scope, 'ownership'),
          eq(ownerships.personId, await personIdOf(DEMO_LOGINS.neighbour)),
        ),
      );
  const olafPersonal = async () =>
    await ctx.deps.db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.scope, 'person'), eq(documents.personId, await personIdOf(DEMO_LOGINS.owner))));

  it("gives every owner of the house the building's plan, minutes and invitation", async () => {
    for (const cookie of [session.olaf, session.max]) {
      const list = (await ownerDocs(cookie)).documents;
      const shared = list.filter((d) => d.scope === 'building');
      expect(new Set(shared.map((d) => d.type))).toEqual(
        new Set(['economic_plan', 'minutes', 'owners_meeting_invitation']),
      );
      const times = list.map((d) => d.publishedAt);
      expect([...times].sort().reverse()).toEqual(times);
    }
  });

  it("shows each owner their own statement and never the other owner's", async () => {
    const maxIds = (await maxPersonal()).map((d) => d.id);
    const olafIds = (await olafPersonal()).map((d) => d.id);
    expect(maxIds).toHaveLength(1);
    expect(olafIds.length).toBeGreaterThan(0);
    const ids = async (cookie: string) => new Set((await ownerDocs(cookie)).documents.map((d) => d.id));
    const forMax = await ids(session.max);
    const forOlaf = await ids(session.olaf);
    for (const id of maxIds) expect([forMax.has(id), forOlaf.has(id)]).toEqual([true, false]);
    for (const id of olafIds) expect([forMax.has(id), forOlaf.has(id)]).toEqual([false, true]);
    // The same documents, in the same model: the general list has them too.
    const general = await json<DocumentListResponse>('/api/documents', session.max);
    expect(general.documents.map((d) => d.id)).toEqual(expect.arrayContaining(maxIds));
  });

  it("serves an owner's own statement to him and answers 404 to another owner and a tenant", async () => {
    const [statement] = await maxPersonal();
    const path = `/api/documents/${statement!.id}/file`;
    const own = await call(app, path, { cookie: session.max });
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toContain('application/pdf');
    expect(
      Buffer.from(await own.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    for (const cookie of [session.olaf, session.erika]) {
      expect((await call(app, path, { cookie })).status).toBe(404);
    }
  });

  it('gives a tenant who owns nothing none of them, here or in the general list', async () => {
    expect((await ownerDocs(session.erika)).documents).toEqual([]);
    const general = await json<DocumentListResponse>('/api/documents', session.erika);
    const ownerOnly = await ctx.deps.db
      .select({ id: documents.id })
      .from(documents)
      .where(eq(documents.audience, 'owners'));
    expect(ownerOnly.length).toBeGreaterThan(3);
    const seen = new Set(general.documents.map((d) => d.id));
    for (const { id } of ownerOnly) expect(seen.has(id)).toBe(false);
  });
});
