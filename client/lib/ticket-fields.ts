import type { TicketDto } from '../../shared/api/tickets.ts';
import { formMessages } from '../../shared/i18n/paraglide/form-messages.js';
import { m } from '../../shared/i18n/paraglide/messages.js';
import { fieldLabelIn, optionLabelIn, subjectFor } from '../../shared/ticket-subject.ts';
import {
  fieldLabelKey,
  optionLabelKey,
  ticketTypeDescriptionKey,
  ticketTypeLabelKey,
  type AvailabilityWindow,
  type FormField,
} from '../../shared/ticket-types.ts';
import { i18n } from './i18n.svelte.ts';

/**
 * Labels of ticket types, fields and options, for the tenant app and the staff console alike. The
 * ids come from data (shared/ticket-types.ts), so the lookup is by the key it derives
 * (`field_location`, `option_location_flat`; tests/unit/ticket-type-messages.test.ts checks they
 * exist; scripts/i18n.js lists the messages such a key can name, so the pages that show forms do not
 * bundle every message). A type an admin added without translations still reads, as its id made human.
 */
const messages = formMessages;
const human = (id: string) => id.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase());
const lookup = (key: string, fallback: string) => messages[key]?.() ?? fallback;

export const typeLabel = (typeId: string) => lookup(ticketTypeLabelKey(typeId), human(typeId));
export const typeDescription = (typeId: string) => lookup(ticketTypeDescriptionKey(typeId), '');

/**
 * A field or option by its form definition: the labels an admin wrote in the form editor win, by
 * the same rule as subjects and mails (shared/ticket-subject.ts); by name alone where only the
 * name is at hand.
 */
type Labelled = string | Pick<FormField, 'name' | 'label' | 'optionLabels'>;
export const fieldLabel = (field: Labelled) =>
  typeof field === 'string' ? lookup(fieldLabelKey(field), human(field)) : fieldLabelIn(field, i18n.locale);
export const optionLabel = (field: Labelled, option: string) =>
  typeof field === 'string'
    ? lookup(optionLabelKey(field, option), human(option))
    : optionLabelIn(field, option, i18n.locale);

/** A field's value as text: options by label, yes/no, days and visit windows localized. */
export function fieldValueText(
  field: Pick<FormField, 'name' | 'kind' | 'label' | 'optionLabels'>,
  value: unknown,
): string {
  if (value === undefined || value === null || value === '') return '–';
  const scalar = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  switch (field.kind) {
    case 'select':
      return optionLabel(field, scalar);
    case 'multiselect':
      return (value as string[]).map((option) => optionLabel(field, option)).join(', ');
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

/**
 * The subject in the language on screen: the one the server stored for every language when the
 * request was filed (the same text as in the console and in mails), else the one it sent.
 */
export function ticketTitle(
  ticket: Pick<TicketDto, 'subject'> & Partial<Pick<TicketDto, 'subjects'>>,
): string {
  return subjectFor(ticket, i18n.locale);
}
