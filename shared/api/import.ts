import { documentTypes } from './documents.ts';
import { contractorLanguages, contractorPhone, contractorTrades } from './contractors.ts';
import { z } from 'zod';

/**
 * The ERP import contract (API.md "Integration"): records keyed by the ERP's `externalId`,
 * references by the other record's `externalId`. One schema for `POST /api/v1/import`, the file
 * loader (`npm run import`) and the console's import page, so every path refuses the same input
 * with the same codes.
 */

export const importEntities = [
  'estates',
  'buildings',
  'units',
  'persons',
  'contracts',
  'ledgerEntries',
  'invoices',
  'documents',
  'contractors',
] as const;
export type ImportEntity = (typeof importEntities)[number];

/** The ERP's key: printable, no surrounding blanks, short enough for an index. */
const externalId = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}]+$/u, 'control_characters');
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'control_characters');
const optionalText = (max: number) => text(max).optional();
/**
 * Whether `YYYY-MM-DD` names a day of the Gregorian calendar (2026-02-30 does not). Arithmetic, not
 * a Date per check: an ERP load checks millions of days.
 */
export function isCalendarDay(value: string): boolean {
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

/** A calendar day `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'invalid_date')
  .refine(isCalendarDay, 'invalid_date');
/** ISO 4217, upper case (EUR, SEK). */
const currency = z.string().regex(/^[A-Z]{3}$/, 'invalid_currency');
/** ISO 3166-1 alpha-2, upper case. */
const country = z.string().regex(/^[A-Z]{2}$/, 'invalid_country');
/** Integer minor units (cents, öre). */
const minorUnits = z.int().min(-1_000_000_000_00).max(1_000_000_000_00);
const positiveOrZeroMinorUnits = z.int().min(0).max(1_000_000_000_00);

export const importEstate = z.strictObject({
  externalId,
  name: text(200),
  city: text(100),
  country,
});

export const importBuilding = z.strictObject({
  externalId,
  estateExternalId: externalId,
  street: text(200),
  houseNumber: text(20),
  postalCode: text(20),
  city: text(100),
  country,
  use: z.enum(['residential', 'commercial', 'mixed']),
  currency,
});

export const importUnit = z.strictObject({
  externalId,
  buildingExternalId: externalId,
  number: text(40),
  kind: z.enum(['flat', 'commercial', 'parking', 'storage']),
  floor: z.int().min(-10).max(200).optional(),
  areaSqm: z.number().positive().max(100_000).optional(),
  rooms: z.number().positive().max(1000).optional(),
});

/** The ERP's spelling is kept as it is ("Dr. Müller-Lüdenscheidt", "c/o"); only control characters are refused. */
const personName = text(100);

export const importPerson = z
  .strictObject({
    externalId,
    kind: z.enum(['natural', 'organisation']),
    salutation: optionalText(40),
    firstName: personName.optional(),
    lastName: personName.optional(),
    organisationName: optionalText(200),
    organisationNumber: optionalText(40),
    customerNumber: optionalText(40),
    email: z.email().max(254).optional(),
    phone: text(40)
      .regex(/^\+?[0-9 ()/-]{3,}$/, 'invalid_phone')
      .optional(),
    language: z.enum(['de', 'en', 'sv']).optional(),
  })
  .superRefine((person, ctx) => {
    if (person.kind === 'natural' && !person.lastName)
      ctx.addIssue({ code: 'custom', path: ['lastName'], message: 'required' });
    if (person.kind === 'organisation' && !person.organisationName)
      ctx.addIssue({ code: 'custom', path: ['organisationName'], message: 'required' });
  });

export const contractPartyRoles = ['main_tenant', 'co_tenant', 'household_member', 'guarantor'] as const;
export const rentComponentKinds = [
  'net_rent',
  'service_charge_advance',
  'heating_advance',
  'surcharge',
  'parking',
  'vat',
] as const;

export const importRentComponent = z.strictObject({
  kind: z.enum(rentComponentKinds),
  amount: positiveOrZeroMinorUnits,
  validFrom: isoDay,
  validTo: isoDay.optional(),
  label: optionalText(100),
});

export const importContract = z
  .strictObject({
    externalId,
    number: text(40),
    kind: z.enum(['residential', 'commercial', 'parking', 'cooperative']),
    unitExternalIds: z.array(externalId).min(1).max(50),
    parties: z
      .array(z.strictObject({ personExternalId: externalId, role: z.enum(contractPartyRoles) }))
      .min(1)
      .max(50),
    startDate: isoDay,
    endDate: isoDay.optional(),
    currency,
    paymentMethod: z.enum(['direct_debit', 'transfer']),
    /** Checked (ISO 13616 mod 97) and stored masked; the full number is never kept. */
    iban: text(42).optional(),
    accountHolder: optionalText(200),
    /** The direct-debit mandate (SEPA: mandate reference ≤ 35 characters; autogiro: payer number). */
    mandateReference: optionalText(35),
    mandateSignedOn: isoDay.optional(),
    /**
     * With `paymentMethod: transfer`: the tenant pays by their own standing order (Dauerauftrag), so
     * the portal asks them to check it rather than to transfer. `true`/`false` (also as text in files).
     */
    standingOrder: z
      .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
      .optional(),
    depositAmount: positiveOrZeroMinorUnits.optional(),
    rentComponents: z.array(importRentComponent).max(100),
  })
  .superRefine((contract, ctx) => {
    if (contract.endDate && contract.endDate < contract.startDate)
      ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'end_before_start' });
    contract.rentComponents.forEach((component, index) => {
      if (component.validTo && component.validTo < component.validFrom)
        ctx.addIssue({
          code: 'custom',
          path: ['rentComponents', index, 'validTo'],
          message: 'end_before_start',
        });
    });
    if (contract.paymentMethod !== 'direct_debit') {
      for (const field of ['mandateReference', 'mandateSignedOn'] as const)
        if (contract[field] !== undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'only_with_direct_debit' });
    }
    if (contract.standingOrder && contract.paymentMethod !== 'transfer')
      ctx.addIssue({ code: 'custom', path: ['standingOrder'], message: 'only_with_transfer' });
    if (!contract.parties.some((party) => party.role === 'main_tenant'))
      ctx.addIssue({ code: 'custom', path: ['parties'], message: 'main_tenant_required' });
    const people = contract.parties.map((party) => party.personExternalId);
    if (new Set(people).size !== people.length)
      ctx.addIssue({ code: 'custom', path: ['parties'], message: 'duplicate_party' });
    if (new Set(contract.unitExternalIds).size !== contract.unitExternalIds.length)
      ctx.addIssue({ code: 'custom', path: ['unitExternalIds'], message: 'duplicate_unit' });
  });

