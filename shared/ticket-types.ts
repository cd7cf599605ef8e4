import { z } from 'zod';

/**
 * Ticket types are data, not code (DESIGN.md). This file is the contract between server and PWA:
 * the seeded type definitions and the zod schema both sides validate a ticket's `fields` with.
 * Labels are not here: every id maps to an i18n key (`ticketTypeI18nKeys`), so a form reads in
 * German, English and Swedish without touching this file.
 */

export const ticketPriorities = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof ticketPriorities)[number];

export const fieldKinds = [
  'select',
  'multiselect',
  'text',
  'textarea',
  'boolean',
  'date',
  'availability',
] as const;
export type FieldKind = (typeof fieldKinds)[number];

/** When a field is shown (and its `required` applies), and for cascading selects which options. */
export interface FieldDependency {
  /** The parent field's name; it comes earlier in the form. */
  field: string;
  /** Shown only while the parent holds one of these values. */
  values?: readonly (string | boolean)[];
  /** Cascading select (location → room → component, seed 000): the options per parent option. */
  optionsByValue?: Readonly<Record<string, readonly string[]>>;
}

/** A label written by an admin in the form editor, per language (issue 15 item 8). */
export type LocalizedText = Partial<Record<'de' | 'en' | 'sv', string>>;

export interface FormField {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** Overrides the i18n message `field_<name>`; needed for fields an admin added. */
  label?: LocalizedText;
  /** Per option id, overrides `option_<field>_<option>`. */
  optionLabels?: Readonly<Record<string, LocalizedText>>;
  /** Option ids (select, multiselect): every option any parent value may offer. */
  options?: readonly string[];
  dependsOn?: FieldDependency;
  /** Text checks beyond length; `iban` runs the ISO 13616 mod-97 check. */
  format?: 'iban';
  maxLength?: number;
}

export interface TicketTypeForm {
  fields: readonly FormField[];
  /** Who may file it: tenants (with `full` contract access) and/or owners (DESIGN.md roles). */
  audience: readonly ('tenant' | 'owner')[];
  /** Whether the request must name one of the filer's contracts. */
  contract: 'required' | 'optional';
  /** Raise the priority from a select, e.g. urgency `emergency` → `urgent`. */
  priorityFrom?: { field: string; map: Readonly<Record<string, TicketPriority>> };
  /**
   * Which answers make a request an emergency (issue 15 item 6): the ticket becomes `urgent`, takes
   * the urgent SLA and alerts the responsible team at once (server/services/emergencies.ts). Data,
   * not a hard-coded option id, so an admin can mark any option of any select as an emergency.
   */
  emergency?: { field: string; values: readonly string[] };
}

export const ticketTypeIds = [
  'damage_report',
  'technical_documents',
  'pet_permission',
  'bathroom_alteration',
  'awning',
  'general_correspondence',
  'rent_change',
  'contract_change',
  'contract_copy',
  'rent_certificate',
] as const;
export type TicketTypeId = (typeof ticketTypeIds)[number];

/**
 * When an SLA clock runs: `business` counts only the landlord's business hours (shared/api/
 * business-hours.ts); `always` runs around the clock, for emergencies that cannot wait for Monday.
 */
export const slaClocks = ['business', 'always'] as const;
export type SlaClock = (typeof slaClocks)[number];

export interface SlaTargets {
  firstResponse: number;
  resolution: number;
  clock: SlaClock;
}

export interface TicketTypeDefinition {
  id: string;
  sort: number;
  defaultPriority: TicketPriority;
  slaHours: { firstResponse: number; resolution: number };
  /** Targets per priority that differ from `slaHours` in business hours (stored in ticket_type_slas). */
  slaByPriority?: Partial<Record<TicketPriority, SlaTargets>>;
  form: TicketTypeForm;
}

/** One window in which a visit suits the tenant ("Terminwunsch"), local time of the building. */
export interface AvailabilityWindow {
  date: string;
  from: string;
  to: string;
}
export type FieldValue = string | string[] | boolean | AvailabilityWindow[];
export type TicketFields = Record<string, FieldValue>;

// ---- Building blocks: keep the definitions below readable as data. ----

type Extra = Partial<Omit<FormField, 'name' | 'kind'>>;
const field = (name: string, kind: FieldKind, extra: Extra = {}): FormField => ({
  name,
  kind,
  required: true,
  ...extra,
});
const select = (name: string, options: readonly string[], extra: Extra = {}) =>
  field(name, 'select', { options, ...extra });
