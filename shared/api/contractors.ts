import { z } from 'zod';
import { entityId } from './ids.ts';

/**
 * The landlord's contractor directory: the craftsmen a ticket can be dispatched to. Admins keep it
 * (or the ERP loads it); staff pick from it by building and trade.
 */

export const contractorTrades = [
  'plumbing',
  'heating',
  'electrical',
  'locksmith',
  'joinery',
  'painting',
  'roofing',
  'glazing',
  'pest_control',
  'cleaning',
  'gardening',
  'lift',
  'general',
] as const;
export type ContractorTrade = (typeof contractorTrades)[number];

export const contractorLanguages = ['de', 'en', 'sv'] as const;
export type ContractorLanguage = (typeof contractorLanguages)[number];

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'control_characters');

export const contractorPhone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()/-]{5,30}$/, 'phone');

/** Each trade once; at least one, so the dispatch picker can always place the company. */
const trades = z
  .array(z.enum(contractorTrades))
  .min(1)
  .max(contractorTrades.length)
  .refine((list) => new Set(list).size === list.length, 'duplicate_trade');

const buildingIds = z
  .array(entityId)
  .max(2000)
  .refine((list) => new Set(list).size === list.length, 'duplicate_building');

export const contractorCreate = z.strictObject({
  name: text(200),
  trades,
  contactPerson: text(200).nullable().default(null),
  phone: contractorPhone.nullable().default(null),
  email: z.email().max(254).nullable().default(null),
  language: z.enum(contractorLanguages).default('de'),
  buildingIds: buildingIds.default([]),
});
export type ContractorCreate = z.infer<typeof contractorCreate>;

export const contractorPatch = z
  .strictObject({
    name: text(200).optional(),
    trades: trades.optional(),
    contactPerson: text(200).nullable().optional(),
    phone: contractorPhone.nullable().optional(),
    email: z.email().max(254).nullable().optional(),
    language: z.enum(contractorLanguages).optional(),
    buildingIds: buildingIds.optional(),
    active: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: 'validation_empty_patch' });
export type ContractorPatch = z.infer<typeof contractorPatch>;

/** `GET /staff/contractors?building=&trade=`: the dispatch picker's candidates (active ones only). */
export const contractorPickerQuery = z.strictObject({
  building: entityId.optional(),
  trade: z.enum(contractorTrades).optional(),
});
export type ContractorPickerQuery = z.infer<typeof contractorPickerQuery>;

export interface ContractorDto {
  id: string;
  name: string;
  trades: ContractorTrade[];
  contactPerson: string | null;
  phone: string | null;
  email: string | null;
  language: ContractorLanguage;
  buildingIds: string[];
  /** The ERP's key when the ERP loads this contractor (then the ERP's values win on the next load). */
  externalId: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AdminContractorsDto {
  contractors: ContractorDto[];
  /** What "buildings served" may name. */
  buildings: { id: string; label: string }[];
}

/** What staff see in the dispatch picker: enough to choose and to call. */
export interface ContractorPickDto {
  id: string;
  name: string;
  trades: ContractorTrade[];
  contactPerson: string | null;
  phone: string | null;
  email: string | null;
  language: ContractorLanguage;
}

export interface ContractorPickerDto {
  contractors: ContractorPickDto[];
}
