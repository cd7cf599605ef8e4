import type { TicketDto } from '../../../../shared/api/tickets.ts';
import { m } from '../../../../shared/i18n/paraglide/messages.js';
import {
  fieldLabelKey,
  fieldValidationCodes,
  findTicketTypeDefinition,
  optionLabelKey,
  ticketTypeDescriptionKey,
  ticketTypeLabelKey,
  type AvailabilityWindow,
  type FormField,
} from '../../../../shared/ticket-types.ts';
import { ApiError } from '../../../lib/api.ts';
import { errorMessage, fieldMessage } from '../../../lib/errors.ts';
import { i18n } from '../../../lib/i18n.svelte.ts';
import { LiveError } from '../../../lib/live.svelte.ts';

/**
 * Labels of ticket types, fields and options. The ids come from data (shared/ticket-types.ts), so the
 * lookup is by the key it derives (`field_location`, `option_location_flat`): one set of messages for
 * the tenant app and the staff console (tests/unit/ticket-type-messages.test.ts checks they exist).
 * A type an admin added without translations still reads, as its id made human.
 */
const messages = m as unknown as Record<string, (() => string) | undefined>;
const human = (id: string) => id.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase());
const lookup = (key: string, fallback: string) => messages[key]?.() ?? fallback;

export const typeLabel = (typeId: string) => lookup(ticketTypeLabelKey(typeId), human(typeId));
export const typeDescription = (typeId: string) => lookup(ticketTypeDescriptionKey(typeId), '');
export const fieldLabel = (name: string) => lookup(fieldLabelKey(name), human(name));
export const optionLabel = (fieldName: string, option: string) =>
  lookup(optionLabelKey(fieldName, option), human(option));

/** Field problem codes from fieldsSchema (`validation_required` …) and from zod (`too_big` …). */
export const fieldProblem = (code: string) =>
  (fieldValidationCodes.includes(code as never) ? messages[code]?.() : undefined) ?? fieldMessage(code);

/** A field's value as text: options by label, yes/no, days and visit windows localized. */
export function fieldValueText(field: Pick<FormField, 'name' | 'kind'>, value: unknown): string {
  if (value === undefined || value === null || value === '') return '–';
  const scalar = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  switch (field.kind) {
    case 'select':
      return optionLabel(field.name, scalar);
    case 'multiselect':
      return (value as string[]).map((option) => optionLabel(field.name, option)).join(', ');
    case 'boolean':
      return value ? m.req_yes() : m.req_no();
    case 'date':
      return i18n.formatDay(scalar);
    case 'availability':
      return (value as AvailabilityWindow[])
        .map((window) =>
          m.req_window_text({ day: i18n.formatDay(window.date), from: window.from, to: window.to }),
        )
        .join('; ');
    default:
      return scalar || JSON.stringify(value);
  }
}

/** The title in the reader's language: the type and its first answers, like the server's subject. */
export function ticketTitle(ticket: Pick<TicketDto, 'type' | 'fields' | 'subject'>): string {
  const definition = findTicketTypeDefinition(ticket.type);
  if (!definition) return ticket.subject;
  const answers = definition.form.fields
    .filter((field) => field.kind === 'select' && typeof ticket.fields[field.name] === 'string')
    .slice(0, 3)
    .map((field) => optionLabel(field.name, ticket.fields[field.name] as string));
  const type = typeLabel(ticket.type);
  return answers.length > 0 ? `${type}: ${answers.join(', ')}` : type;
}

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