const multiselect = (name: string, options: readonly string[], extra: Extra = {}) =>
  field(name, 'multiselect', { options, ...extra });
const optional = { required: false } as const;
const when = (parent: string, ...values: (string | boolean)[]): Extra => ({
  dependsOn: { field: parent, values },
});
const cascade = (parent: string, optionsByValue: Readonly<Record<string, readonly string[]>>): Extra => ({
  options: [...new Set(Object.values(optionsByValue).flat())],
  dependsOn: { field: parent, optionsByValue },
});
const text = (name: string, maxLength: number, extra: Extra = {}) =>
  field(name, 'text', { maxLength, ...extra });

const delivery = select('delivery', ['portal', 'post']);
const contractor = text('contractor', 200, optional);
const plannedStart = field('planned_start', 'date', optional);
const effectiveFrom = field('effective_from', 'date', optional);
const tenants = ['tenant'] as const;
const tenantsAndOwners = ['tenant', 'owner'] as const;
/** Option ids written as one line: `ids('a b c')`. */
const ids = (list: string) => list.split(' ');

// Damage report: the area selection of seed 000 ("durch die Auswahl verschiedener Bereiche").
const roomsByLocation = {
  flat: ids('kitchen bathroom toilet living_room bedroom childrens_room hallway balcony storage_room'),
  staircase: ['entrance', 'stairs', 'landing', 'elevator', 'mailboxes'],
  cellar: ['cellar_compartment', 'laundry_room', 'bicycle_room', 'boiler_room'],
  outside: ['facade', 'roof', 'courtyard', 'playground', 'waste_area', 'parking_area'],
};
const wetRoom = [
  'tap',
  'drain',
  'water',
  'toilet_cistern',
  'shower_bath',
  'washbasin',
  'tiles',
  'ventilation',
  'mould',
];
const livingRoom = ['window', 'door', 'floor', 'wall_ceiling', 'heating', 'electrics', 'mould'];
const componentsByRoom = {
  kitchen: ['tap', 'drain', 'water', 'kitchen_appliance', 'window', 'heating', 'electrics', 'floor', 'mould'],
  bathroom: [...wetRoom, 'heating', 'electrics', 'window'],
  toilet: ['toilet_cistern', 'washbasin', 'tap', 'drain', 'water', 'ventilation', 'tiles'],
  living_room: livingRoom,
  bedroom: livingRoom,
  childrens_room: livingRoom,
  hallway: ['door', 'lock', 'intercom', 'floor', 'electrics', 'smoke_detector'],
  balcony: ['balcony_door', 'railing', 'floor', 'drain'],
  storage_room: ['door', 'lighting', 'floor'],
  entrance: ['door', 'lock', 'intercom', 'lighting', 'mailboxes'],
  stairs: ['lighting', 'railing', 'floor', 'window', 'cleaning'],
  landing: ['lighting', 'window', 'floor', 'wall_ceiling', 'cleaning'],
  elevator: ['elevator'],
  mailboxes: ['mailboxes', 'lock'],
  cellar_compartment: ['door', 'lock', 'lighting', 'water', 'mould'],
  laundry_room: ['water', 'drain', 'electrics', 'lighting', 'door'],
  bicycle_room: ['door', 'lock', 'lighting'],
  boiler_room: ['heating', 'water', 'door'],
  facade: ['facade', 'window', 'graffiti'],
  roof: ['roof', 'gutter'],
  courtyard: ['lighting', 'paving', 'greenery', 'waste_bins'],
  playground: ['play_equipment', 'greenery'],
  waste_area: ['waste_bins', 'cleaning'],
  parking_area: ['lighting', 'paving', 'barrier'],
};

type Definition = TicketTypeDefinition & { id: TicketTypeId };
const hours = (firstResponse: number, resolution: number) => ({ firstResponse, resolution });

