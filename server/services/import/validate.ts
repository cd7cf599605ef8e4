import { setImmediate } from 'node:timers/promises';
import { isValidIBAN, electronicFormatIBAN } from 'ibantools';
import type { z } from 'zod';
import {
  importEntities,
  importRecordSchemas,
  type ImportEntity,
  type ImportProblem,
} from '../../../shared/api/import.ts';
import { maxListedProblems, ProblemCollector } from './problems.ts';
import { sliceSize, type ImportSource, type RecordSlice } from './source.ts';

const externalIdOf = (raw: unknown): string | null => {
  if (raw && typeof raw === 'object' && 'externalId' in raw) {
    const value = raw.externalId;
    if (typeof value === 'string') return value.trim().slice(0, 100);
  }
  return null;
};

const messages: Record<string, string> = {
  invalid_type: 'The value has the wrong type.',
  invalid_value: 'The value is not one of the allowed ones.',
  too_small: 'The value is missing, empty or too small.',
  too_big: 'The value is too long or too large.',
  unrecognized_keys: 'The record has a field that does not exist.',
  invalid_format: 'The value is not in the expected format.',
  invalid_date: 'Not a calendar date (YYYY-MM-DD).',
  invalid_currency: 'Not an ISO 4217 currency code (EUR, SEK).',
  invalid_country: 'Not an ISO 3166-1 alpha-2 country code (DE, SE).',
  control_characters: 'The text contains control characters.',
  required: 'This field is required.',
  end_before_start: 'The end lies before the start.',
  due_before_issued: 'The due date lies before the issue date.',
  main_tenant_required: 'A contract needs a main tenant.',
  only_with_direct_debit: 'A mandate belongs to a contract paid by direct debit.',
  only_with_transfer: 'A standing order belongs to a contract paid by transfer.',
  duplicate_party: 'The same person is named twice on the contract.',
  duplicate_unit: 'The same unit is named twice on the contract.',
  duplicate_trade: 'The same trade is named twice.',
  duplicate_building: 'The same building is named twice.',
  phone: 'Not a phone number.',
};

/** A zod issue as a located problem: the custom codes our schemas set travel as the message. */
function problemOf(entity: ImportEntity, externalId: string | null, issue: z.core.$ZodIssue): ImportProblem {
  const custom = /^[a-z_]+$/.test(issue.message) ? issue.message : null;
  const code = issue.code === 'unrecognized_keys' ? 'unknown_field' : (custom ?? issue.code);
  const field =
    issue.code === 'unrecognized_keys'
      ? issue.keys.join(', ')
      : issue.path.length > 0
        ? issue.path.map(String).join('.')
        : null;
  return {
    entity,
    externalId,
    field,
    code,
    message: messages[custom ?? issue.code] ?? messages[code] ?? issue.message,
  };
}

/**
 * The records of a JSON body as a source: each array handed out in slices, every record checked
 * against its schema on the way. A record that fails is listed with its entity, externalId and
 * field, and left out of the slice.
 */
export function bodySource(
  raw: Partial<Record<ImportEntity, unknown[]>>,
  problems = new ProblemCollector(maxListedProblems),
): ImportSource {
  const total = importEntities.reduce((sum, entity) => sum + (raw[entity]?.length ?? 0), 0);
  let done = 0;
  return {
    problems,
    progress: () => ({ done, total }),
    async *slices<E extends ImportEntity>(entity: E): AsyncIterable<RecordSlice<E>> {
      const values = raw[entity] ?? [];
      const schema = importRecordSchemas[entity];
      for (let start = 0; start < values.length; start += sliceSize) {
        const slice: RecordSlice<E> = { records: [], at: [], refused: [] };
        for (const value of values.slice(start, start + sliceSize)) {
          done++;
          const parsed = schema.safeParse(value);
          if (parsed.success) {
            (slice.records as unknown[]).push(parsed.data);
            slice.at.push(null);
            continue;
          }
          const externalId = externalIdOf(value);
          for (const issue of parsed.error.issues) problems.add(problemOf(entity, externalId, issue));
          if (externalId) slice.refused.push({ externalId, at: null });
        }
        yield slice;
        // Between slices the thread's messages (the load's progress) go out.
        await setImmediate();
      }
    },
  };
}

/** An IBAN that fails its ISO 13616 check digits (the schema only checks its shape). */
export function ibanProblem(contract: { externalId: string; iban?: string }): ImportProblem | null {
  if (contract.iban === undefined || isValidIBAN(electronicFormatIBAN(contract.iban) ?? '')) return null;
  return {
    entity: 'contracts',
    externalId: contract.externalId,
    field: 'iban',
    code: 'invalid_iban',
    message: 'The IBAN is not valid (ISO 13616 check digits).',
  };
}

/**
 * "DE89 3704 0044 0532 0130 00" → "DE89 •••• •••• •••• ••30 00": the full number is never stored; the
 * last four digits stay, as banks show them, so tenants recognise their account.
 */
export function maskIban(iban: string): string {
  const compact = electronicFormatIBAN(iban) ?? iban.replace(/\s+/g, '').toUpperCase();
  const middle = compact.slice(4, -4).replace(/./g, '•');
  const groups = `${compact.slice(0, 4)}${middle}${compact.slice(-4)}`.match(/.{1,4}/g) ?? [];
  return groups.join(' ');
}
