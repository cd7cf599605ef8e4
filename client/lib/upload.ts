import { isApiErrorBody } from '../../shared/api/errors.ts';
import { ApiError } from './api.ts';

/** What `POST /api/uploads` answers (API.md): the id to pass as `attachmentIds` later. */
export interface UploadedAttachment {
  id: string;
  mime: string;
  size: number;
}

export interface UploadHandle {
  promise: Promise<UploadedAttachment>;
  abort(): void;
}

/** An upload the user cancelled (removed the file): not an error to show. */
export const uploadAborted = 'upload_aborted';

function failure(request: XMLHttpRequest): ApiError {
  let payload: unknown = null;
  try {
    payload = JSON.parse(request.responseText) as unknown;
  } catch {
    // not JSON, e.g. a proxy's error page
  }
  if (isApiErrorBody(payload)) {
    return new ApiError(
      request.status,
      payload.error.code,
      payload.error.message,
      payload.error.fields ?? {},
    );
  }
  // Status-only answers keep the codes errors.ts already knows (API.md: 413 too large, 415 wrong type).
  if (request.status === 413) return new ApiError(413, 'payload_too_large', 'too large');
  if (request.status === 415) return new ApiError(415, 'unsupported_media_type', 'wrong type');
  return new ApiError(request.status, `http_${request.status}`, request.statusText);
}

/**
 * Uploads one file as multipart `file` to `/api/uploads`. XMLHttpRequest instead of fetch because
 * only XHR reports upload progress (fetch has no upload progress events in browsers yet), which the
 * progress bar per photo needs. Same-origin, so the session cookie and the Origin header go along.
 */
export function uploadFile(file: File, onProgress?: (fraction: number) => void): UploadHandle {
  const request = new XMLHttpRequest();
  const promise = new Promise<UploadedAttachment>((resolve, reject) => {
    request.open('POST', '/api/uploads');
    request.withCredentials = true;
    request.setRequestHeader('Accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status === 201 || request.status === 200) {
        try {
          const body = JSON.parse(request.responseText) as { attachment: UploadedAttachment };
          onProgress?.(1);
          resolve(body.attachment);
        } catch {
          reject(new ApiError(request.status, 'invalid_response', 'unreadable answer'));
        }
      } else reject(failure(request));
    };
    request.onerror = () => reject(new ApiError(0, 'network_error', 'upload failed'));
    request.ontimeout = () => reject(new ApiError(0, 'network_error', 'upload timed out'));
    request.onabort = () => reject(new ApiError(0, uploadAborted, 'upload aborted'));
    const body = new FormData();
    body.append('file', file, file.name);
    request.send(body);
  });
  return { promise, abort: () => request.abort() };
}
