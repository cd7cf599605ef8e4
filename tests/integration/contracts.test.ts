import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_CONTRACT_NUMBERS, DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type {
  ContractDetailResponse,
  ContractLedgerResponse,
  ContractsListResponse,
} from '../../shared/api/contracts.ts';
import { createTestWorld } from '../helpers/context.ts';
import { createUser } from '../helpers/fixtures.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { countStatements } from '../helpers/statement-count.ts';

describe('/api/contracts', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  const sessions: Record<string, string> = {};
  let erikaContractId = '';
  let neighbourContractId = '';

  const get = (path: string, who: string) => call(app, path, { cookie: sessions[who] });
  const detailOf = async (id: string, who = 'tenant') =>
    ((await (await get(`/api/contracts/${id}`, who)).json()) as ContractDetailResponse).contract;

  beforeAll(async () => {
    await seedDemo(ctx.deps);
    for (const who of ['tenant', 'neighbour', 'householdMember', 'staff', 'owner'] as const) {
      sessions[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
    }
    const mine = (await (await get('/api/contracts', 'tenant')).json()) as ContractsListResponse;
    erikaContractId = mine.contracts[0]!.id;
    const theirs = (await (await get('/api/contracts', 'neighbour')).json()) as ContractsListResponse;
    neighbourContractId = theirs.contracts[0]!.id;
  });
  afterAll(() => ctx.close());

  it("lists Erika's contract with role, rent and balance", async () => {
    const res = await get('/api/contracts', 'tenant');
    expect(res.status).toBe(200);
    const { contracts } = (await res.json()) as ContractsListResponse;
    expect(contracts).toHaveLength(1);
    expect(contracts[0]).toMatchObject({
      number: DEMO_CONTRACT_NUMBERS.tenant,
      kind: 'residential',
      addressLine: 'Musterstraße 1, 10115 Berlin',
      unitNumbers: ['1.02'],
      startDate: '2016-04-01',
      myRole: 'main_tenant',
      myAccess: 'full',
      currency: 'EUR',
      // 580.50 net + 150.00 service + 85.00 heating + 20.00 kitchen surcharge (server/demo/contracts.ts).
      currentRentTotal: 58050 + 15000 + 8500 + 2000,
      balance: { state: 'arrears', currency: 'EUR' },
    });
  });

  it("shows Erika's contract detail: components, history, masked IBAN, arrears, tickets", async () => {
    const res = await get(`/api/contracts/${erikaContractId}`, 'tenant');
    expect(res.status).toBe(200);
    const text = await res.text();
    const { contract } = JSON.parse(text) as ContractDetailResponse;
    const componentSum = contract.currentRent.components.reduce((sum, row) => sum + row.amount, 0);
    expect(componentSum).toBe(contract.currentRent.total);
    expect(contract.currentRent.total).toBe(83550);
    expect(contract.currentRent.components.map((row) => row.kind)).toEqual([
      'net_rent',
      'service_charge_advance',
      'heating_advance',
      'surcharge',
    ]);
    // The older net rent before the increase eight months ago (§ 558 BGB) stays in the history.
    const netRents = contract.rentHistory.map(
      (period) => period.components.find((row) => row.kind === 'net_rent')?.amount,
    );
    expect(netRents).toEqual([58050, 54825]);
    expect(contract.rentHistory[1]).toMatchObject({ validFrom: '2016-04-01' });
    expect(contract.rentHistory[0]!.validTo).toBeNull();
    expect(contract.payment).toMatchObject({
      method: 'direct_debit',
      ibanMasked: 'DE89 •••• •••• •••• ••27 40',
      accountHolder: 'Erika Mustermann',
      mandate: { scheme: 'sepa', accountMasked: 'DE•• •••• 2740', accountHolder: 'Erika Mustermann' },
    });
    // Only the masked IBAN ever leaves the server: no run of 10+ IBAN characters anywhere.
    expect(text).not.toMatch(/[A-Z]{2}\d{2}[A-Z0-9]{10,}/);
    expect(contract.balance.state).toBe('arrears');
    expect(contract.balance.amount).toBeGreaterThan(0);
    expect(contract.objects[0]).toMatchObject({
      unitNumber: '1.02',
      street: 'Musterstraße',
      houseNumber: '1',
    });
    expect(contract.parties).toEqual(
      expect.arrayContaining([
        { name: 'Erika Mustermann', role: 'main_tenant', isMe: true },
        expect.objectContaining({ role: 'household_member', isMe: false }),
      ]),
    );
    expect(text).not.toMatch(/@|phone|mobile/i);
    expect(contract.deposit).toBe(54825 * 3);
    expect(contract.cooperativeShares).toBeNull();
    expect(contract.linkedTickets.length).toBeGreaterThan(0);
    expect(contract.signedContractUrl).toBe(`/api/contracts/${erikaContractId}/signed.pdf`);
    expect(contract.certificates.residence).toBe(
      `/api/contracts/${erikaContractId}/certificates/residence.pdf`,
    );
  });

  it('balance equals the two unpaid invoices and the ledger runs newest first', async () => {
    const invoices = (await (await get('/api/invoices', 'tenant')).json()) as {
      invoices: { amount: number }[];
    };
    expect(invoices.invoices).toHaveLength(2);
    const unpaid = invoices.invoices.reduce((sum, invoice) => sum + invoice.amount, 0);
    const contract = await detailOf(erikaContractId);
    expect(contract.balance.amount).toBe(unpaid);

    const res = await get(`/api/contracts/${erikaContractId}/ledger`, 'tenant');
    expect(res.status).toBe(200);
    const ledger = (await res.json()) as ContractLedgerResponse;
    expect(ledger).toMatchObject({ balance: unpaid, currency: 'EUR', state: 'arrears' });
    expect(ledger.entries[0]!.balanceAfter).toBe(unpaid);
    const dates = ledger.entries.map((entry) => entry.bookedOn);
    expect([...dates].sort().reverse()).toEqual(dates);
    // Each running balance is the next older one plus this entry.
    for (let index = 0; index < ledger.entries.length - 1; index++) {
      const entry = ledger.entries[index]!;
      expect(entry.balanceAfter).toBe(ledger.entries[index + 1]!.balanceAfter + entry.amount);
    }
    expect(ledger.entries.some((entry) => entry.description === 'Rücklastschrift')).toBe(true);
  });

  it('exposes cooperative shares as count, value and total', async () => {
    const { findContractByNumber, listPartiesOfContract } =
      await import('../../db/repositories/contracts.ts');
    const { insertUser } = await import('../../db/repositories/users.ts');
    const { hashPassword } = await import('../../server/auth/password-hash.ts');
    const contract = (await findContractByNumber(ctx.deps.db, DEMO_CONTRACT_NUMBERS.cooperative))!;
    const [party] = await listPartiesOfContract(ctx.deps.db, contract.id);
    await insertUser(ctx.deps.db, {
      personId: party!.personId,
      loginEmail: 'member@example.org',
      passwordHash: await hashPassword(DEMO_PASSWORD),
      role: 'customer',
      language: 'de',
      emailVerifiedAt: new Date(),
    });
    sessions.member = await loginAs(app, 'member@example.org', DEMO_PASSWORD);
    const detail = await detailOf(contract.id, 'member');
    expect(detail.kind).toBe('cooperative');
    expect(detail.cooperativeShares).toEqual({ shareCount: 5, shareValue: 16000, totalValue: 80000 });
    expect(detail.deposit).toBeNull();
  });

  it('serves the signed contract as an inline, private, nosniff PDF', async () => {
    const res = await get(`/api/contracts/${erikaContractId}/signed.pdf`, 'tenant');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="contract-1001-02-03\.pdf"/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toMatch(/private/);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it("answers 404 for the neighbour's contract on every route, like a missing one", async () => {
    for (const suffix of [
      '',
      '/ledger',
      '/signed.pdf',
      '/certificates/rent.pdf',
      '/certificates/residence.pdf',
    ]) {
      for (const id of [neighbourContractId, 'doesnotexist', 'x'.repeat(5000)]) {
        const res = await get(`/api/contracts/${id}${suffix}`, 'tenant');
        expect(res.status, `${id.slice(0, 20)}${suffix}`).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
      }
      // A NUL character names no contract: refused before any lookup, on both stores alike.
      const nul = await get(`/api/contracts/%00%27${suffix}`, 'tenant');
      expect(nul.status, `%00%27${suffix}`).toBe(400);
      expect(await nul.json()).toMatchObject({ error: { code: 'invalid_character' } });
    }
  });

  it('lets the read-only household member read the contract and its ledger', async () => {
    const contract = await detailOf(erikaContractId, 'householdMember');
    expect(contract).toMatchObject({ myRole: 'household_member', myAccess: 'read' });
    const ledger = await get(`/api/contracts/${erikaContractId}/ledger`, 'householdMember');
    expect(ledger.status).toBe(200);
  });

  it('answers 401 without a session and 403 to staff', async () => {
    for (const path of [
      '/api/contracts',
      `/api/contracts/${erikaContractId}`,
      `/api/contracts/${erikaContractId}/ledger`,
    ]) {
      const anonymous = await call(app, path);
      expect(anonymous.status).toBe(401);
      const staff = await get(path, 'staff');
      expect(staff.status).toBe(403);
      expect(await staff.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
  });

  it('gives owners and people without contracts an empty list', async () => {
    const owner = await get('/api/contracts', 'owner');
    expect(owner.status).toBe(200);
    expect(await owner.json()).toEqual({ contracts: [] });
    const { email, password } = await createUser(ctx.deps.db);
    const nobody = await call(app, '/api/contracts', { cookie: await loginAs(app, email, password) });
    expect(await nobody.json()).toEqual({ contracts: [] });
  });

  it('needs a bounded number of statements for list and detail', async () => {
    const statements = countStatements(ctx.deps.db);
    try {
      for (const path of ['/api/contracts', `/api/contracts/${erikaContractId}`]) {
        statements.reset();
        expect((await get(path, 'tenant')).status).toBe(200);
        // Today 7 (list) and 10 (detail), session lookup included, and on SQLite the read
        // transaction's BEGIN and COMMIT; headroom for the session layer.
        expect(statements.count, path).toBeLessThanOrEqual(14);
      }
    } finally {
      statements.stop();
    }
  });
});