/** The seeded types (DESIGN.md "Seed types"), in the order the PWA offers them. */
export const ticketTypeDefinitions: readonly Definition[] = [
  {
    id: 'damage_report',
    sort: 10,
    defaultPriority: 'normal',
    slaHours: hours(24, 168),
    // A burst pipe at 2 a.m. on a Sunday: answered within the hour, made safe within a day, 24/7.
    slaByPriority: {
      urgent: { firstResponse: 1, resolution: 24, clock: 'always' },
      high: { firstResponse: 8, resolution: 72, clock: 'business' },
    },
    form: {
      audience: tenantsAndOwners,
      contract: 'optional',
      priorityFrom: { field: 'urgency', map: { urgent: 'high', emergency: 'urgent' } },
      emergency: { field: 'urgency', values: ['emergency'] },
      fields: [
        select('location', Object.keys(roomsByLocation)),
        field('room', 'select', cascade('location', roomsByLocation)),
        field('component', 'select', cascade('room', componentsByRoom)),
        select('urgency', ['normal', 'urgent', 'emergency']),
        field('permission_to_enter', 'boolean', when('location', 'flat')),
        field('availability', 'availability', { ...optional, ...when('location', 'flat') }),
        field('pets_at_home', 'boolean', { ...optional, ...when('location', 'flat') }),
        // Issue 20: the contractor's job page shows the tenant's number only with this consent.
        field('phone_to_contractor', 'boolean', { ...optional, ...when('location', 'flat') }),
      ],
    },
  },
  {
    // Seed 000 "Techn. Unterlagen": alteration requests ("Umbauanträge"), plans as attachments.
    id: 'technical_documents',
    sort: 20,
    defaultPriority: 'normal',
    slaHours: hours(72, 720),
    form: {
      audience: tenantsAndOwners,
      contract: 'optional',
      fields: [
        select(
          'alteration_kind',
          ids('flooring kitchen walls electrics satellite_dish wallbox balcony_solar other'),
        ),
        plannedStart,
        contractor,
      ],
    },
  },
  {
    // Seed 002 "Anträge auf Haustierhaltung".
    id: 'pet_permission',
    sort: 30,
    defaultPriority: 'low',
    slaHours: hours(72, 336),
    form: {
      audience: tenants,
      contract: 'required',
      fields: [
        select('species', ['dog', 'cat', 'small_animal', 'bird', 'reptile', 'other']),
        text('species_other', 100, when('species', 'other')),
        select('dog_size', ['small', 'medium', 'large'], when('species', 'dog')),
        text('breed', 100, optional),
      ],
    },
  },
  {
    // Seed 002 "Badumbau".
    id: 'bathroom_alteration',
    sort: 40,
    defaultPriority: 'normal',
    slaHours: hours(72, 720),
    form: {
      audience: tenants,
      contract: 'required',
      fields: [
        multiselect(
          'bathroom_changes',
          ids('walk_in_shower bathtub_to_shower grab_bars raised_toilet washbasin tiles other'),
        ),
        select('reason', ['accessibility', 'modernisation', 'other'], optional),
        // A care grade opens funding by the long-term care insurance (§ 40 Abs. 4 SGB XI).
        field('care_grade', 'boolean', { ...optional, ...when('reason', 'accessibility') }),
        plannedStart,
        contractor,
      ],
    },
  },
  {
    // Seed 002 "Anbringung einer Markise".
    id: 'awning',
    sort: 50,
    defaultPriority: 'low',
    slaHours: hours(72, 336),
    form: {
      audience: tenants,
      contract: 'required',
      fields: [
        select('mounting_location', ['balcony', 'terrace', 'window']),
        text('dimensions', 100, optional),
        text('colour', 100, optional),
        field('electric_motor', 'boolean'),
        contractor,
      ],
    },
  },
  {
    // Seed 000 "Korrespondenz" (area and kind first), seed 003 "Hausverwaltung kontaktieren".
    id: 'general_correspondence',
    sort: 60,
    defaultPriority: 'normal',
    slaHours: hours(48, 240),
    form: {
      audience: tenantsAndOwners,
      contract: 'optional',
      fields: [
        select(
          'correspondence_topic',
          ids('operating_costs rent_account neighbourhood noise cleaning waste parking keys move_out other'),
        ),
      ],
    },
  },
  {
    // Seed 000 "Mietänderungen".
    id: 'rent_change',
    sort: 70,
    defaultPriority: 'normal',
    slaHours: hours(72, 336),
    form: {
      audience: tenants,
      contract: 'required',
      fields: [
        select(
          'rent_topic',
          ids('rent_increase_question rent_reduction advance_payment_adjustment housing_benefit other'),
        ),
        effectiveFrom,
      ],
    },
  },
  {
    // Seed 000 "Mietvertrag … zum Beispiel die Änderung Ihrer Bankverbindung"; seed 003 likewise.
    id: 'contract_change',
    sort: 80,
    defaultPriority: 'normal',
    slaHours: hours(48, 240),
    form: {
      audience: tenants,
      contract: 'required',
      fields: [
        select(
          'contract_change_kind',
          ids('bank_details payment_method add_person remove_person name_change sublet termination other'),
        ),
        text('iban', 42, { format: 'iban', ...when('contract_change_kind', 'bank_details') }),
        text('account_holder', 140, when('contract_change_kind', 'bank_details')),
        // The SEPA Core Direct Debit rulebook needs a signed mandate before the first collection.
        field('sepa_mandate', 'boolean', when('contract_change_kind', 'bank_details')),
        select(
          'payment_method',
          ['direct_debit', 'transfer'],
          when('contract_change_kind', 'payment_method'),
        ),
        text('person_name', 200, when('contract_change_kind', 'add_person', 'remove_person', 'name_change')),
        effectiveFrom,
      ],
    },
  },
  {
    // Seed 004: a copy of a manually signed contract is asked for by ticket.
    id: 'contract_copy',
    sort: 90,
    defaultPriority: 'low',
    slaHours: hours(48, 120),
    form: {
      audience: tenants,
      contract: 'required',
      fields: [
        multiselect('copy_documents', ['contract', 'addenda', 'house_rules', 'handover_protocol']),
        delivery,
      ],
    },
  },
  {
    // Seed 002 "Mietbescheinigung", a pre-filled self-service form.
    id: 'rent_certificate',
    sort: 100,
    defaultPriority: 'normal',
    slaHours: hours(48, 120),
    form: {
      audience: tenants,
      contract: 'required',
      fields: [
        // registration_office: the landlord's confirmation for the residents' registration (§ 19 BMG).
        select('certificate_purpose', ['jobcenter', 'housing_benefit', 'registration_office', 'other']),
        text('recipient', 200, optional),
        delivery,
      ],
    },
  },
];

