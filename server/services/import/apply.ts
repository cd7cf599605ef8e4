import type { StoredEvent } from '../../../db/repositories/events.ts';
import { findOrInsertFile } from '../../../db/repositories/files.ts';
import type { DocumentTarget } from '../documents/staff.ts';
import type { PreparedDocumentFile } from './documents.ts';
import { newId } from '../../../db/ids.ts';
import { listUserIdsOfPersons } from '../../../db/repositories/notifications.ts';
import { appendAccessChange } from '../../events/access-changes.ts';
import {
  claimLoadKey,
  claimLoadKeys,
  endParty,
  findAdoptableContract,
  findAdoptableInvoice,
  findAdoptablePerson,
  findAdoptableUnit,
  findByExternalIds,
  findDocumentsByExternalIds,
  findIdsByExternalIds,
  updateImportedDocument,
  hasRowsWithoutExternalId,
  insertContractUnitRows,
  insertExternalRows,
  insertPartyRows,
  insertRentComponentRows,
  insertRentComponent,
  isLoadKey,
  listContractsOnUnits,
  listPartiesOf,
  listRentComponentsOf,
  listRunningErpContractsNotInLoad,
  listUnitIdsOfContract,
  replaceContractUnits,
  startLoadKeys,
  updateExternalRow,
  updateRentComponent,
  upsertParty,
  type ExternalInsert,
  type ExternalRow,
  type ExternalTable,
} from '../../../db/repositories/erp-import.ts';
import type { DbOrTx, Tx } from '../../../db/transaction.ts';
import {
  importEntities,
  type ImportDocument,
  type ImportEntity,
  type ImportEntityCounts,
  type ImportMode,
  type ImportProblem,
  type ImportRecords,
} from '../../../shared/api/import.ts';
import type { ProblemCollector } from './problems.ts';
import { sliceSize, type ImportSource, type RecordLocation } from './source.ts';
import { ibanProblem, maskIban } from './validate.ts';
import { applyContractors } from './contractors.ts';

/** Reports how far a load is (the source's bytes or records read), at most every 500 records. */
export type ImportProgress = (progress: {
  phase: 'reading' | 'checking' | 'writing';
  done: number;
  total: number;
}) => void;

/** What a load would write, entity by entity; `ended` counts what a full load closes. */
export type ImportCounts = Record<ImportEntity, ImportEntityCounts>;

const emptyCounts = (): ImportCounts =>
  Object.fromEntries(
    importEntities.map((entity) => [entity, { created: 0, updated: 0, unchanged: 0, ended: 0 }]),
  ) as ImportCounts;

type Outcome = 'created' | 'updated' | 'unchanged';

/** Dates and numbers compare by value; a Date column against a Date, everything else strictly. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  return (a ?? null) === (b ?? null);
}

function changedFields(existing: Record<string, unknown>, next: Record<string, unknown>): boolean {
  for (const key in next) if (!sameValue(existing[key], next[key])) return true;
  return false;
}

/** Midnight UTC of an ISO day: when an invoice counts as paid (the ERP sends the day only). */
const dayAsDate = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** A reference from one record to another, by the other's externalId. */
interface Reference {
  entity: ExternalTable;
  externalId: string;
  field: string;
}

export interface ApplyContext {
  db: DbOrTx;
  today: string;
  counts: ImportCounts;
  problems: ProblemCollector;
  /** People whose contracts changed: their open sockets move rooms (`access.changed`). */
  touchedPersonIds: Set<string>;
  createdPersonIds: string[];
  source: ImportSource;
  progress: { records: number; report?: ImportProgress };
  events: StoredEvent[];
  newId: () => string;
}

export function advance(ctx: ApplyContext): void {
  const progress = ctx.progress;
  progress.records++;
  if (progress.report && progress.records % 500 === 0)
    progress.report({ phase: 'writing', ...ctx.source.progress() });
}

export function report(ctx: ApplyContext, problem: ImportProblem, at: RecordLocation | null): void {
  ctx.problems.add(at ? { ...problem, ...at } : problem);
}

/**
 * Once the load has a problem nothing more is written (it will be rolled back), but every record
 * is still read and checked, so one run names everything there is to fix.
 */
export const checkingOnly = (ctx: ApplyContext): boolean => ctx.problems.problems.length > 0;

