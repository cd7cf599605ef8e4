import type { JobPageDto, JobUploadDto } from '../../shared/api/dispatch.ts';
import { isApiErrorBody } from '../../shared/api/errors.ts';

/** A failed call: the server's code (`not_found`, `job_closed` …) or `network_error`. */
export class JobApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
    this.name = 'JobApiError';
  }
}

/** The token from `/job/<token>`; the page never sends it anywhere but to its own API. */
export const token = decodeURIComponent(location.pathname.split('/')[2] ?? '');
const base = `/api/job/${encodeURIComponent(token)}`;

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      ...init,
      headers: { Accept: 'application/json', ...init.headers },
    });
  } catch {
    throw new JobApiError(0, 'network_error');
  }
  const payload: unknown = await response.json().catch(() => null);
  if (response.ok) return payload as T;
  throw new JobApiError(
    response.status,
    isApiErrorBody(payload) ? payload.error.code : `http_${response.status}`,
  );
}

const post = <T>(path: string, body: unknown) =>
  call<T>(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

export const jobApi = {
  load: async () => (await call<{ job: JobPageDto }>('')).job,
  accept: async () => (await post<{ job: JobPageDto }>('/accept', {})).job,
  decline: async (reason: string) => (await post<{ job: JobPageDto }>('/decline', { reason })).job,
  done: async (note: string, attachmentIds: string[]) =>
    (await post<{ job: JobPageDto }>('/done', { note, attachmentIds })).job,
  proposeSlots: async (slots: { start: string; end: string }[]) =>
    (await post<{ job: JobPageDto }>('/slots', { slots })).job,
  upload: async (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return (await call<{ attachment: JobUploadDto }>('/uploads', { method: 'POST', body: form })).attachment;
  },
};
