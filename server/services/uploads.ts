import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { DomainError, HttpError, notFound } from '../lib/http-error.ts';
import { unitOfWork } from '../unit-of-work/index.ts';
import {
  findAttachmentWithFiles,
  findOrInsertFile,
  insertAttachment,
  type AttachmentRow,
  type AttachmentWithFiles,
  type FileRow,
} from '../../db/repositories/files.ts';
import { inspectUpload } from '../files/inspect.ts';
import { reencodeImage } from '../files/images.ts';
import { removePdfActiveContent } from '../files/pdf-active-content.ts';
import { MAX_UPLOAD_BYTES } from '../files/limits.ts';
import { sanitizeFileName, servedFileName } from '../files/names.ts';
import type { ServedFileInfo } from '../files/serve.ts';
import { loadVisibleTicket } from './tickets/visibility.ts';
import { findMessageVisibility } from '../../db/repositories/ticket-messages.ts';

/** `POST /api/uploads` answers `{ attachment: AttachmentDto }` (API.md, plus optional fields). */
export interface AttachmentDto {
  id: string;
  mime: string;
  size: number;
  width?: number;
  height?: number;
  /** The cleaned original name with the extension of the stored type. */
  name: string;
  url: string;
  thumbnailUrl?: string;
}

export const payloadTooLarge = () =>
  new HttpError(
    413,
    'payload_too_large',
    `The file is too large (at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB).`,
  );

/**
 * Validates, re-encodes and stores one upload for `user`. The bytes decide the type; `declaredName`
 * is only kept (cleaned) for display and downloads. Blobs are written before the rows, so a crash
 * leaves at most an unreferenced blob, never a row without its file.
 */
export async function storeUpload(
  deps: Deps,
  user: Pick<SessionUser, 'id'>,
  bytes: Uint8Array,
  declaredName: string | null,
): Promise<AttachmentDto> {
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw payloadTooLarge();
  const inspected = await inspectUpload(bytes);

  type BlobToStore = { bytes: Uint8Array; mime: string; width: number | null; height: number | null };
  let main: BlobToStore;
  let thumbnail: BlobToStore | null = null;
  if (inspected.kind === 'image') {
    const reencoded = await reencodeImage(bytes, inspected.mime);
    main = reencoded.image;
    thumbnail = reencoded.thumbnail;
  } else {
    // Scripts, automatic actions and embedded files are removed before anything is stored
    // (issue 13 finding 6); what is kept is what every reader of the attachment gets.
    main = { bytes: await removePdfActiveContent(bytes), mime: inspected.mime, width: null, height: null };
  }

  const mainStored = await deps.files.put(main.bytes);
  const thumbnailStored = thumbnail ? await deps.files.put(thumbnail.bytes) : null;
  const now = deps.now();

  const row = await unitOfWork(deps, async ({ tx }): Promise<AttachmentWithFiles> => {
    const file = await findOrInsertFile(tx, {
      sha256: mainStored.sha256,
      mime: main.mime,
      size: mainStored.size,
      width: main.width,
      height: main.height,
      createdAt: now,
    });
    const thumbnailFile =
      thumbnail && thumbnailStored
        ? await findOrInsertFile(tx, {
            sha256: thumbnailStored.sha256,
            mime: thumbnail.mime,
            size: thumbnailStored.size,
            width: thumbnail.width,
            height: thumbnail.height,
            createdAt: now,
          })
        : null;
    const attachment = await insertAttachment(tx, {
      fileId: file.id,
      thumbnailFileId: thumbnailFile?.id ?? null,
      ownerUserId: user.id,
      originalName: sanitizeFileName(declaredName),
      ticketId: null,
      messageId: null,
      createdAt: now,
    });
    return { attachment, file, thumbnail: thumbnailFile };
  });
  return toAttachmentDto(row);
}

export function toAttachmentDto({ attachment, file, thumbnail }: AttachmentWithFiles): AttachmentDto {
  const url = `/api/attachments/${attachment.id}`;
  return {
    id: attachment.id,
    mime: file.mime,
    size: file.size,
    ...(file.width !== null && { width: file.width }),
    ...(file.height !== null && { height: file.height }),
    name: servedFileName(attachment.originalName, file.mime),
    url,
    ...(thumbnail && { thumbnailUrl: `${url}/thumbnail` }),
  };
}

/**
 * Who may read an attachment, in one place for HTTP, sockets and later features.
 * Not yet on a ticket: its uploader (and the service desk). On a ticket: whoever may read that
 * ticket (`GET /tickets/:id`'s rule, staff building scope included), except that an attachment
 * of an internal note is for staff only (API.md: internal notes never reach tenants).
 */
export async function canReadAttachment(
  deps: Deps,
  user: SessionUser,
  attachment: AttachmentRow,
): Promise<boolean> {
  // Not yet attached to anything: only the one who uploaded it (staff of any scope must not
  // browse other people's fresh uploads).
  if (!attachment.ticketId) return attachment.ownerUserId === user.id;
  let staff: boolean;
  try {
    staff = (await loadVisibleTicket(deps, user, attachment.ticketId)).staff;
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'not_found') return false;
    throw error;
  }
  if (staff) return true;
  return !attachment.messageId || (await findMessageVisibility(deps.db, attachment.messageId)) !== 'internal';
}

/** The attachment if `user` may read it; otherwise the same 404 as for an id that does not exist. */
export async function findReadableAttachment(
  deps: Deps,
  user: SessionUser,
  attachmentId: string,
): Promise<AttachmentWithFiles> {
  const row = await findAttachmentWithFiles(deps.db, attachmentId);
  if (!row || !(await canReadAttachment(deps, user, row.attachment))) throw notFound();
  return row;
}

export type AttachmentVariant = 'original' | 'thumbnail';

export interface ServedFile extends ServedFileInfo {
  read(): Promise<Uint8Array<ArrayBuffer>>;
}

/** What to send for an attachment (or its thumbnail); the bytes are read only when needed (not for a 304). */
export async function openAttachmentFile(
  deps: Deps,
  user: SessionUser,
  attachmentId: string,
  variant: AttachmentVariant,
): Promise<ServedFile> {
  const { attachment, file, thumbnail } = await findReadableAttachment(deps, user, attachmentId);
  const chosen: FileRow | null = variant === 'thumbnail' ? thumbnail : file;
  if (!chosen) throw notFound('This attachment has no thumbnail.');
  return {
    sha256: chosen.sha256,
    mime: chosen.mime,
    size: chosen.size,
    fileName: servedFileName(
      attachment.originalName,
      chosen.mime,
      variant === 'thumbnail' ? '-thumbnail' : '',
    ),
    read: async () => {
      const bytes = await deps.files.read(chosen.sha256);
      // A view, not a copy: a buffer read from a file is never shared memory.
      return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}