/** A record's key, claimed for the load; false (and a located problem) when the load named it before. */
export async function claim(
  ctx: ApplyContext,
  entity: ImportEntity,
  externalId: string,
  at: RecordLocation | null,
): Promise<boolean> {
  const earlier = await claimLoadKey(ctx.db, entity, externalId, at);
  if (!earlier) return true;
  reportDuplicate(ctx, entity, externalId, earlier, at);
  return false;
}

function reportDuplicate(
  ctx: ApplyContext,
  entity: ImportEntity,
  externalId: string,
  earlier: { file: string | null; row: number | null },
  at: RecordLocation | null,
): void {
  report(
    ctx,
    {
      entity,
      externalId,
      field: 'externalId',
      code: 'duplicate_external_id',
      message: earlier.file
        ? `"${externalId}" already appears in ${earlier.file}, row ${earlier.row}`
        : 'This externalId appears more than once in the load.',
    },
    at,
  );
}

/** claim for each record of a slice, the keys noted in one statement. */
async function claimSlice(
  ctx: ApplyContext,
  entity: ImportEntity,
  records: readonly { externalId: string }[],
  at: readonly (RecordLocation | null)[],
): Promise<boolean[]> {
  const earlier = await claimLoadKeys(
    ctx.db,
    entity,
    records.map((record, index) => ({ externalId: record.externalId, at: at[index] ?? null })),
  );
  return earlier.map((found, index) => {
    if (!found) return true;
    reportDuplicate(ctx, entity, records[index]!.externalId, found, at[index] ?? null);
    return false;
  });
}

/**
 * The internal ids of what a slice of records refers to, looked up once per slice. While the load
 * is only being checked, the records it names were not written: a reference to one of them is
 * still a good reference (without an id).
 */
class References {
  private constructor(
    private readonly ctx: ApplyContext,
    private readonly found: Map<ExternalTable, Map<string, string>>,
  ) {}

  /** Looks up every referenced key of a slice at once, one query per entity. */
  static async resolveAll(ctx: ApplyContext, references: readonly Reference[]): Promise<References> {
    const wanted = new Map<ExternalTable, Set<string>>();
    for (const reference of references) {
      let keys = wanted.get(reference.entity);
      if (!keys) wanted.set(reference.entity, (keys = new Set()));
      keys.add(reference.externalId);
    }
    const found = new Map<ExternalTable, Map<string, string>>();
    for (const [entity, keys] of wanted)
      found.set(entity, await findIdsByExternalIds(ctx.db, entity, [...keys]));
    return new References(ctx, found);
  }

  /** The id, '' for a good reference not yet written, or null (with a located problem). */
  async resolve(
    reference: Reference,
    from: { entity: ImportEntity; externalId: string; at: RecordLocation | null },
  ): Promise<string | null> {
    const id = this.found.get(reference.entity)?.get(reference.externalId);
    if (id) return id;
    if (checkingOnly(this.ctx) && (await isLoadKey(this.ctx.db, reference.entity, reference.externalId)))
      return '';
    report(
      this.ctx,
      {
        entity: from.entity,
        externalId: from.externalId,
        field: reference.field,
        code: 'unknown_reference',
        message: `No ${reference.entity} record with externalId ${reference.externalId} in this load or in the portal.`,
      },
      from.at,
    );
    return null;
  }
}

interface EntityPlan<E extends ExternalTable> {
  entity: E;
  /** What each record refers to (resolved for the whole slice at once). */
  references?: (record: ImportRecords[E][number]) => Reference[];
  /** The row's values, or null when a reference failed (already reported). */
  values: (
    record: ImportRecords[E][number],
    ids: Record<string, string>,
  ) => Omit<ExternalInsert<E>, 'externalId'> | null;
  /** A portal row without an ERP key that this record takes over (by natural key). */
  adopt?: (
    record: ImportRecords[E][number],
    values: Record<string, unknown>,
  ) => Promise<ExternalRow<E> | undefined>;
}

/**
 * Upserts one slice of an entity's records: found by externalId (or adopted by natural key),
 * compared field by field, inserted, updated or left alone, and counted. A row found by natural key
 * that already carries another key is a conflict. Answers the id and outcome of each record written.
 */
