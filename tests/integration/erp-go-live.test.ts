import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import type { ImportJobDto } from '../../shared/api/import.ts';
import type { PerPersonLetterDto } from '../../shared/api/staff-tenants.ts';
import type { CreatedWebhookDto, WebhookPayload, WebhookTicketData } from '../../shared/api/webhooks.ts';
import { writeImportTemplates } from '../../server/services/import/files/index.ts';
import { drainWebhooks } from '../../server/services/integration/webhook-worker.ts';
import { minimalPdf } from '../fixtures/uploads/hostile.ts';
import { call, loginAs, readLatestMail, testOrigin } from '../helpers/auth.ts';
import { strongPassword } from '../helpers/fixtures.ts';
import { pdfText, registrationCodePattern } from '../helpers/pdf-text.ts';
import { staffWorld } from '../helpers/staff-world.ts';

/**
 * Issue 14 "Done when", as a new landlord would go live: export the spreadsheet, check it, fix
 * what the check names, apply, print the letters for everyone new; the tenant registers with the
 * letter's code and finds contract, rent account, invoice with its PDF and documents; the ERP
 * hears of the tenant's first request through a signed webhook; the nightly load again changes
 * nothing. Through the console's routes, on a real SQLite file, with a real HTTP receiver as ERP.
 */
const { ctx, app, session } = await staffWorld(['staff', 'admin']);
const folder = mkdtempSync(join(tmpdir(), 'portier-go-live-'));
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let erp: Server;
let erpUrl = '';

beforeAll(async () => {
  const templates = join(folder, 'templates');
  await writeImportTemplates(templates);
  // The landlord's export: the template rows, one of them wrong, and a document with its PDF.
  const load = join(folder, 'export');
  mkdirSync(join(load, 'documents'), { recursive: true });
  for (const file of readdirSync(join(templates, 'csv')))
    writeFileSync(join(load, file), readFileSync(join(templates, 'csv', file)));
  const units = readFileSync(join(load, 'units.csv'), 'utf8');
  writeFileSync(join(load, 'units.csv'), units.replace(';flat;', ';Wohnung;'));
  writeFileSync(
    join(load, 'documents.csv'),
    'externalId;file;recipientKind;recipientExternalId;type;title;date\n' +
      'D-5001-BK;BK 2025.pdf;contract;V-5001;operating_cost_statement;Betriebskostenabrechnung 2025;15.11.2026\n',
  );
  writeFileSync(join(load, 'documents', 'BK 2025.pdf'), minimalPdf());

  erp = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => erp.listen(0, '127.0.0.1', resolve));
  erpUrl = `http://127.0.0.1:${(erp.address() as AddressInfo).port}/portier`;
});
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await new Promise((resolve) => erp.close(resolve));
});

const exportFiles = () =>
  readdirSync(join(folder, 'export'), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? readdirSync(join(folder, 'export', entry.name)).map((name) => ({
          name,
          bytes: readFileSync(join(folder, 'export', entry.name, name)),
        }))
      : [{ name: entry.name, bytes: readFileSync(join(folder, 'export', entry.name)) }],
  );

async function upload(dryRun: boolean): Promise<ImportJobDto> {
  const form = new FormData();
  for (const file of exportFiles()) form.append('file', new File([new Uint8Array(file.bytes)], file.name));
  const res = await app.request(`/api/staff/admin/imports?dryRun=${dryRun}&mode=full`, {
    method: 'POST',
    body: form,
    headers: { origin: testOrigin, cookie: `portier_session=${session.admin}` },
  });
  expect(res.status).toBe(202);
  let job = ((await res.json()) as { job: ImportJobDto }).job;
  for (let i = 0; i < 1200 && job.state === 'running'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const poll = await call(app, `/api/staff/admin/imports/${job.id}`, { cookie: session.admin });
    job = ((await poll.json()) as { job: ImportJobDto }).job;
  }
  return job;
}

