import { isValidIBAN, electronicFormatIBAN } from 'ibantools';
import type { z } from 'zod';
import {
  importEntities,
  importRecordSchemas,
  type ImportEntity,
  type ImportProblem,
  type ImportRecords,
} from '../../../shared/api/import.ts';

/** A load answers at most this many problems; the count says how many there were. */
export const maxReportedProblems = 1000;

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
  duplicate_party: 'The same person is named twice on the contract.',
  duplicate_unit: 'The same unit is named twice on the contract.',
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

export interface CheckedLoad {
  records: ImportRecords;
  problems: ImportProblem[];
}

/**
 * Every record against its schema, then the rules that need the whole load: an externalId twice in
 * one entity, an IBAN that fails its check digits. Nothing here reads the database.
 */
export function checkRecords(
  raw: Partial<Record<ImportEntity, unknown[]>>,
  options: { alreadyParsed?: boolean } = {},
): CheckedLoad {
  const problems: ImportProblem[] = [];
  const records = Object.fromEntries(
    importEntities.map((entity) => [entity, []]),
  ) as unknown as ImportRecords;
  for (const entity of importEntities) {
    const schema = importRecordSchemas[entity];
    const seen = new Set<string>();
    for (const value of raw[entity] ?? []) {
      const externalId = externalIdOf(value);
      // Records from the file layer went through these schemas already (a second pass is a third of a load).
      const parsed = options.alreadyParsed
        ? { success: true as const, data: value }
        : schema.safeParse(value);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) problems.push(problemOf(entity, externalId, issue));
        continue;
      }
      const record = parsed.data as { externalId: string };
      if (seen.has(record.externalId)) {
        problems.push({
          entity,
          externalId: record.externalId,
          field: 'externalId',
          code: 'duplicate_external_id',
          message: 'This externalId appears more than once in the load.',
        });
        continue;
      }
      seen.add(record.externalId);
      (records[entity] as unknown[]).push(parsed.data);
    }
  }
  for (const contract of records.contracts) {
    if (contract.iban !== undefined && !isValidIBAN(electronicFormatIBAN(contract.iban) ?? ''))
      problems.push({
        entity: 'contracts',
        externalId: contract.externalId,
        field: 'iban',
        code: 'invalid_iban',
        message: 'The IBAN is not valid (ISO 13616 check digits).',
      });
  }
  return { records, problems };
}

/** "DE89 3704 0044 0532 0130 00" → "DE89 •••• •••• •••• •••• 00": the full number is never stored. */
export function maskIban(iban: string): string {
  const compact = electronicFormatIBAN(iban) ?? iban.replace(/\s+/g, '').toUpperCase();
  const middle = compact.slice(4, -2).replace(/./g, '•');
  const groups = `${compact.slice(0, 4)}${middle}${compact.slice(-2)}`.match(/.{1,4}/g) ?? [];
  return groups.join(' ');
}