async function upsertSlice<E extends ExternalTable>(
  ctx: ApplyContext,
  plan: EntityPlan<E>,
  records: ImportRecords[E],
  at: (RecordLocation | null)[],
  options: { adoptable: boolean; claimed?: boolean },
): Promise<Map<string, { id: string; outcome: Outcome }>> {
  const { entity } = plan;
  const written = new Map<string, { id: string; outcome: Outcome }>();
  const claimed: boolean[] =
    options.claimed === true ? records.map(() => true) : await claimSlice(ctx, entity, records, at);
  const referencesOf = records.map((record, index) =>
    claimed[index] && plan.references ? plan.references(record) : [],
  );
  const references = await References.resolveAll(ctx, referencesOf.flat());
  const existing = checkingOnly(ctx)
    ? new Map<string, ExternalRow<E>>()
    : await findByExternalIds(
        ctx.db,
        entity,
        records.map((record) => record.externalId),
      );
  const inserts: ExternalInsert<E>[] = [];
  nextRecord: for (const [index, record] of records.entries()) {
    advance(ctx);
    if (!claimed[index]) continue;
    const where = at[index] ?? null;
    const ids: Record<string, string> = {};
    for (const reference of referencesOf[index]!) {
      const id = await references.resolve(reference, { entity, externalId: record.externalId, at: where });
      if (id === null) continue nextRecord;
      ids[reference.field] = id;
    }
    const values = plan.values(record, ids);
    if (!values || checkingOnly(ctx)) continue;
    let row: ExternalRow<E> | undefined = existing.get(record.externalId);
    if (!row && options.adoptable && plan.adopt) {
      const candidate = await plan.adopt(record, values);
      if (candidate && candidate.externalId && candidate.externalId !== record.externalId) {
        report(
          ctx,
          {
            entity,
            externalId: record.externalId,
            field: null,
            code: 'natural_key_taken',
            message: `A record with the same number already belongs to externalId ${candidate.externalId}.`,
          },
          where,
        );
        continue;
      }
      row = candidate;
    }
    let outcome: Outcome;
    let id: string;
    if (!row) {
      id = ctx.newId();
      inserts.push({ ...values, id, externalId: record.externalId } as ExternalInsert<E>);
      outcome = 'created';
    } else {
      id = row.id;
      const next = { ...values, externalId: record.externalId } as Record<string, unknown>;
      outcome = changedFields(row, next) ? 'updated' : 'unchanged';
      if (outcome === 'updated')
        await updateExternalRow(ctx.db, entity, row.id, next as Partial<ExternalInsert<E>>);
    }
    ctx.counts[entity][outcome]++;
    written.set(record.externalId, { id, outcome });
  }
  if (!checkingOnly(ctx)) await insertExternalRows(ctx.db, entity, inserts);
  return written;
}

/** Every record of an entity, slice by slice as the source reads them. */
async function upsertAll<E extends ExternalTable>(
  ctx: ApplyContext,
  plan: EntityPlan<E>,
  onWritten?: (written: Map<string, { id: string; outcome: Outcome }>) => void,
): Promise<void> {
  // Looking up a natural key per new record is only worth it while portal rows without a key exist.
  const adoptable = plan.adopt !== undefined && (await hasRowsWithoutExternalId(ctx.db, plan.entity));
  for await (const slice of ctx.source.slices(plan.entity)) {
    for (const refused of slice.refused) await claim(ctx, plan.entity, refused.externalId, refused.at);
    const written = await upsertSlice(ctx, plan, slice.records, slice.at, { adoptable });
    onWritten?.(written);
    if (ctx.problems.full) return;
  }
}

/** The whole of an entity's records (contracts and documents: bounded by the landlord's size, not its history). */
export async function collect<E extends ImportEntity>(
  ctx: ApplyContext,
  entity: E,
): Promise<{ records: ImportRecords[E]; at: (RecordLocation | null)[] }> {
  const records = [] as unknown as ImportRecords[E];
  const at: (RecordLocation | null)[] = [];
  for await (const slice of ctx.source.slices(entity)) {
    for (const refused of slice.refused) await claim(ctx, entity, refused.externalId, refused.at);
    (records as unknown[]).push(...slice.records);
    at.push(...slice.at);
  }
  return { records, at };
}

export interface ApplyOutcome {
  counts: ImportCounts;
  /** The people this load created: the registration letters of a go-live are printed for them. */
  createdPersonIds: string[];
  /** Live events of its access changes and the documents it published, sent once it has committed. */
  events: StoredEvent[];
}