export const importLedgerEntry = z.strictObject({
  externalId,
  contractExternalId: externalId,
  bookedOn: isoDay,
  kind: z.enum(['charge', 'payment', 'credit', 'adjustment']),
  description: text(300),
  amount: minorUnits,
  invoiceExternalId: externalId.optional(),
});

export const importInvoice = z
  .strictObject({
    externalId,
    contractExternalId: externalId,
    number: text(40),
    periodStart: isoDay,
    periodEnd: isoDay,
    issuedOn: isoDay,
    dueOn: isoDay,
    amount: positiveOrZeroMinorUnits,
    currency,
    paymentReference: text(140),
    paidOn: isoDay.optional(),
  })
  .superRefine((invoice, ctx) => {
    if (invoice.periodEnd < invoice.periodStart)
      ctx.addIssue({ code: 'custom', path: ['periodEnd'], message: 'end_before_start' });
    if (invoice.dueOn < invoice.issuedOn)
      ctx.addIssue({ code: 'custom', path: ['dueOn'], message: 'due_before_issued' });
  });

/**
 * A PDF the ERP sends with a load (issue 14 item 4), addressed by the recipient's externalId:
 * published and notified as a staff upload is. Only loads from files carry documents: `file` names
 * a PDF in the load's folder (or its `documents/` folder), without a path.
 */
export const importDocument = z.strictObject({
  externalId,
  file: text(200).regex(/^[^/\\]+\.pdf$/i, 'invalid_file_name'),
  recipientKind: z.enum(['person', 'contract', 'building', 'estate']),
  recipientExternalId: externalId,
  type: z.enum(documentTypes),
  title: text(200),
  /** The document's date (shown as published on); today when left out. */
  date: isoDay.optional(),
  /** Building and estate documents: for tenants, owners or both (default). */
  audience: z.enum(['all', 'tenants', 'owners']).optional(),
});

/**
 * A list in one cell: the JSON body sends an array, a file a text with the items separated by `;`,
 * `,` or `|` ("plumbing; heating"). Empty items are dropped.
 */
const cellList = <T extends z.ZodType>(item: T, max: number) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(/[;,|]/)
            .map((part) => part.trim())
            .filter((part) => part.length > 0)
        : value,
    z.array(item).max(max),
  );

/**
 * A contractor of the landlord's directory (the craftsmen a ticket is dispatched to). The ERP's
 * "Handwerkerkopplung" keeps them; a load names the buildings each serves by their externalIds.
 */
