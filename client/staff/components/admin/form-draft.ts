import {
  formConsistencyIssues,
  type FieldDependency,
  type FieldKind,
  type FormField,
  type LocalizedText,
  type TicketTypeForm,
} from '../../../../shared/ticket-types.ts';
import {
  builtInFieldLabel,
  builtInOptionLabel,
  fieldLabelIn,
  optionLabelIn,
  subjectLocales,
  type SubjectLocale,
} from '../../../../shared/ticket-subject.ts';

/**
 * The form editor's working copy of a ticket type's form (issue 15 item 8). Every field and
 * option carries its labels in all three languages, filled from the built-in translations, so the
 * admin sees and edits what tenants read; `toStoredForm` keeps only labels that differ from them.
 */

export type Labels = Record<SubjectLocale, string>;

export interface DraftOption {
  id: string;
  labels: Labels;
  /** Options that came from the stored form keep their id (tickets hold it). */
  stored: boolean;
}

export interface DraftField {
  /** Stable key for keyed lists while the name is edited. */
  key: string;
  name: string;
  kind: FieldKind;
  required: boolean;
  labels: Labels;
  options: DraftOption[];
  dependsOn: FieldDependency | undefined;
  format: FormField['format'];
  maxLength: number | undefined;
  stored: boolean;
}

export interface DraftForm {
  fields: DraftField[];
  rest: Omit<TicketTypeForm, 'fields'>;
}

/** A plain copy: the stored form may be a reactive proxy, which structuredClone refuses. */
const plainCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

let keys = 0;
const nextKey = () => `f${++keys}`;
const labelsOf = (read: (locale: SubjectLocale) => string): Labels =>
  Object.fromEntries(subjectLocales.map((locale) => [locale, read(locale)])) as Labels;

export const choiceKinds: readonly FieldKind[] = ['select', 'multiselect'];
export const isChoice = (kind: FieldKind) => choiceKinds.includes(kind);

export function toDraft(form: TicketTypeForm): DraftForm {
  const { fields, ...rest } = form;
  return {
    rest: plainCopy(rest),
    fields: fields.map((field) => ({
      key: nextKey(),
      name: field.name,
      kind: field.kind,
      required: field.required,
      labels: labelsOf((locale) => fieldLabelIn(field, locale)),
      options: (field.options ?? []).map((id) => ({
        id,
        labels: labelsOf((locale) => optionLabelIn(field, id, locale)),
        stored: true,
      })),
      dependsOn: field.dependsOn ? plainCopy(field.dependsOn) : undefined,
      format: field.format,
      maxLength: field.maxLength,
      stored: true,
    })),
  };
}

/** Labels equal to the built-in translation are left out, so a fixed translation still reaches them. */
function written(labels: Labels, builtIn: (locale: SubjectLocale) => string | undefined) {
  const kept: LocalizedText = {};
  for (const locale of subjectLocales) {
    const text = labels[locale].trim();
    if (text && text !== builtIn(locale)) kept[locale] = text;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

export function toStoredForm(draft: DraftForm): TicketTypeForm {
  const fields = draft.fields.map((field): FormField => {
    const choice = isChoice(field.kind);
    const label = written(field.labels, (locale) => builtInFieldLabel(field.name, locale));
    const optionLabels = Object.fromEntries(
      (choice ? field.options : []).flatMap((option) => {
        const text = written(option.labels, (locale) => builtInOptionLabel(field.name, option.id, locale));
        return text ? [[option.id, text]] : [];
      }),
    );
    return {
      name: field.name,
      kind: field.kind,
      required: field.required,
      ...(label && { label }),
      ...(choice && { options: field.options.map((option) => option.id) }),
      ...(Object.keys(optionLabels).length > 0 && { optionLabels }),
      ...(field.dependsOn && { dependsOn: field.dependsOn }),
      ...(field.format && { format: field.format }),
      ...(field.maxLength && { maxLength: field.maxLength }),
    };
  });
  return { ...draft.rest, fields };
}

/** A technical name from a label: lower case, digits and `_` (the schema's pattern). */
export function slug(text: string, fallback: string): string {
  const made = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^[0-9_]+/, '')
    .slice(0, 40);
  return made || fallback;
}

export function newField(existing: readonly DraftField[]): DraftField {
  let n = existing.length + 1;
  while (existing.some((field) => field.name === `field_${n}`)) n++;
  return {
    key: nextKey(),
    name: `field_${n}`,
    kind: 'text',
    required: false,
    labels: { de: '', en: '', sv: '' },
    options: [],
    dependsOn: undefined,
    format: undefined,
    maxLength: undefined,
    stored: false,
  };
}

export function newOption(field: DraftField): DraftOption {
  let n = field.options.length + 1;
  while (field.options.some((option) => option.id === `option_${n}`)) n++;
  return { id: `option_${n}`, labels: { de: '', en: '', sv: '' }, stored: false };
}

export function move<T>(list: T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return list;
  const next = [...list];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/**
 * Problems of the draft as the server would locate them (`fields.3.options` → field 3), checked
 * with the same rules (formConsistencyIssues), so the editor marks them before saving.
 */
export function draftIssues(draft: DraftForm): Map<number, string[]> {
  const byField = new Map<number, string[]>();
  const add = (index: number, code: string) => byField.set(index, [...(byField.get(index) ?? []), code]);
  draft.fields.forEach((field, index) => {
    if (!/^[a-z][a-z0-9_]*$/.test(field.name)) add(index, 'invalid_name');
    if (field.options.some((option) => !/^[a-z0-9_]+$/.test(option.id))) add(index, 'invalid_option_id');
  });
  for (const issue of formConsistencyIssues(toStoredForm(draft))) {
    const [head, index] = issue.path;
    if (head === 'fields' && typeof index === 'number') add(index, issue.message);
  }
  return byField;
}

/** Server field errors (`form.fields.3.options`) by field index. */
export function serverIssues(fields: Readonly<Record<string, string>>): Map<number, string[]> {
  const byField = new Map<number, string[]>();
  for (const [path, code] of Object.entries(fields)) {
    const match = /^form\.fields\.(\d+)/.exec(path);
    if (!match) continue;
    const index = Number(match[1]);
    byField.set(index, [...(byField.get(index) ?? []), code]);
  }
  return byField;
}