export interface ApplyOptions {
  timeZone: string;
  /** When the load runs: the publishing time of documents without a date of their own. */
  now: Date;
  /**
   * Checks and stores the PDFs of the load's documents (documents.ts); absent for a JSON body,
   * whose documents are refused (`documents_need_files`).
   */
  prepareDocuments?: (
    documents: readonly ImportDocument[],
  ) => Promise<{ files: ReadonlyMap<string, PreparedDocumentFile>; problems: ImportProblem[] }>;
  report?: ImportProgress;
  /** Ids of the rows it creates; random (db/ids.ts) unless the caller needs them reproducible (the demo). */
  newId?: () => string;
}

/**
 * Reads the load from its source and writes it inside the caller's transaction, in reference
 * order, one slice at a time. Problems found on the way (a bad row, an unknown reference, a taken
 * number, an overlap) are collected in the source's list, not thrown; from the first one on
 * nothing more is written and the caller rolls the whole transaction back, so nothing of a refused
 * load stays. Memory holds one slice of the big entities (ledger, invoices), and the contracts.
 */
export async function applyLoad(
  db: DbOrTx,
  source: ImportSource,
  mode: ImportMode,
  today: string,
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  await startLoadKeys(db);
  const ctx: ApplyContext = {
    db,
    today,
    counts: emptyCounts(),
    problems: source.problems,
    touchedPersonIds: new Set(),
    createdPersonIds: [],
    source,
    progress: { records: 0, report: options.report },
    events: [],
    newId: options.newId ?? newId,
  };
  const keepChecking = () => !ctx.problems.full;

  await upsertAll(ctx, {
    entity: 'estates',
    values: (estate) => ({ name: estate.name, city: estate.city, country: estate.country }),
  });

  if (keepChecking())
    await upsertAll(ctx, {
      entity: 'buildings',
      references: (building) => [
        { entity: 'estates', externalId: building.estateExternalId, field: 'estateExternalId' },
      ],
      values: (building, ids) => ({
        estateId: ids.estateExternalId!,
        street: building.street,
        houseNumber: building.houseNumber,
        postalCode: building.postalCode,
        city: building.city,
        country: building.country,
        use: building.use,
        currency: building.currency,
      }),
    });

  if (keepChecking())
    await upsertAll(ctx, {
      entity: 'units',
      references: (unit) => [
        { entity: 'buildings', externalId: unit.buildingExternalId, field: 'buildingExternalId' },
      ],
      values: (unit, ids) => ({
        buildingId: ids.buildingExternalId!,
        number: unit.number,
        kind: unit.kind,
        floor: unit.floor ?? null,
        areaSqm: unit.areaSqm ?? null,
        rooms: unit.rooms ?? null,
      }),
      adopt: async (unit, values) => await findAdoptableUnit(db, values.buildingId as string, unit.number),
    });

  if (keepChecking())
    await upsertAll(
      ctx,
      {
        entity: 'persons',
        values: (person) => ({
          kind: person.kind,
          salutation: person.salutation ?? null,
          firstName: person.firstName ?? null,
          lastName: person.lastName ?? null,
          organisationName: person.organisationName ?? null,
          organisationNumber: person.organisationNumber ?? null,
          customerNumber: person.customerNumber ?? null,
          email: person.email?.toLowerCase() ?? null,
          phone: person.phone ?? null,
          ...(person.language && { language: person.language }),
        }),
        adopt: async (person) =>
          person.customerNumber ? await findAdoptablePerson(db, person.customerNumber) : undefined,
      },
      (written) => {
        for (const { id, outcome } of written.values())
          if (outcome === 'created') ctx.createdPersonIds.push(id);
      },
    );

  if (keepChecking()) await applyContracts(ctx, mode);

  if (keepChecking()) await applyContractors(ctx, await collect(ctx, 'contractors'), mode, options.now);

  if (keepChecking())
    await upsertAll(ctx, {
      entity: 'invoices',
      references: (invoice) => [
        { entity: 'contracts', externalId: invoice.contractExternalId, field: 'contractExternalId' },
      ],
      values: (invoice, ids) => ({
        contractId: ids.contractExternalId!,
        number: invoice.number,
        periodStart: invoice.periodStart,
        periodEnd: invoice.periodEnd,
        issuedOn: invoice.issuedOn,
        dueOn: invoice.dueOn,
        amount: invoice.amount,
        currency: invoice.currency,
        paymentReference: invoice.paymentReference,
        paidAt: invoice.paidOn ? dayAsDate(invoice.paidOn) : null,
        paidAmount: invoice.paidOn ? invoice.amount : null,
      }),
      adopt: async (invoice) => await findAdoptableInvoice(db, invoice.number),
    });

  if (keepChecking())
    await upsertAll(ctx, {
      entity: 'ledgerEntries',
      references: (entry) => [
        { entity: 'contracts', externalId: entry.contractExternalId, field: 'contractExternalId' },
        ...(entry.invoiceExternalId
          ? [{ entity: 'invoices' as const, externalId: entry.invoiceExternalId, field: 'invoiceExternalId' }]
          : []),
      ],
      values: (entry, ids) => ({
        contractId: ids.contractExternalId!,
        bookedOn: entry.bookedOn,
        kind: entry.kind,
        description: entry.description,
        amount: entry.amount,
        invoiceId: ids.invoiceExternalId ?? null,
      }),
    });

  // Open apps of the people whose contracts changed move rooms before the documents of the same
  // load reach them, and again for those whose contracts a full load ended.
  const told = new Set<string>();
  if (!checkingOnly(ctx)) await recordAccessChanges(ctx, told);
  if (keepChecking()) await applyDocuments(ctx, options);
  if (mode === 'full' && !checkingOnly(ctx)) await endContractsLeftOut(ctx);
  if (!checkingOnly(ctx)) await recordAccessChanges(ctx, told);
  options.report?.({ phase: 'writing', ...source.progress() });
  return {
    counts: ctx.counts,
    createdPersonIds: ctx.createdPersonIds,
    events: ctx.events,
  };
}