export function findTicketTypeDefinition(id: string): Definition | undefined {
  return ticketTypeDefinitions.find((type) => type.id === id);
}

// ---- Validation shared by server and PWA. ----

/** Messages of the issues below; each is also an i18n key. */
export const fieldValidationCodes = [
  'validation_required',
  'validation_invalid_option',
  'validation_invalid_iban',
  'validation_invalid_window',
] as const;

const clock = /^([01]\d|2[0-3]):[0-5]\d$/;
export const availabilityWindowSchema = z
  .strictObject({ date: z.iso.date(), from: z.string().regex(clock), to: z.string().regex(clock) })
  .refine((window) => window.from < window.to, { path: ['to'], message: 'validation_invalid_window' });

const localizedText = z.strictObject({
  de: z.string().trim().max(120).optional(),
  en: z.string().trim().max(120).optional(),
  sv: z.string().trim().max(120).optional(),
});

/** The stored form JSON (ticket_types.form), checked when read back or edited by an admin. */
export const ticketTypeFormSchema: z.ZodType<TicketTypeForm> = z
  .strictObject({
    fields: z.array(
      z.strictObject({
        name: z.string().regex(/^[a-z][a-z0-9_]*$/),
        kind: z.enum(fieldKinds),
        required: z.boolean(),
        label: localizedText.optional(),
        options: z
          .array(z.string().regex(/^[a-z0-9_]+$/))
          .max(100)
          .optional(),
        optionLabels: z.record(z.string(), localizedText).optional(),
        dependsOn: z
          .strictObject({
            field: z.string(),
            values: z.array(z.union([z.string(), z.boolean()])).optional(),
            optionsByValue: z.record(z.string(), z.array(z.string())).optional(),
          })
          .optional(),
        format: z.literal('iban').optional(),
        maxLength: z.int().positive().optional(),
      }),
    ),
    audience: z.array(z.enum(['tenant', 'owner'])),
    contract: z.enum(['required', 'optional']),
    priorityFrom: z
      .strictObject({ field: z.string(), map: z.record(z.string(), z.enum(ticketPriorities)) })
      .optional(),
    emergency: z
      .strictObject({
        field: z.string(),
        values: z
          .array(z.string().regex(/^[a-z0-9_]+$/))
          .min(1)
          .max(32),
      })
      .optional(),
  })
  .superRefine((form, context) => {
    for (const issue of formConsistencyIssues(form)) context.addIssue(issue);
  });

