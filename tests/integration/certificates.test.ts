import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { seedDemo } from '../../server/demo/demo.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { putSetting } from '../../db/repositories/settings.ts';
import type { ContractDetailResponse, ContractsListResponse } from '../../shared/api/contracts.ts';
import { createTestWorld } from '../helpers/context.ts';
import { call, loginAs } from '../helpers/auth.ts';
import { pdfText } from '../helpers/pdf-text.ts';

/** Seed 002 self-service forms: rent certificate and Wohnungsgeberbestätigung (§ 19 BMG). */
describe('/api/contracts/:id/certificates', async () => {
  const ctx = await createTestWorld();
  const app = createApp(ctx.deps);
  const sessions: Record<string, string> = {};
  let contractId = '';
  let neighbourContractId = '';
  const get = (path: string, who: string) => call(app, path, { cookie: sessions[who] });

  const expectPdf = async (res: Response, fileName: RegExp) => {
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(fileName);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toMatch(/private/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    return bytes;
  };

  beforeAll(async () => {
    await seedDemo(ctx.deps);
    for (const who of ['tenant', 'neighbour', 'householdMember', 'staff'] as const) {
      sessions[who] = await loginAs(app, DEMO_LOGINS[who], DEMO_PASSWORD);
    }
    const list = async (who: string) =>
      ((await (await get('/api/contracts', who)).json()) as ContractsListResponse).contracts[0]!.id;
    contractId = await list('tenant');
    neighbourContractId = await list('neighbour');
  });
  afterAll(() => ctx.close());

  it('renders the rent certificate in the user language or ?lang=', async () => {
    await expectPdf(
      await get(`/api/contracts/${contractId}/certificates/rent.pdf`, 'tenant'),
      /^inline; filename="Mietbescheinigung-1001-02-03\.pdf"/,
    );
    await expectPdf(
      await get(`/api/contracts/${contractId}/certificates/rent.pdf?lang=sv`, 'tenant'),
      /filename="hyresintyg-/,
    );
  });

  it('renders the residence confirmation, also for the read-only household member', async () => {
    for (const who of ['tenant', 'householdMember']) {
      await expectPdf(
        await get(`/api/contracts/${contractId}/certificates/residence.pdf`, who),
        /filename="Wohnungsgeberbestaetigung-/,
      );
    }
    await expectPdf(
      await get(`/api/contracts/${contractId}/certificates/rent.pdf?lang=en`, 'householdMember'),
      /filename="rent-certificate-/,
    );
  });

  it('answers 404 not_available when the landlord switched the residence confirmation off', async () => {
    await putSetting(ctx.deps.db, 'certificates', { residenceConfirmation: false }, new Date());
    try {
      const res = await get(`/api/contracts/${contractId}/certificates/residence.pdf`, 'tenant');
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_available' } });
      const detail = (await (
        await get(`/api/contracts/${contractId}`, 'tenant')
      ).json()) as ContractDetailResponse;
      expect(detail.contract.certificates.residence).toBeNull();
      // The rent certificate stays available.
      expect((await get(`/api/contracts/${contractId}/certificates/rent.pdf`, 'tenant')).status).toBe(200);
    } finally {
      await putSetting(ctx.deps.db, 'certificates', { residenceConfirmation: true }, new Date());
    }
  });

  it('writes from the Swedish office to a Malmö shop, in words for premises (issue 17)', async () => {
    sessions.butik = await loginAs(app, DEMO_LOGINS.butik, DEMO_PASSWORD);
    const id = ((await (await get('/api/contracts', 'butik')).json()) as ContractsListResponse).contracts[0]!
      .id;
    const bytes = await expectPdf(
      await get(`/api/contracts/${id}/certificates/rent.pdf?lang=sv`, 'butik'),
      /filename="hyresintyg-/,
    );
    const text = pdfText(bytes).replace(/\s+/g, ' ');
    expect(text).toContain('Portier Bostad Sverige AB');
    expect(text).toContain('Utlandagatan 6 · 212 14 Malmö');
    expect(text).toContain('Org.nr 559999-9991');
    expect(text).toContain('följande lokal');
    expect(text).not.toMatch(/lägenhet|Boarea|Berlin/i);
  });

  it('prints the legal details the landlord configured', async () => {
    await putSetting(
      ctx.deps.db,
      'legal_details',
      {
        form: 'GmbH',
        seat: 'Hamburg',
        registerCourt: 'Amtsgericht Hamburg',
        registerNumber: 'HRB 12345',
        managingDirectors: ['Anna Beispiel', 'Bernd Muster'],
        vatId: 'DE123456789',
      },
      new Date(),
    );
    const bytes = await expectPdf(
      await get(`/api/contracts/${contractId}/certificates/rent.pdf`, 'tenant'),
      /filename="Mietbescheinigung-/,
    );
    const text = pdfText(bytes).replace(/\s+/g, ' ');
    expect(text).toContain('GmbH, Sitz: Hamburg');
    expect(text).toContain('Amtsgericht Hamburg, HRB 12345');
    expect(text).toContain('Geschäftsführung: Anna Beispiel, Bernd Muster');
    expect(text).toContain('USt-IdNr. DE123456789');
    expect(text).not.toContain('Charlottenburg');
  });

  it("answers 404 not_found for the neighbour's contract and bad ids", async () => {
    for (const kind of ['rent', 'residence']) {
      for (const id of [neighbourContractId, 'nope', 'q'.repeat(3000)]) {
        const res = await get(`/api/contracts/${id}/certificates/${kind}.pdf`, 'tenant');
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
      }
    }
  });

  it('refuses an unknown language, no session and staff', async () => {
    const bad = await get(`/api/contracts/${contractId}/certificates/rent.pdf?lang=xx`, 'tenant');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect((await call(app, `/api/contracts/${contractId}/certificates/rent.pdf`)).status).toBe(401);
    expect((await get(`/api/contracts/${contractId}/certificates/rent.pdf`, 'staff')).status).toBe(403);
  });
});