/**
 * An `access.changed` row of the log for the users of the people whose contracts changed and who
 * are not in `told` (person ids) yet; the live layer of every instance reads it in order.
 */
async function recordAccessChanges(ctx: ApplyContext, told: Set<string>): Promise<void> {
  const personIds = [...ctx.touchedPersonIds].filter((id) => !told.has(id));
  for (const id of personIds) told.add(id);
  const row = await appendAccessChange(ctx.db, await listUserIdsOfPersons(ctx.db, personIds));
  if (row) ctx.events.push(row);
}

type ContractRecord = ImportRecords['contracts'][number];
interface ContractRefs {
  unitIds: string[];
  parties: { personId: string; role: string }[];
}

/**
 * Contracts come whole (a landlord has tens of thousands, each with its units, parties and rent):
 * all of them are needed at once to refuse two contracts on one flat at the same time.
 */
async function applyContracts(ctx: ApplyContext, mode: ImportMode): Promise<void> {
  const { records, at } = await collect(ctx, 'contracts');
  const claimed: ContractRecord[] = [];
  for (const [index, contract] of records.entries()) {
    const where = at[index] ?? null;
    if (!(await claim(ctx, 'contracts', contract.externalId, where))) continue;
    const iban = ibanProblem(contract);
    if (iban) report(ctx, iban, where);
    claimed.push(contract);
  }
  const location = new Map(records.map((contract, index) => [contract.externalId, at[index] ?? null]));

  // Units and parties are resolved first: a contract with an unknown unit is not written at all.
  const referencesOf = (contract: ContractRecord): Reference[] => [
    ...contract.unitExternalIds.map((externalId, index) => ({
      entity: 'units' as const,
      externalId,
      field: `unitExternalIds.${index}`,
    })),
    ...contract.parties.map((party, index) => ({
      entity: 'persons' as const,
      externalId: party.personExternalId,
      field: `parties.${index}.personExternalId`,
    })),
  ];
  const references = await References.resolveAll(ctx, claimed.flatMap(referencesOf));
  const contractRefs = new Map<string, ContractRefs>();
  for (const contract of claimed) {
    const from = {
      entity: 'contracts' as const,
      externalId: contract.externalId,
      at: location.get(contract.externalId)!,
    };
    const ids: (string | null)[] = [];
    for (const reference of referencesOf(contract)) ids.push(await references.resolve(reference, from));
    if (ids.includes(null)) continue;
    const units = contract.unitExternalIds.length;
    contractRefs.set(contract.externalId, {
      unitIds: ids.slice(0, units) as string[],
      parties: contract.parties.map((party, index) => ({ personId: ids[units + index]!, role: party.role })),
    });
  }
  // Known contract ids first, so the overlap check can tell a re-sent contract from a second one.
  // It runs on a refused load too, as far as its units are stored, so one run names it all.
  const knownIds = await findIdsByExternalIds(
    ctx.db,
    'contracts',
    claimed.map((contract) => contract.externalId),
  );
  await checkUnitOverlaps(ctx, claimed, contractRefs, knownIds, location);
  if (checkingOnly(ctx)) {
    for (const _ of claimed) advance(ctx);
    return;
  }

  const adoptable = await hasRowsWithoutExternalId(ctx.db, 'contracts');
  const plan: EntityPlan<'contracts'> = {
    entity: 'contracts',
    values: (contract) => ({
      number: contract.number,
      kind: contract.kind,
      startDate: contract.startDate,
      endDate: contract.endDate ?? null,
      currency: contract.currency,
      paymentMethod:
        contract.paymentMethod === 'transfer' && contract.standingOrder
          ? ('standing_order' as const)
          : contract.paymentMethod,
      ibanMasked: contract.iban ? maskIban(contract.iban) : null,
      accountHolder: contract.accountHolder ?? null,
      mandateReference: contract.mandateReference ?? null,
      mandateSignedOn: contract.mandateSignedOn ?? null,
      depositAmount: contract.depositAmount ?? null,
    }),
    adopt: async (contract) => await findAdoptableContract(ctx.db, contract.number),
  };
  for (let start = 0; start < claimed.length && !checkingOnly(ctx); start += sliceSize) {
    const slice = claimed.slice(start, start + sliceSize);
    const fresh: NewContractRows = { units: [], parties: [], rent: [] };
    const written = await upsertSlice(
      ctx,
      plan,
      slice,
      slice.map((contract) => location.get(contract.externalId) ?? null),
      { adoptable, claimed: true },
    );
    for (const contract of slice) {
      const result = written.get(contract.externalId);
      const refs = contractRefs.get(contract.externalId);
      if (!result || !refs) continue;
      if (result.outcome === 'created') {
        // Nothing stored yet to compare with: its rows go in with the slice's other new contracts' rows.
        collectNewContractRows(fresh, result.id, contract, refs, ctx.newId);
        for (const party of refs.parties) ctx.touchedPersonIds.add(party.personId);
        continue;
      }
      const detailsChanged = await applyContractDetails(ctx, result.id, contract, refs, mode);
      // The row was counted unchanged, but its units, parties or rent were not.
      if (detailsChanged && result.outcome === 'unchanged') {
        ctx.counts.contracts.unchanged--;
        ctx.counts.contracts.updated++;
      }
    }
    if (checkingOnly(ctx)) return;
    await insertContractUnitRows(ctx.db, fresh.units);
    await insertPartyRows(ctx.db, fresh.parties);
    await insertRentComponentRows(ctx.db, fresh.rent);
  }
}