const choiceKinds: readonly FieldKind[] = ['select', 'multiselect'];
type FormIssue = { code: 'custom'; path: (string | number)[]; message: string };

/**
 * What the shape alone cannot say (issue 15 item 8): names are unique, choices have options,
 * a dependency names an EARLIER field and values it can hold, labels name existing options. Each
 * problem is located (`fields.3.dependsOn.field`), so the editor marks the field it belongs to.
 */
export function formConsistencyIssues(form: TicketTypeForm): FormIssue[] {
  const issues: FormIssue[] = [];
  const issue = (path: (string | number)[], message: string) =>
    issues.push({ code: 'custom', path, message });
  const seen = new Map<string, FormField>();
  form.fields.forEach((formField, index) => {
    const at = (...rest: (string | number)[]) => ['fields', index, ...rest];
    if (seen.has(formField.name)) issue(at('name'), 'duplicate_name');
    const options = formField.options ?? [];
    if (choiceKinds.includes(formField.kind) && options.length === 0)
      issue(at('options'), 'options_required');
    if (new Set(options).size !== options.length) issue(at('options'), 'duplicate_option');
    for (const option of Object.keys(formField.optionLabels ?? {}))
      if (!options.includes(option)) issue(at('optionLabels', option), 'unknown_option');
    const dependency = formField.dependsOn;
    const parent = dependency ? seen.get(dependency.field) : undefined;
    if (dependency && !parent) issue(at('dependsOn', 'field'), 'unknown_parent');
    if (dependency && parent) {
      const parentOptions = parent.options ?? [];
      const holds = (value: string | boolean) =>
        parent.kind === 'boolean'
          ? typeof value === 'boolean'
          : typeof value === 'string' &&
            (!choiceKinds.includes(parent.kind) || parentOptions.includes(value));
      if (dependency.values?.length === 0) issue(at('dependsOn', 'values'), 'validation_required');
      if (dependency.values?.some((value) => !holds(value)))
        issue(at('dependsOn', 'values'), 'invalid_value');
      for (const [value, offered] of Object.entries(dependency.optionsByValue ?? {})) {
        if (!parentOptions.includes(value)) issue(at('dependsOn', 'optionsByValue', value), 'invalid_value');
        else if (offered.some((option) => !options.includes(option)))
          issue(at('dependsOn', 'optionsByValue', value), 'unknown_option');
      }
    }
    // A duplicate keeps the first field as the parent its dependents mean.
    if (!seen.has(formField.name)) seen.set(formField.name, formField);
  });
  if (form.priorityFrom) {
    const source = seen.get(form.priorityFrom.field);
    if (!source || source.kind !== 'select') issue(['priorityFrom', 'field'], 'unknown_field');
    else if (Object.keys(form.priorityFrom.map).some((value) => !source.options?.includes(value)))
      issue(['priorityFrom', 'map'], 'unknown_option');
  }
  return issues;
}

