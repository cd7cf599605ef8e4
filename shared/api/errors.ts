/** Every error answer has this shape (API.md). */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    /** Field-level problems for validation errors: path → message code. */
    fields?: Record<string, string>;
  };
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && 'error' in value && typeof value.error === 'object';
}
