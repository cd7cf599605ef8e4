import { m } from './i18n/paraglide/messages.js';
import {
  fieldLabelKey,
  optionLabelKey,
  ticketTypeLabelKey,
  type FormField,
  type LocalizedText,
  type TicketTypeForm,
} from './ticket-types.ts';

/**
 * Labels of ticket types, fields and options in a given language, and the ticket subject built from
 * them (issue 15 item 3). Pure: the server calls it with the reader's language for DTOs and with
 * the recipient's for mails and pushes; the apps call it with the language on screen.
 *
 * A label the admin wrote in the form editor (`label`, `optionLabels`) wins; else the message of
 * the derived i18n key (`field_room`, `option_room_bathroom`); else the id made human, so a field
 * added without translations still reads.
 */

export const subjectLocales = ['de', 'en', 'sv'] as const;
export type SubjectLocale = (typeof subjectLocales)[number];
/** The landlord's default language (project.inlang baseLocale): stored subject and webhooks use it. */
export const defaultSubjectLocale: SubjectLocale = 'de';

type Message = (inputs: Record<string, never>, options: { locale: SubjectLocale }) => string;
const messages = m as unknown as Record<string, Message | undefined>;

const human = (id: string) => id.replace(/_/g, ' ').replace(/^./, (first) => first.toUpperCase());
const message = (key: string, locale: SubjectLocale) => messages[key]?.({}, { locale });
/** A written label in this language, else in any other, so a half-translated label still shows. */
const written = (text: LocalizedText | undefined, locale: SubjectLocale) =>
  text?.[locale]?.trim() || undefined;

export const typeLabelIn = (typeId: string, locale: SubjectLocale) =>
  message(ticketTypeLabelKey(typeId), locale) ?? human(typeId);

export const fieldLabelIn = (field: Pick<FormField, 'name' | 'label'>, locale: SubjectLocale) =>
  written(field.label, locale) ?? message(fieldLabelKey(field.name), locale) ?? human(field.name);

export const optionLabelIn = (
  field: Pick<FormField, 'name' | 'optionLabels'>,
  option: string,
  locale: SubjectLocale,
) =>
  written(field.optionLabels?.[option], locale) ??
  message(optionLabelKey(field.name, option), locale) ??
  human(option);

/** The built-in translation of a field or option (for the editor: a label equal to it is not stored). */
export const builtInFieldLabel = (name: string, locale: SubjectLocale) =>
  message(fieldLabelKey(name), locale);
export const builtInOptionLabel = (fieldName: string, option: string, locale: SubjectLocale) =>
  message(optionLabelKey(fieldName, option), locale);

export interface SubjectInput {
  typeId: string;
  /** The type's form when the ticket was filed; without it only the type and the title are used. */
  form?: Pick<TicketTypeForm, 'fields'> | undefined;
  fields: Record<string, unknown>;
  /** The tenant's own words, when they gave a title. */
  title?: string | null | undefined;
}

const maxSubjectLength = 200;

/**
 * "Schadensmeldung: Wohnung, Bad, Schimmel" / "Damage report: Flat, Bathroom, Mould": the type
 * and its first three chosen options; with a tenant title "Schadensmeldung: Wasserhahn tropft".
 * The type leads in both, so a list reads by kind of request whatever the tenant wrote.
 */
export function ticketSubject(input: SubjectInput, locale: SubjectLocale): string {
  const type = typeLabelIn(input.typeId, locale);
  const title = input.title?.replace(/\s+/g, ' ').trim();
  if (title) return `${type}: ${title}`.slice(0, maxSubjectLength);
  const answers = (input.form?.fields ?? [])
    .filter((field) => field.kind === 'select' && typeof input.fields[field.name] === 'string')
    .slice(0, 3)
    .map((field) => optionLabelIn(field, input.fields[field.name] as string, locale));
  return (answers.length > 0 ? `${type}: ${answers.join(', ')}` : type).slice(0, maxSubjectLength);
}

export type TicketSubjects = Record<SubjectLocale, string>;

/** The subject in every language, stored with the ticket (search finds it by a word of any). */
export function ticketSubjects(input: SubjectInput): TicketSubjects {
  return Object.fromEntries(
    subjectLocales.map((locale) => [locale, ticketSubject(input, locale)]),
  ) as TicketSubjects;
}

/** The reader's subject from the stored ones; rows filed before subjects were stored keep theirs. */
export function subjectFor(
  stored: { subject: string; subjects?: Partial<Record<string, string>> | null },
  locale: string,
): string {
  return stored.subjects?.[locale] ?? stored.subject;
}