/** Two running contracts on one flat at the same time: refused, naming both. */
async function checkUnitOverlaps(
  ctx: ApplyContext,
  contracts: readonly ContractRecord[],
  refs: ReadonlyMap<string, ContractRefs>,
  knownIds: ReadonlyMap<string, string>,
  location: ReadonlyMap<string, RecordLocation | null>,
): Promise<void> {
  const loaded = new Map<string, { externalId: string; start: string; end: string | null }[]>();
  for (const contract of contracts) {
    for (const unitId of refs.get(contract.externalId)?.unitIds ?? []) {
      if (unitId === '') continue; // named by the load, not stored: a refused load checks what it can
      const list = loaded.get(unitId) ?? [];
      list.push({
        externalId: contract.externalId,
        start: contract.startDate,
        end: contract.endDate ?? null,
      });
      loaded.set(unitId, list);
    }
  }
  const named = new Set(contracts.map((contract) => contract.externalId));
  const namedIds = new Set(knownIds.values());
  for (const stored of await listContractsOnUnits(ctx.db, [...loaded.keys()])) {
    // A contract the load names is judged by its new dates, not its stored ones.
    if ((stored.externalId && named.has(stored.externalId)) || namedIds.has(stored.contractId)) continue;
    loaded.get(stored.unitId)!.push({
      externalId: stored.externalId ?? stored.contractId,
      start: stored.startDate,
      end: stored.endDate,
    });
  }
  const overlaps = (a: { start: string; end: string | null }, b: { start: string; end: string | null }) =>
    a.start <= (b.end ?? '9999-12-31') && b.start <= (a.end ?? '9999-12-31');
  const reported = new Set<string>();
  for (const list of loaded.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i]!, list[j]!];
        if (!overlaps(a, b)) continue;
        for (const [mine, other] of [
          [a, b],
          [b, a],
        ] as const) {
          if (!named.has(mine.externalId) || reported.has(mine.externalId)) continue;
          reported.add(mine.externalId);
          report(
            ctx,
            {
              entity: 'contracts',
              externalId: mine.externalId,
              field: 'unitExternalIds',
              code: 'unit_overlap',
              message: `The unit is let under contract ${other.externalId} at the same time.`,
            },
            location.get(mine.externalId) ?? null,
          );
        }
      }
    }
  }
}

