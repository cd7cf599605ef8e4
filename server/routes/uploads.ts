import { Hono, type HonoRequest } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requireUser } from '../auth/middleware.ts';
import type { Deps } from '../deps.ts';
import type { AppEnv, SessionUser } from '../lib/context.ts';
import { HttpError, notFound } from '../lib/http-error.ts';
import { MAX_UPLOAD_BODY_BYTES } from '../files/limits.ts';
import { matchesIfNoneMatch, revalidationHeaders, servedFileHeaders } from '../files/serve.ts';
import {
  openAttachmentFile,
  payloadTooLarge,
  storeUpload,
  type AttachmentVariant,
} from '../services/uploads.ts';

/**
 * The route's own limit, tighter than the API-wide multipart limit (server/lib/body-limit.ts). Both
 * count the body as it streams in and stop at their limit, so a 100 MB body is refused without being
 * buffered first; a too large Content-Length is refused before anything is read.
 */
const uploadBodyLimit = bodyLimit({
  maxSize: MAX_UPLOAD_BODY_BYTES,
  onError: () => {
    throw payloadTooLarge();
  },
});

const multipartRequired = () =>
  new HttpError(415, 'multipart_required', 'Send the file as multipart/form-data in the field "file".');
const invalidMultipart = () =>
  new HttpError(400, 'invalid_multipart', 'The multipart body could not be read.');
const tooManyFiles = () => new HttpError(400, 'too_many_files', 'Send exactly one file per upload.');
const fileRequired = () => new HttpError(400, 'file_required', 'The field "file" must hold a file.');

/** The single `file` part of a multipart body; anything else is a 4xx with a code. */
async function readFilePart(request: HonoRequest): Promise<File> {
  const mediaType = request.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') throw multipartRequired();
  let body: Record<string, unknown>;
  try {
    body = await request.parseBody({ all: true });
  } catch {
    throw invalidMultipart();
  }
  const part = body['file'];
  if (Array.isArray(part)) throw tooManyFiles();
  if (!(part instanceof File)) throw fileRequired();
  return part;
}

const attachmentIdPattern = /^[a-z0-9]{1,64}$/;

async function serveAttachment(
  deps: Deps,
  user: SessionUser,
  request: HonoRequest,
  variant: AttachmentVariant,
): Promise<Response> {
  const id = request.param('id') ?? '';
  if (!attachmentIdPattern.test(id)) throw notFound();
  const served = await openAttachmentFile(deps, user, id, variant);
  if (matchesIfNoneMatch(request.header('if-none-match'), served.sha256)) {
    return new Response(null, { status: 304, headers: revalidationHeaders(served) });
  }
  const bytes = await served.read();
  // PDFs on tickets are downloads; the landlord's documents open inline (routes/documents.ts).
  const download = served.mime === 'application/pdf';
  return new Response(bytes, { status: 200, headers: servedFileHeaders(served, { download }) });
}

/**
 * `POST /uploads`, `GET /attachments/:id`, `GET /attachments/:id/thumbnail` (mounted under `/api`).
 * Sign-in is checked before the body is read; middleware sits on each route, not on `*`, because this
 * sub-app is mounted at the API root.
 */
export const uploads = new Hono<AppEnv>()
  .post('/uploads', requireUser, uploadBodyLimit, async (c) => {
    const file = await readFilePart(c.req);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const attachment = await storeUpload(c.get('deps'), c.get('user'), bytes, file.name);
    return c.json({ attachment }, 201);
  })
  .get(
    '/attachments/:id',
    requireUser,
    async (c) => await serveAttachment(c.get('deps'), c.get('user'), c.req, 'original'),
  )
  .get(
    '/attachments/:id/thumbnail',
    requireUser,
    async (c) => await serveAttachment(c.get('deps'), c.get('user'), c.req, 'thumbnail'),
  );
