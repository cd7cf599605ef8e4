import { Hono } from 'hono';
import {
  bulkPreviewRequest,
  bulkPublishRequest,
  documentRecipientQuery,
  staffDocumentCreate,
} from '../../shared/api/staff-documents.ts';
import type { OwnershipOptionsResponse } from '../../shared/api/staff-documents.ts';
import { requireStaff } from '../auth/middleware.ts';
import { listOwnershipOptions } from '../services/documents/staff-ownership.ts';
import type { AppEnv } from '../lib/context.ts';
import { jsonBody, parseWith } from '../lib/validate.ts';
import { previewBulk, publishBulk } from '../services/documents/staff-bulk.ts';
import {
  createStaffDocument,
  listStaffDocuments,
  searchDocumentRecipients,
} from '../services/documents/staff.ts';

/** Documents from the console (issue 5 item 6): single and bulk publishing, delivery status. */
export const staffDocuments = new Hono<AppEnv>()
  .use(requireStaff)
  .get('/', async (c) => c.json({ documents: await listStaffDocuments(c.get('deps'), c.get('user')) }))
  .get('/ownerships', async (c) =>
    c.json({
      ownerships: await listOwnershipOptions(c.get('deps'), c.get('user')),
    } satisfies OwnershipOptionsResponse),
  )
  .get('/recipients', async (c) =>
    c.json({
      recipients: await searchDocumentRecipients(
        c.get('deps'),
        c.get('user'),
        parseWith(documentRecipientQuery, c.req.query()),
      ),
    }),
  )
  .post('/', jsonBody(staffDocumentCreate), async (c) =>
    c.json({ document: await createStaffDocument(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  )
  .post('/bulk/preview', jsonBody(bulkPreviewRequest), async (c) =>
    c.json(await previewBulk(c.get('deps'), c.get('user'), c.get('body'))),
  )
  .post('/bulk/publish', jsonBody(bulkPublishRequest), async (c) =>
    c.json({ documents: await publishBulk(c.get('deps'), c.get('user'), c.get('body')) }, 201),
  );