interface NewContractRows {
  units: { contractId: string; unitId: string }[];
  parties: Parameters<typeof insertPartyRows>[1][number][];
  rent: Parameters<typeof insertRentComponentRows>[1][number][];
}

function collectNewContractRows(
  rows: NewContractRows,
  contractId: string,
  contract: ContractRecord,
  refs: ContractRefs,
  nextId: () => string,
): void {
  for (const unitId of refs.unitIds) rows.units.push({ contractId, unitId });
  for (const party of refs.parties)
    rows.parties.push({
      contractId,
      personId: party.personId,
      role: party.role as NewContractRows['parties'][number]['role'],
      source: 'erp',
      since: contract.startDate,
    });
  for (const component of contract.rentComponents)
    rows.rent.push({
      id: nextId(),
      contractId,
      kind: component.kind,
      validFrom: component.validFrom,
      amount: component.amount,
      validTo: component.validTo ?? null,
      label: component.label ?? null,
    });
}

/** Units, parties and rent of one contract; true when any of them changed. */
async function applyContractDetails(
  ctx: ApplyContext,
  contractId: string,
  contract: ContractRecord,
  refs: ContractRefs,
  mode: ImportMode,
): Promise<boolean> {
  let changed = false;
  const storedUnits = (await listUnitIdsOfContract(ctx.db, contractId)).sort();
  const wantedUnits = [...refs.unitIds].sort();
  if (storedUnits.join() !== wantedUnits.join()) {
    await replaceContractUnits(ctx.db, contractId, wantedUnits);
    changed = true;
  }

  const storedParties = new Map(
    (await listPartiesOf(ctx.db, contractId)).map((party) => [party.personId, party]),
  );
  for (const party of refs.parties) {
    const stored = storedParties.get(party.personId);
    const role = party.role as (typeof storedParties extends Map<string, infer R> ? R : never)['role'];
    if (stored && stored.role === role && stored.until === null && stored.source === 'erp') continue;
    await upsertParty(ctx.db, {
      contractId,
      personId: party.personId,
      role,
      source: 'erp',
      since: stored?.since ?? contract.startDate,
      until: null,
      ...(stored && { access: stored.access }),
    });
    ctx.touchedPersonIds.add(party.personId);
    changed = true;
  }
  if (mode === 'full') {
    const named = new Set(refs.parties.map((party) => party.personId));
    for (const stored of storedParties.values()) {
      if (stored.source !== 'erp' || named.has(stored.personId)) continue;
      if (stored.until !== null && stored.until <= ctx.today) continue;
      await endParty(ctx.db, contractId, stored.personId, ctx.today);
      ctx.touchedPersonIds.add(stored.personId);
      ctx.counts.contracts.ended++;
    }
  }

  const storedRent = await listRentComponentsOf(ctx.db, contractId);
  const keyOf = (component: { kind: string; validFrom: string }) =>
    `${component.kind}|${component.validFrom}`;
  const storedByKey = new Map(storedRent.map((component) => [keyOf(component), component]));
  for (const component of contract.rentComponents) {
    const stored = storedByKey.get(keyOf(component));
    const values = {
      amount: component.amount,
      validTo: component.validTo ?? null,
      label: component.label ?? null,
    };
    if (!stored) {
      await insertRentComponent(ctx.db, {
        contractId,
        kind: component.kind,
        validFrom: component.validFrom,
        ...values,
      });
      changed = true;
    } else if (changedFields(stored, values)) {
      await updateRentComponent(ctx.db, stored.id, values);
      changed = true;
    }
  }
  if (mode === 'full') {
    const named = new Set(contract.rentComponents.map(keyOf));
    for (const stored of storedRent) {
      if (named.has(keyOf(stored)) || (stored.validTo !== null && stored.validTo <= ctx.today)) continue;
      await updateRentComponent(ctx.db, stored.id, { validTo: ctx.today });
      changed = true;
    }
  }
  return changed;
}

