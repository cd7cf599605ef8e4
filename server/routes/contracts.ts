import { Hono } from 'hono';
import {
  pdfQuery,
  type ContractDetailResponse,
  type ContractLedgerResponse,
  type ContractsListResponse,
} from '../../shared/api/contracts.ts';
import type { Locale } from '../../shared/api/auth.ts';
import { requireUser } from '../auth/middleware.ts';
import { contentDisposition } from '../files/names.ts';
import { SERVED_FILE_CSP } from '../files/serve.ts';
import type { AppEnv, SessionUser } from '../lib/context.ts';
import { parseWith } from '../lib/validate.ts';
import {
  getMyContract,
  getMyContractLedger,
  listMyContracts,
  openSignedContract,
  type PdfDownload,
} from '../services/contracts.ts';

/** `?lang=de|en|sv` on a download, else the reader's own language (DESIGN.md: language per user). */
export function pdfLocale(query: Record<string, string>, user: SessionUser): Locale {
  return parseWith(pdfQuery, query).lang ?? user.language;
}

/**
 * A PDF answer: inline (browsers show it), `nosniff` and the sandbox CSP of served files, and
 * `private` because it carries personal data no shared cache may keep (RFC 9111 §5.2.2.7).
 */
export function pdfResponse(pdf: PdfDownload): Response {
  // Node buffers from pdfkit and fs are ArrayBuffer-backed; TS types them as ArrayBufferLike.
  return new Response(pdf.bytes as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Length': String(pdf.bytes.byteLength),
      'Content-Disposition': contentDisposition('application/pdf', pdf.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': SERVED_FILE_CSP,
      'Cache-Control': 'private, no-cache',
      'Cross-Origin-Resource-Policy': 'same-origin',
    },
  });
}

/** `/api/contracts`: the customer's contracts, their rent account and the signed contract. */
export const contracts = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', (c) =>
    c.json({ contracts: listMyContracts(c.get('deps'), c.get('user')) } satisfies ContractsListResponse),
  )
  .get('/:id', (c) =>
    c.json({
      contract: getMyContract(c.get('deps'), c.get('user'), c.req.param('id')),
    } satisfies ContractDetailResponse),
  )
  .get('/:id/ledger', (c) =>
    c.json(
      getMyContractLedger(c.get('deps'), c.get('user'), c.req.param('id')) satisfies ContractLedgerResponse,
    ),
  )
  .get('/:id/signed.pdf', async (c) =>
    pdfResponse(await openSignedContract(c.get('deps'), c.get('user'), c.req.param('id'))),
  );
