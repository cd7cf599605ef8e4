import { Hono } from 'hono';
import { requireCustomer, requireUser } from '../auth/middleware.ts';
import { matchesIfNoneMatch, revalidationHeaders, servedFileHeaders } from '../files/serve.ts';
import type { AppEnv } from '../lib/context.ts';
import { isOwnOrDirectRequest } from '../lib/same-origin.ts';
import { parseWith } from '../lib/validate.ts';
import { listDocuments, listDocumentTypes, openDocumentFile } from '../services/documents/tenant.ts';
import {
  listDocumentsQuery,
  type DocumentListResponse,
  type DocumentTypesResponse,
} from '../../shared/api/documents.ts';

/** `/api/documents` (seeds 000, 001, 002): the list, the filter chips and the PDF. */
export const documents = new Hono<AppEnv>()
  .use(requireUser, requireCustomer)
  .get('/', async (c) => {
    const { type } = parseWith(listDocumentsQuery, c.req.query());
    return c.json({
      documents: await listDocuments(c.get('deps'), c.get('user'), type),
    } satisfies DocumentListResponse);
  })
  .get('/types', async (c) =>
    c.json({ types: await listDocumentTypes(c.get('deps'), c.get('user')) } satisfies DocumentTypesResponse),
  )
  .get('/:id/file', async (c) => {
    // The opening is recorded before a 304: a cached copy being revalidated is still an opening.
    // The file is served to any request (a link in a mail must work), but only a request of the
    // portal itself or of the person directly counts as an opening (issue 13 finding 9).
    const deps = c.get('deps');
    const opened = await openDocumentFile(deps, c.get('user'), c.req.param('id'), {
      recordOpening: isOwnOrDirectRequest(deps.config, (name) => c.req.header(name)),
    });
    if (matchesIfNoneMatch(c.req.header('if-none-match'), opened.sha256))
      return new Response(null, { status: 304, headers: revalidationHeaders(opened) });
    const bytes = await opened.read();
    return new Response(new Uint8Array(bytes), { status: 200, headers: servedFileHeaders(opened) });
  });