/** `full`: an ERP contract the load does not name ends today (never deleted; its history stays). */
async function endContractsLeftOut(ctx: ApplyContext): Promise<void> {
  for (const contract of await listRunningErpContractsNotInLoad(ctx.db, ctx.today)) {
    await updateExternalRow(ctx.db, 'contracts', contract.id, { endDate: ctx.today });
    for (const party of await listPartiesOf(ctx.db, contract.id)) ctx.touchedPersonIds.add(party.personId);
    ctx.counts.contracts.ended++;
  }
}

const recipientEntity = {
  person: 'persons',
  contract: 'contracts',
  building: 'buildings',
  estate: 'estates',
} as const satisfies Record<ImportRecords['documents'][number]['recipientKind'], ExternalTable>;

/**
 * Documents of the load (issue 14 item 4): published and notified as a staff upload is, the first
 * time; a re-sent document with another title, type, date or PDF is changed in place and not
 * announced again; the same document again is unchanged.
 */
async function applyDocuments(ctx: ApplyContext, options: ApplyOptions): Promise<void> {
  const { records, at } = await collect(ctx, 'documents');
  const documents: typeof records = [];
  for (const [index, document] of records.entries())
    if (await claim(ctx, 'documents', document.externalId, at[index] ?? null)) documents.push(document);
  if (documents.length === 0) return;
  // Publishing brings the notification senders with it (mail, push): loaded only for loads with documents.
  const { publishDocumentIn } = await import('../documents/staff.ts');
  const location = new Map(records.map((document, index) => [document.externalId, at[index] ?? null]));
  const prepared = options.prepareDocuments ? await options.prepareDocuments(documents) : null;
  for (const problem of prepared?.problems ?? [])
    report(ctx, problem, problem.externalId ? (location.get(problem.externalId) ?? null) : null);
  const references = await References.resolveAll(
    ctx,
    documents.map((document) => ({
      entity: recipientEntity[document.recipientKind],
      externalId: document.recipientExternalId,
      field: 'recipientExternalId',
    })),
  );
  const existing = await findDocumentsByExternalIds(
    ctx.db,
    documents.map((document) => document.externalId),
  );
  for (const document of documents) {
    advance(ctx);
    const where = location.get(document.externalId) ?? null;
    const recipientId = await references.resolve(
      {
        entity: recipientEntity[document.recipientKind],
        externalId: document.recipientExternalId,
        field: 'recipientExternalId',
      },
      { entity: 'documents', externalId: document.externalId, at: where },
    );
    if (!prepared) {
      report(
        ctx,
        {
          entity: 'documents',
          externalId: document.externalId,
          field: 'file',
          code: 'documents_need_files',
          message: 'Documents come with a load of files, beside their PDFs.',
        },
        where,
      );
      continue;
    }
    const stored = prepared.files.get(document.externalId);
    if (!stored || !recipientId || checkingOnly(ctx)) continue;
    const file = await findOrInsertFile(ctx.db, {
      sha256: stored.sha256,
      mime: 'application/pdf',
      size: stored.size,
    });
    const target: DocumentTarget = {
      scope: document.recipientKind,
      personId: document.recipientKind === 'person' ? recipientId : null,
      contractId: document.recipientKind === 'contract' ? recipientId : null,
      buildingId: document.recipientKind === 'building' ? recipientId : null,
      estateId: document.recipientKind === 'estate' ? recipientId : null,
    };
    const publishedAt = document.date ? dayAsDate(document.date) : null;
    const values = {
      ...target,
      title: document.title,
      type: document.type,
      audience: document.audience ?? 'all',
      fileId: file.id,
    };
    const row = existing.get(document.externalId);
    if (!row) {
      const published = await publishDocumentIn(
        options.timeZone,
        ctx.db as Tx,
        null,
        { ...values, externalId: document.externalId },
        target,
        publishedAt ?? options.now,
      );
      ctx.events.push(...published.events);
      ctx.counts.documents.created++;
    } else if (changedFields(row, { ...values, ...(publishedAt && { publishedAt }) })) {
      await updateImportedDocument(ctx.db, row.id, { ...values, ...(publishedAt && { publishedAt }) });
      ctx.counts.documents.updated++;
    } else ctx.counts.documents.unchanged++;
  }
}
