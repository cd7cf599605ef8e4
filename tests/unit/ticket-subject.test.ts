import { describe, expect, it } from 'vitest';
import {
  findTicketTypeDefinition,
  ticketTypeFormSchema,
  ticketTypeDefinitions,
} from '../../shared/ticket-types.ts';
import { ticketSubject, ticketSubjects, subjectFor } from '../../shared/ticket-subject.ts';

const damage = findTicketTypeDefinition('damage_report')!;
const fields = { location: 'flat', room: 'bathroom', component: 'mould', urgency: 'normal' };
const input = { typeId: 'damage_report', form: damage.form, fields };

describe('ticket subjects (issue 15 item 3)', () => {
  it('reads in German, English and Swedish from the type and the first three answers', () => {
    expect(ticketSubject(input, 'de')).toBe('Schadensmeldung: Wohnung, Bad, Schimmel');
    expect(ticketSubject(input, 'en')).toBe('Damage report: Flat, Bathroom, Mould');
    expect(ticketSubject(input, 'sv')).toBe('Felanmälan: Lägenhet, Badrum, Mögel');
  });

  it('uses the tenant title after the type, in every language, whitespace folded', () => {
    const titled = { ...input, title: '  Wasserhahn\n tropft ' };
    expect(ticketSubjects(titled)).toEqual({
      de: 'Schadensmeldung: Wasserhahn tropft',
      en: 'Damage report: Wasserhahn tropft',
      sv: 'Felanmälan: Wasserhahn tropft',
    });
    expect(ticketSubject({ ...input, title: '   ' }, 'en')).toBe('Damage report: Flat, Bathroom, Mould');
  });

  it('prefers labels an admin wrote, and makes an unknown id readable', () => {
    const form = {
      fields: [
        {
          name: 'bike_spot',
          kind: 'select' as const,
          required: true,
          options: ['indoor'],
          optionLabels: { indoor: { de: 'Innen', en: 'Indoors' } },
        },
      ],
    };
    const custom = { typeId: 'damage_report', form, fields: { bike_spot: 'indoor' } };
    expect(ticketSubject(custom, 'de')).toBe('Schadensmeldung: Innen');
    expect(ticketSubject(custom, 'en')).toBe('Damage report: Indoors');
    // No Swedish label and no message: the id made human, never an empty subject.
    expect(ticketSubject(custom, 'sv')).toBe('Felanmälan: Indoor');
    expect(ticketSubject({ typeId: 'bike_room', fields: {} }, 'de')).toBe('Bike room');
  });

  it('falls back to the stored subject for tickets filed before subjects were stored', () => {
    expect(subjectFor({ subject: 'Damage report: flat', subjects: null }, 'de')).toBe('Damage report: flat');
    expect(subjectFor({ subject: 'x', subjects: { de: 'Schadensmeldung' } }, 'de')).toBe('Schadensmeldung');
  });
});

describe('form consistency (issue 15 item 8)', () => {
  it('accepts every seeded form', () => {
    for (const type of ticketTypeDefinitions)
      expect(ticketTypeFormSchema.safeParse(type.form).success, type.id).toBe(true);
  });

  it('locates duplicate names, missing options, unknown parents and values', () => {
    const form = {
      audience: ['tenant'],
      contract: 'optional',
      fields: [
        { name: 'kind', kind: 'select', required: true, options: ['a', 'b'] },
        { name: 'kind', kind: 'text', required: false },
        { name: 'choice', kind: 'multiselect', required: true, options: [] },
        { name: 'later', kind: 'text', required: false, dependsOn: { field: 'nowhere', values: ['a'] } },
        { name: 'detail', kind: 'text', required: false, dependsOn: { field: 'kind', values: ['c'] } },
      ],
    };
    const result = ticketTypeFormSchema.safeParse(form);
    expect(result.success).toBe(false);
    const located = Object.fromEntries(result.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(located).toEqual({
      'fields.1.name': 'duplicate_name',
      'fields.2.options': 'options_required',
      'fields.3.dependsOn.field': 'unknown_parent',
      'fields.4.dependsOn.values': 'invalid_value',
    });
  });
});