describe('a landlord goes live', () => {
  let applied: ImportJobDto;
  let code: string;
  let tenant: string;
  let webhookSecret: string;

  it('checks the export, is told what is wrong, fixes it and applies it', async () => {
    const refused = await upload(true);
    expect(refused.state).toBe('refused');
    expect(refused.problems).toEqual([
      expect.objectContaining({ file: 'units.csv', row: 2, field: 'kind', code: 'invalid_value' }),
    ]);

    const units = readFileSync(join(folder, 'export', 'units.csv'), 'utf8');
    writeFileSync(join(folder, 'export', 'units.csv'), units.replace(';Wohnung;', ';flat;'));
    const checked = await upload(true);
    expect(checked.state).toBe('checked');
    expect(checked.counts?.documents).toEqual({ created: 1, updated: 0, unchanged: 0, ended: 0 });

    applied = await upload(false);
    expect(applied.state).toBe('applied');
    expect(applied.counts?.persons.created).toBe(1);
    expect(applied.counts?.contracts.created).toBe(1);
  });

  it('prints the letters for everyone new, whose codes work', async () => {
    const res = await call(app, '/api/staff/registration-letters', {
      cookie: session.staff,
      json: { importRunId: applied.id, layout: 'per_person' },
    });
    expect(res.status).toBe(201);
    const { letters } = (await res.json()) as { letters: PerPersonLetterDto[] };
    expect(letters).toHaveLength(1);
    const text = pdfText(Buffer.from(letters[0]!.pdf, 'base64'));
    expect(text).toContain('Anna');
    code = text.match(registrationCodePattern)![0];
  });

  it('the ERP registers its webhook', async () => {
    const res = await call(app, '/api/staff/admin/webhooks', {
      cookie: session.admin,
      json: { url: erpUrl, events: ['ticket.created', 'registration.completed'] },
    });
    expect(res.status).toBe(201);
    webhookSecret = ((await res.json()) as CreatedWebhookDto).secret;
  });

  it('the tenant registers with the code and finds contract, rent account, invoice and documents', async () => {
    const email = 'anna.mueller@example.org';
    const registered = await call(app, '/api/auth/register', {
      json: {
        code,
        email,
        password: strongPassword,
        acceptPrivacy: true,
        acceptTerms: true,
        acceptElectronicDelivery: true,
      },
    });
    expect(registered.status).toBe(201);
    const mail = await readLatestMail(ctx, email, { path: '/verify' });
    expect((await call(app, '/api/auth/verify', { json: { token: mail.token } })).status).toBe(200);
    tenant = await loginAs(app, email, strongPassword);

    const { contracts } = (await (await call(app, '/api/contracts', { cookie: tenant })).json()) as {
      contracts: { id: string; number: string }[];
    };
    expect(contracts.map((contract) => contract.number)).toEqual(['5001']);
    const detail = await call(app, `/api/contracts/${contracts[0]!.id}`, { cookie: tenant });
    expect(await detail.text()).toContain('DE89 •••• •••• •••• ••30 00');
    const ledger = await call(app, `/api/contracts/${contracts[0]!.id}/ledger`, { cookie: tenant });
    expect(ledger.status).toBe(200);
    expect(await ledger.text()).toContain('Miete Mai 2024');

    const { invoices } = (await (
      await call(app, '/api/invoices?unpaid=false', { cookie: tenant })
    ).json()) as {
      invoices: { id: string; number: string }[];
    };
    expect(invoices.map((invoice) => invoice.number)).toEqual(['2024-05-5001']);
    const pdf = await call(app, `/api/invoices/${invoices[0]!.id}/pdf`, { cookie: tenant });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');

    const { documents } = (await (await call(app, '/api/documents', { cookie: tenant })).json()) as {
      documents: { id: string; title: string }[];
    };
    const statement = documents.find((document) => document.title === 'Betriebskostenabrechnung 2025')!;
    const file = await call(app, `/api/documents/${statement.id}/file`, { cookie: tenant });
    expect(file.status).toBe(200);
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  });

  it("the ERP hears of the tenant's registration and first request through signed webhooks", async () => {
    const filed = await call(app, '/api/tickets', {
      cookie: tenant,
      json: {
        type: 'general_correspondence',
        fields: { correspondence_topic: 'other' },
        description: 'Wann wird der Aufzug gewartet?',
        clientId: 'go-live-first-request',
      },
    });
    expect(filed.status).toBe(201);
    await drainWebhooks(ctx.deps);
    const payloads = received.map(
      (delivery) =>
        new Webhook(webhookSecret).verify(
          delivery.body,
          delivery.headers as Record<string, string>,
        ) as WebhookPayload,
    );
    expect(payloads.map((payload) => payload.type).sort()).toEqual([
      'registration.completed',
      'ticket.created',
    ]);
    const ticket = (
      payloads.find((payload) => payload.type === 'ticket.created')!.data as { ticket: WebhookTicketData }
    ).ticket;
    expect(ticket.contract?.externalId).toBe('V-5001');
    expect(ticket.reporter.externalId).toBe('P-1001');
  });

  it('the nightly load again changes nothing', async () => {
    const again = await upload(false);
    expect(again.state).toBe('applied');
    for (const [entity, counts] of Object.entries(again.counts!))
      expect(counts.created + counts.updated + counts.ended, entity).toBe(0);
  });
});
