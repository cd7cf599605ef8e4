import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { jobDeclineRequest, jobDoneRequest, jobSlotsRequest } from '../../shared/api/dispatch.ts';
import { requestMeta } from '../auth/client-ip.ts';
import { MAX_UPLOAD_BODY_BYTES } from '../files/limits.ts';
import { matchesIfNoneMatch, revalidationHeaders, servedFileHeaders } from '../files/serve.ts';
import type { AppEnv } from '../lib/context.ts';
import { HttpError, notFound } from '../lib/http-error.ts';
import { parseWith } from '../lib/validate.ts';
import {
  acceptJob,
  checkJobToken,
  declineJob,
  getJobPage,
  openJobFile,
  proposeJobSlots,
  reportJobDone,
  storeJobUpload,
} from '../services/repairs/job-page.ts';
import { payloadTooLarge } from '../services/uploads.ts';
import type { Context } from 'hono';

/*
 * `/api/job/:token…`: the contractor's job page (issue 20 item 2). No session: the token in the
 * path is the whole authorization, checked first on every route, so a forged, expired, revoked or
 * malformed one answers 404 before anything of the request is looked at. Answers are never
 * cached and never send a referrer (the token is in the URL).
 */

const uploadBodyLimit = bodyLimit({
  maxSize: MAX_UPLOAD_BODY_BYTES,
  onError: () => {
    throw payloadTooLarge();
  },
});

const attachmentIdPattern = /^[a-z0-9]{1,64}$/;

async function jsonOf(c: Context<AppEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    throw new HttpError(415, 'unsupported_media_type', 'Send JSON (Content-Type: application/json).');
  try {
    return await c.req.json();
  } catch {
    throw new HttpError(400, 'invalid_json', 'The body is not valid JSON.');
  }
}

async function filePartOf(c: Context<AppEnv>): Promise<File> {
  const mediaType = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data')
    throw new HttpError(
      415,
      'multipart_required',
      'Send the file as multipart/form-data in the field "file".',
    );
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    throw new HttpError(400, 'invalid_multipart', 'The multipart body could not be read.');
  }
  const part = body['file'];
  if (Array.isArray(part)) throw new HttpError(400, 'too_many_files', 'Send exactly one file per upload.');
  if (!(part instanceof File))
    throw new HttpError(400, 'file_required', 'The field "file" must hold a file.');
  return part;
}

async function serveFile(c: Context<AppEnv>, variant: 'original' | 'thumbnail') {
  const deps = c.get('deps');
  const token = c.req.param('token') ?? '';
  const id = c.req.param('fileId') ?? '';
  // The token first: an unknown file under a forged token is the same 404 as any forged token.
  await checkJobToken(deps, token, requestMeta(c));
  if (!attachmentIdPattern.test(id)) throw notFound();
  const served = await openJobFile(deps, token, requestMeta(c), id, variant);
  if (matchesIfNoneMatch(c.req.header('if-none-match'), served.sha256))
    return new Response(null, { status: 304, headers: revalidationHeaders(served) });
  const bytes = await served.read();
  const download = served.mime === 'application/pdf';
  return new Response(bytes, { status: 200, headers: servedFileHeaders(served, { download }) });
}

export const job = new Hono<AppEnv>()
  .use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Robots-Tag', 'noindex');
  })
  .get('/:token', async (c) =>
    c.json({ job: await getJobPage(c.get('deps'), c.req.param('token'), requestMeta(c)) }),
  )
  .post('/:token/accept', async (c) =>
    c.json({ job: await acceptJob(c.get('deps'), c.req.param('token'), requestMeta(c)) }),
  )
  .post('/:token/decline', async (c) => {
    const deps = c.get('deps');
    const token = c.req.param('token');
    await checkJobToken(deps, token, requestMeta(c));
    const body = parseWith(jobDeclineRequest, await jsonOf(c));
    return c.json({ job: await declineJob(deps, token, requestMeta(c), body.reason) });
  })
  .post('/:token/done', async (c) => {
    const deps = c.get('deps');
    const token = c.req.param('token');
    await checkJobToken(deps, token, requestMeta(c));
    const body = parseWith(jobDoneRequest, await jsonOf(c));
    return c.json({ job: await reportJobDone(deps, token, requestMeta(c), body) });
  })
  .post('/:token/slots', async (c) => {
    const deps = c.get('deps');
    const token = c.req.param('token');
    await checkJobToken(deps, token, requestMeta(c));
    const body = parseWith(jobSlotsRequest, await jsonOf(c));
    return c.json({ job: await proposeJobSlots(deps, token, requestMeta(c), body) }, 201);
  })
  .post('/:token/uploads', uploadBodyLimit, async (c) => {
    const deps = c.get('deps');
    const token = c.req.param('token');
    await checkJobToken(deps, token, requestMeta(c));
    const file = await filePartOf(c);
    const bytes = new Uint8Array(await file.arrayBuffer());
    return c.json({ attachment: await storeJobUpload(deps, token, requestMeta(c), bytes, file.name) }, 201);
  })
  .get('/:token/files/:fileId', async (c) => await serveFile(c, 'original'))
  .get('/:token/files/:fileId/thumbnail', async (c) => await serveFile(c, 'thumbnail'));
