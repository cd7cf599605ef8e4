import { m } from '../../../../shared/i18n/paraglide/messages.js';
import type { FieldKind } from '../../../../shared/ticket-types.ts';
import type { SubjectLocale } from '../../../../shared/ticket-subject.ts';
import { localeNames } from '../../../lib/i18n.svelte.ts';

/** Words of the form editor (issue 15 item 8): field kinds, languages, located form problems. */

const kinds: Record<FieldKind, () => string> = {
  select: m.admin_form_kind_select,
  multiselect: m.admin_form_kind_multiselect,
  text: m.admin_form_kind_text,
  textarea: m.admin_form_kind_textarea,
  boolean: m.admin_form_kind_boolean,
  date: m.admin_form_kind_date,
  availability: m.admin_form_kind_availability,
};
export const kindLabel = (kind: FieldKind) => kinds[kind]();

export const localeLabel = (locale: SubjectLocale) => localeNames[locale];

const issues: Record<string, () => string> = {
  duplicate_name: m.admin_form_issue_duplicate_name,
  options_required: m.admin_form_issue_options_required,
  duplicate_option: m.admin_form_issue_duplicate_option,
  unknown_option: m.admin_form_issue_unknown_option,
  unknown_parent: m.admin_form_issue_unknown_parent,
  invalid_value: m.admin_form_issue_invalid_value,
  validation_required: m.admin_form_issue_values_required,
  invalid_name: m.admin_form_issue_invalid_name,
  invalid_option_id: m.admin_form_issue_invalid_name,
  invalid_format: m.admin_form_issue_invalid_name,
};
export const formIssueText = (code: string) => (issues[code] ?? m.admin_form_issue_other)();