/** ISO 13616: move the first four characters to the end, letters to numbers, remainder mod 97 is 1. */
export function isValidIban(value: string): boolean {
  const iban = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  let remainder = 0;
  for (const character of iban.slice(4) + iban.slice(0, 4)) {
    const digits = character >= 'A' ? String(character.charCodeAt(0) - 55) : character;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function valueSchema(formField: FormField): z.ZodType<FieldValue> {
  switch (formField.kind) {
    case 'select':
      return z.string().max(64);
    case 'multiselect':
      return z.array(z.string().max(64)).max(formField.options?.length ?? 32);
    case 'text':
      return z
        .string()
        .trim()
        .max(formField.maxLength ?? 200);
    case 'textarea':
      return z
        .string()
        .trim()
        .max(formField.maxLength ?? 4000);
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.iso.date();
    case 'availability':
      return z.array(availabilityWindowSchema).max(10);
  }
}

const isEmpty = (value: FieldValue | undefined) =>
  value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

/** Whether a field applies given the values so far (its parent applies and matches). */
export function isFieldActive(
  form: TicketTypeForm,
  formField: FormField,
  values: Partial<TicketFields>,
): boolean {
  const dependency = formField.dependsOn;
  if (!dependency) return true;
  const parent = form.fields.find((candidate) => candidate.name === dependency.field);
  const parentValue = values[dependency.field];
  if (!parent || !isFieldActive(form, parent, values) || isEmpty(parentValue)) return false;
  if (dependency.values && !dependency.values.some((allowed) => allowed === parentValue)) return false;
  if (dependency.optionsByValue)
    return typeof parentValue === 'string' && parentValue in dependency.optionsByValue;
  return true;
}

/** The options a select offers now: narrowed by the parent's value for cascading selects. */
export function allowedOptions(formField: FormField, values: Partial<TicketFields>): readonly string[] {
  const byValue = formField.dependsOn?.optionsByValue;
  if (!byValue) return formField.options ?? [];
  const parentValue = values[formField.dependsOn?.field ?? ''];
  return typeof parentValue === 'string' ? (byValue[parentValue] ?? []) : [];
}

/**
 * The schema for a ticket's `fields` of this type. Unknown keys fail; values of fields that do not
 * apply (e.g. a room left over after the location changed) are dropped; IBANs come out compact.
 */
export function fieldsSchema(type: { form: TicketTypeForm }): z.ZodType<TicketFields, unknown> {
  const { form } = type;
  const shape = Object.fromEntries(
    form.fields.map((formField) => [formField.name, valueSchema(formField).optional()]),
  );
  return z.strictObject(shape).transform((input, context) => {
    const values = input as Partial<TicketFields>;
    const accepted: TicketFields = {};
    for (const formField of form.fields) {
      const value = values[formField.name];
      if (!isFieldActive(form, formField, values)) continue;
      const issue = (message: string) =>
        context.addIssue({ code: 'custom', path: [formField.name], message });
      if (value === undefined || isEmpty(value)) {
        if (formField.required) issue('validation_required');
        continue;
      }
      const offered = allowedOptions(formField, values);
      const chosen = typeof value === 'string' ? [value] : value;
      if (formField.kind === 'select' || formField.kind === 'multiselect') {
        const invalid = (chosen as string[]).some((option) => !offered.includes(option));
        if (invalid || new Set(chosen as string[]).size !== (chosen as string[]).length)
          issue('validation_invalid_option');
      }
      if (formField.format === 'iban' && typeof value === 'string') {
        if (!isValidIban(value)) issue('validation_invalid_iban');
        accepted[formField.name] = value.replace(/\s+/g, '').toUpperCase();
        continue;
      }
      accepted[formField.name] = value;
    }
    return accepted;
  });
}

/** Whether the answers hold one the form marks as an emergency (a select's or multiselect's option). */
export function isEmergencyAnswer(form: TicketTypeForm, fields: Partial<TicketFields>): boolean {
  const rule = form.emergency;
  if (!rule) return false;
  const value = fields[rule.field];
  const chosen = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return chosen.some((option) => typeof option === 'string' && rule.values.includes(option));
}

/**
 * The priority a new ticket gets: `urgent` for an emergency answer, else the type's default,
 * raised by `priorityFrom` where it maps.
 */
export function priorityForFields(
  type: Pick<TicketTypeDefinition, 'defaultPriority' | 'form'>,
  fields: TicketFields,
): TicketPriority {
  if (isEmergencyAnswer(type.form, fields)) return 'urgent';
  const rule = type.form.priorityFrom;
  const value = rule ? fields[rule.field] : undefined;
  return (typeof value === 'string' && rule?.map[value]) || type.defaultPriority;
}

// ---- i18n keys: derived from ids, so adding an option means adding its translations. ----

export const ticketTypeLabelKey = (id: string) => `ticket_type_${id}`;
export const ticketTypeDescriptionKey = (id: string) => `ticket_type_${id}_description`;
export const fieldLabelKey = (name: string) => `field_${name}`;
export const optionLabelKey = (fieldName: string, option: string) => `option_${fieldName}_${option}`;

/** Every key the client needs to render the seeded forms, sorted and unique. */
export function ticketTypeI18nKeys(
  definitions: readonly TicketTypeDefinition[] = ticketTypeDefinitions,
): string[] {
  const keys = new Set<string>(fieldValidationCodes);
  for (const type of definitions) {
    keys.add(ticketTypeLabelKey(type.id)).add(ticketTypeDescriptionKey(type.id));
    for (const formField of type.form.fields) {
      keys.add(fieldLabelKey(formField.name));
      for (const option of formField.options ?? []) keys.add(optionLabelKey(formField.name, option));
    }
  }
  return [...keys].sort();
}
