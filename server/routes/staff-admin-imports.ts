import { Hono } from 'hono';
import { z } from 'zod';
import {
  importModes,
  importTemplateNames,
  type ImportJobDto,
  type ImportJobsDto,
} from '../../shared/api/import.ts';
import { requireAdmin } from '../auth/middleware.ts';
import type { AppEnv } from '../lib/context.ts';
import { HttpError, notFound } from '../lib/http-error.ts';
import { parseWith } from '../lib/validate.ts';
import { importJobsOf } from '../services/import/index.ts';
import { receiveImportUpload } from '../services/import/console.ts';
import { csvTemplate, xlsxTemplate } from '../services/import/files/index.ts';

const startQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).default('true'),
  mode: z.enum(importModes).default('delta'),
});

/** `/api/staff/admin/imports`: admins load the ERP's files in the console and follow the job. */
export const staffAdminImports = new Hono<AppEnv>()
  .use(requireAdmin)
  .get('/', async (c) => c.json({ jobs: await importJobsOf(c.get('deps')).list() } satisfies ImportJobsDto))
  .post('/', async (c) => {
    const query = parseWith(startQuery, c.req.query());
    const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (mediaType !== 'multipart/form-data')
      throw new HttpError(
        415,
        'multipart_required',
        'Send the files as multipart/form-data in "file" parts.',
      );
    let parts: unknown[];
    try {
      parts = (await c.req.raw.formData()).getAll('file');
    } catch {
      throw new HttpError(400, 'invalid_multipart', 'The multipart body could not be read.');
    }
    const files = parts.filter((part): part is File => part instanceof File);
    const upload = await receiveImportUpload(c.get('deps'), files);
    const job = importJobsOf(c.get('deps')).start({
      kind: 'files',
      path: upload.path,
      cleanup: upload.folder,
      mode: query.mode,
      dryRun: query.dryRun === 'true',
      actor: { source: 'console', userId: c.get('user').id, label: upload.label },
    });
    return c.json({ job: job.dto } satisfies { job: ImportJobDto }, 202);
  })
  .get('/templates/import-template.xlsx', async (c) => {
    c.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    c.header('Content-Disposition', 'attachment; filename="import-template.xlsx"');
    return c.body(new Uint8Array(await xlsxTemplate()));
  })
  .get('/templates/:file', (c) => {
    const name = /^([a-z_]+)\.csv$/.exec(c.req.param('file'))?.[1];
    if (!name || !(importTemplateNames as readonly string[]).includes(name)) throw notFound();
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${name}.csv"`);
    return c.body(new Uint8Array(csvTemplate(name as (typeof importTemplateNames)[number])));
  })
  .get('/:id', async (c) => {
    const job = await importJobsOf(c.get('deps')).get(c.req.param('id'));
    if (!job) throw notFound();
    return c.json({ job } satisfies { job: ImportJobDto });
  });
