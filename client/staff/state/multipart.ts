import { isApiErrorBody } from '../../../shared/api/errors.ts';
import { ApiError } from '../../lib/api.ts';

/**
 * A multipart POST to `/api…` (the JSON `api` helper cannot send files). Failures become the same
 * ApiError as every other call, so the page shows them through errorMessage().
 */
export async function postMultipart<T>(path: string, body: FormData): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : 'fetch failed');
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as T;
  if (isApiErrorBody(payload)) {
    const { code, message, fields } = payload.error;
    throw new ApiError(response.status, code, message, fields ?? {});
  }
  if (response.status === 413) throw new ApiError(413, 'payload_too_large', 'too large');
  if (response.status === 415) throw new ApiError(415, 'unsupported_media_type', 'wrong type');
  throw new ApiError(response.status, `http_${response.status}`, response.statusText);
}
