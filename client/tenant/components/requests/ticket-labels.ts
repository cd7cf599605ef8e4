import { formMessages } from '../../../../shared/i18n/paraglide/form-messages.js';
import { m } from '../../../../shared/i18n/paraglide/messages.js';
import { fieldValidationCodes } from '../../../../shared/ticket-types.ts';
import { ApiError } from '../../../lib/api.ts';
import { errorMessage, fieldMessage } from '../../../lib/errors.ts';
import { LiveError } from '../../../lib/live.svelte.ts';

/** Labels of types, fields, options and subjects: one set for the tenant app and the console. */
export {
  fieldLabel,
  fieldValueText,
  optionLabel,
  ticketTitle,
  typeDescription,
  typeLabel,
} from '../../../lib/ticket-fields.ts';

/** Field problem codes from fieldsSchema (`validation_required` …) and from zod (`too_big` …). */
export const fieldProblem = (code: string) =>
  (fieldValidationCodes.includes(code as never) ? formMessages[code]?.() : undefined) ?? fieldMessage(code);

/** Codes of the ticket and upload routes → text; everything else goes to the app-wide mapping. */
const byCode: Record<string, () => string> = {
  read_only: m.req_error_read_only,
  not_resolved: m.req_error_not_resolved,
  reopen_window_closed: m.req_error_reopen_window_closed,
  invalid_attachment: m.req_error_invalid_attachment,
  unknown_ticket_type: m.req_error_unknown_type,
  heic_not_supported: m.req_error_heic,
  payload_too_large: m.req_error_too_large,
  image_too_large: m.req_error_image_too_large,
  unsupported_media_type: m.req_error_wrong_type,
  invalid_image: m.req_error_damaged_file,
  invalid_pdf: m.req_error_damaged_file,
  pdf_encrypted: m.uploads_error_pdf_encrypted,
  timeout: m.error_network,
};

export function requestErrorMessage(error: unknown): string {
  const code = error instanceof ApiError || error instanceof LiveError ? error.code : null;
  const text = code ? byCode[code] : undefined;
  if (text) return text();
  return errorMessage(error instanceof LiveError ? new ApiError(0, error.code, error.message) : error);
}