export const importContractor = z
  .strictObject({
    externalId,
    name: text(200),
    trades: cellList(z.enum(contractorTrades), contractorTrades.length).refine(
      (list) => list.length > 0,
      'required',
    ),
    contactPerson: optionalText(200),
    phone: contractorPhone.optional(),
    email: z.email().max(254).optional(),
    language: z.enum(contractorLanguages).optional(),
    buildingExternalIds: cellList(externalId, 2000).optional(),
    /** `false` deactivates the contractor (also as text in files); left out, it is active. */
    active: z
      .union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
      .optional(),
  })
  .superRefine((contractor, ctx) => {
    if (new Set(contractor.trades).size !== contractor.trades.length)
      ctx.addIssue({ code: 'custom', path: ['trades'], message: 'duplicate_trade' });
    const buildings = contractor.buildingExternalIds ?? [];
    if (new Set(buildings).size !== buildings.length)
      ctx.addIssue({ code: 'custom', path: ['buildingExternalIds'], message: 'duplicate_building' });
  });

export type ImportEstate = z.infer<typeof importEstate>;
export type ImportDocument = z.infer<typeof importDocument>;
export type ImportBuilding = z.infer<typeof importBuilding>;
export type ImportUnit = z.infer<typeof importUnit>;
export type ImportPerson = z.infer<typeof importPerson>;
export type ImportContract = z.infer<typeof importContract>;
export type ImportRentComponent = z.infer<typeof importRentComponent>;
export type ImportLedgerEntry = z.infer<typeof importLedgerEntry>;
export type ImportInvoice = z.infer<typeof importInvoice>;
export type ImportContractor = z.infer<typeof importContractor>;

/** The schema of one record per entity (the body's arrays are checked record by record). */
export const importRecordSchemas = {
  estates: importEstate,
  buildings: importBuilding,
  units: importUnit,
  persons: importPerson,
  contracts: importContract,
  ledgerEntries: importLedgerEntry,
  invoices: importInvoice,
  documents: importDocument,
  contractors: importContractor,
} as const satisfies Record<ImportEntity, z.ZodType>;

export interface ImportRecords {
  estates: ImportEstate[];
  buildings: ImportBuilding[];
  units: ImportUnit[];
  persons: ImportPerson[];
  contracts: ImportContract[];
  ledgerEntries: ImportLedgerEntry[];
  invoices: ImportInvoice[];
  documents: ImportDocument[];
  contractors: ImportContractor[];
}

export const importModes = ['delta', 'full'] as const;
export type ImportMode = (typeof importModes)[number];

/**
 * The request's frame. The entity arrays are taken as unknown here and checked record by record,
 * so one bad record is reported with its entity, externalId and field instead of failing the body.
 */
export const importRequestFrame = z.strictObject({
  mode: z.enum(importModes).default('delta'),
  dryRun: z.boolean().default(false),
  ...Object.fromEntries(importEntities.map((entity) => [entity, z.array(z.unknown()).optional()])),
}) as z.ZodType<{ mode: ImportMode; dryRun: boolean } & Partial<Record<ImportEntity, unknown[]>>>;

/** One located problem (API.md: entity, externalId, field, code, message); files add where it was. */
export interface ImportProblem {
  entity: ImportEntity | 'file';
  externalId: string | null;
  field: string | null;
  code: string;
  message: string;
  /** The file (CSV name or workbook sheet) and its 1-based row, for loads from files. */
  file?: string;
  row?: number;
}

export interface ImportEntityCounts {
  created: number;
  updated: number;
  unchanged: number;
  ended: number;
}

export interface ImportResult {
  dryRun: boolean;
  mode: ImportMode;
  counts: Record<ImportEntity, ImportEntityCounts>;
}

/** A load started from the console runs as a job; the page follows its progress. */
export const importJobStates = ['running', 'checked', 'applied', 'refused', 'failed'] as const;
export type ImportJobState = (typeof importJobStates)[number];

export interface ImportJobDto {
  id: string;
  state: ImportJobState;
  source: 'api' | 'file' | 'console';
  mode: ImportMode;
  dryRun: boolean;
  /** The uploaded file's name (a workbook or the CSV files, comma-separated). */
  label: string | null;
  /** Who started it: a staff member's name or the API key's name. */
  startedBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  /** While running: records done of the total, by phase. */
  progress: { phase: 'reading' | 'checking' | 'writing'; done: number; total: number } | null;
  counts: Record<ImportEntity, ImportEntityCounts> | null;
  problemCount: number;
  /** The located problems (at most 1,000), for the report table. */
  problems: ImportProblem[];
}

export interface ImportJobsDto {
  jobs: ImportJobDto[];
}

/** The downloadable templates (API.md files), one CSV per file and one workbook with every sheet. */
export const importTemplateNames = [
  'estates',
  'buildings',
  'units',
  'persons',
  'contracts',
  'contract_units',
  'contract_parties',
  'rent_components',
  'ledger_entries',
  'invoices',
  'contractors',
] as const;
export type ImportTemplateName = (typeof importTemplateNames)[number];
