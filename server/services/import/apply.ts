import type { StoredEvent } from '../../../db/repositories/events.ts';
import { findOrInsertFile } from '../../../db/repositories/files.ts';
import { publishDocumentIn, type DocumentTarget } from '../staff/documents.ts';
import type { PreparedDocumentFile } from './documents.ts';
import { newId } from '../../../db/ids.ts';
import {
  endParty,
  findAdoptableContract,
  findAdoptableInvoice,
  findAdoptablePerson,
  findAdoptableUnit,
  findByExternalIds,
  findDocumentsByExternalIds,
  updateImportedDocument,
  hasRowsWithoutExternalId,
  insertContractUnitRows,
  insertExternalRows,
  insertPartyRows,
  insertRentComponentRows,
  insertRentComponent,
  listContractsOnUnits,
  listPartiesOf,
  listRentComponentsOf,
  listRunningErpContractsExcept,
  listUnitIdsOfContract,
  replaceContractUnits,
  updateExternalRow,
  updateRentComponent,
  upsertParty,
  type ExternalInsert,
  type ExternalRow,
  type ExternalTable,
} from '../../../db/repositories/erp-import.ts';
import type { Tx } from '../../../db/transaction.ts';
import {
  importEntities,
  type ImportEntity,
  type ImportEntityCounts,
  type ImportMode,
  type ImportProblem,
  type ImportRecords,
} from '../../../shared/api/import.ts';
import { maskIban } from './validate.ts';

/** Reports how far a load is: records written of the load's total, at most every 500 records. */
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
  return Object.entries(next).some(([key, value]) => !sameValue(existing[key], value));
}

/** Midnight UTC of an ISO day: when an invoice counts as paid (the ERP sends the day only). */
const dayAsDate = (day: string) => new Date(`${day}T00:00:00.000Z`);

interface ApplyContext {
  tx: Tx;
  today: string;
  counts: ImportCounts;
  problems: ImportProblem[];
  /** externalId → internal id, per entity, for everything the load names or references. */
  ids: Record<ExternalTable, Map<string, string>>;
  /** People whose contracts changed: their open sockets move rooms after commit. */
  touchedPersonIds: Set<string>;
  progress: { done: number; total: number; report?: ImportProgress };
  events: StoredEvent[];
}

function advance(ctx: ApplyContext): void {
  const progress = ctx.progress;
  progress.done++;
  if (progress.report && (progress.done % 500 === 0 || progress.done === progress.total))
    progress.report({ phase: 'writing', done: progress.done, total: progress.total });
}

/**
 * Upserts one entity's records: found by externalId (or adopted by natural key), compared field by
 * field, inserted, updated or left alone, and counted. `adopt` finds a portal row without an ERP
 * key; a row found that way that already carries another key is a conflict.
 */
function upsert<E extends ExternalTable>(
  ctx: ApplyContext,
  entity: E,
  records: readonly { externalId: string }[],
  valuesOf: (record: never) => Omit<ExternalInsert<E>, 'externalId'> | null,
  adopt?: (record: never) => ExternalRow<E> | undefined,
): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  // Ledger entries are referenced by nothing: keeping their 1.3 M ids and outcomes would only cost memory.
  const referenced = entity !== 'ledgerEntries';
  // Looking up a natural key per new record is only worth it while portal rows without a key exist.
  const adoptable = adopt && hasRowsWithoutExternalId(ctx.tx, entity) ? adopt : undefined;
  // In slices: the stored rows of one slice are in memory at a time, not a whole table's.
  for (let start = 0; start < records.length; start += upsertSlice) {
    const slice = records.slice(start, start + upsertSlice);
    const existing = findByExternalIds(
      ctx.tx,
      entity,
      slice.map((record) => record.externalId),
    );
    const inserts: ExternalInsert<E>[] = [];
    for (const record of slice) {
      advance(ctx);
      const values = valuesOf(record as never);
      if (!values) continue; // a reference problem was recorded
      let row: ExternalRow<E> | undefined = existing.get(record.externalId);
      if (!row && adoptable) {
        const candidate = adoptable(record as never);
        if (candidate && candidate.externalId && candidate.externalId !== record.externalId) {
          ctx.problems.push({
            entity,
            externalId: record.externalId,
            field: null,
            code: 'natural_key_taken',
            message: `A record with the same number already belongs to externalId ${candidate.externalId}.`,
          });
          continue;
        }
        row = candidate;
      }
      let outcome: Outcome;
      let id: string;
      if (!row) {
        id = newId();
        inserts.push({ ...values, id, externalId: record.externalId } as ExternalInsert<E>);
        outcome = 'created';
      } else {
        id = row.id;
        const next = { ...values, externalId: record.externalId } as Record<string, unknown>;
        outcome = changedFields(row, next) ? 'updated' : 'unchanged';
        if (outcome === 'updated')
          updateExternalRow(ctx.tx, entity, row.id, next as Partial<ExternalInsert<E>>);
      }
      ctx.counts[entity][outcome]++;
      if (referenced) {
        ctx.ids[entity].set(record.externalId, id);
        outcomes.set(record.externalId, outcome);
      }
    }
    insertExternalRows(ctx.tx, entity, inserts);
  }
  return outcomes;
}

const upsertSlice = 2000;

/** The internal id of a referenced record: named in this load, or stored by an earlier one. */
function resolve(
  ctx: ApplyContext,
  entity: ExternalTable,
  externalId: string,
  from: { entity: ImportEntity; externalId: string; field: string },
): string | null {
  let id = ctx.ids[entity].get(externalId);
  if (!id) {
    id = findByExternalIds(ctx.tx, entity, [externalId]).get(externalId)?.id;
    if (id) ctx.ids[entity].set(externalId, id);
  }
  if (!id)
    ctx.problems.push({
      entity: from.entity,
      externalId: from.externalId,
      field: from.field,
      code: 'unknown_reference',
      message: `No ${entity} record with externalId ${externalId} in this load or in the portal.`,
    });
  return id ?? null;
}

/** Two running contracts on one flat at the same time: refused, naming both. */
function checkUnitOverlaps(ctx: ApplyContext, records: ImportRecords): void {
  const loaded = new Map<string, { externalId: string; start: string; end: string | null }[]>();
  for (const contract of records.contracts) {
    for (const unitExternalId of contract.unitExternalIds) {
      const unitId = ctx.ids.units.get(unitExternalId);
      if (!unitId) continue;
      const list = loaded.get(unitId) ?? [];
      list.push({
        externalId: contract.externalId,
        start: contract.startDate,
        end: contract.endDate ?? null,
      });
      loaded.set(unitId, list);
    }
  }
  const named = new Set(records.contracts.map((contract) => contract.externalId));
  const namedIds = new Set(records.contracts.flatMap((c) => ctx.ids.contracts.get(c.externalId) ?? []));
  for (const stored of listContractsOnUnits(ctx.tx, [...loaded.keys()])) {
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
          ctx.problems.push({
            entity: 'contracts',
            externalId: mine.externalId,
            field: 'unitExternalIds',
            code: 'unit_overlap',
            message: `The unit is let under contract ${other.externalId} at the same time.`,
          });
        }
      }
    }
  }
}

export interface ApplyOutcome {
  counts: ImportCounts;
  problems: ImportProblem[];
  touchedPersonIds: string[];
  /** The people this load created: the registration letters of a go-live are printed for them. */
  createdPersonIds: string[];
  /** Live events of the documents it published, to send once the load has committed. */
  events: StoredEvent[];
}

/**
 * Writes a checked load inside the caller's transaction, in reference order. Problems found on
 * the way (an unknown reference, a taken number, an overlap) are collected, not thrown: the caller
 * rolls the whole transaction back when there are any, so nothing of a refused load stays.
 */
export interface ApplyOptions {
  timeZone: string;
  /** When the load runs: the publishing time of documents without a date of their own. */
  now: Date;
  /** The documents' PDFs, already checked and stored (documents.ts), by the document's externalId. */
  documentFiles?: ReadonlyMap<string, PreparedDocumentFile>;
  report?: ImportProgress;
}

export function applyLoad(
  tx: Tx,
  records: ImportRecords,
  mode: ImportMode,
  today: string,
  options: ApplyOptions,
): ApplyOutcome {
  const report = options.report;
  const total = importEntities.reduce((sum, entity) => sum + records[entity].length, 0);
  const ctx: ApplyContext = {
    progress: { done: 0, total, report },
    events: [],
    tx,
    today,
    counts: emptyCounts(),
    problems: [],
    ids: {
      estates: new Map(),
      buildings: new Map(),
      units: new Map(),
      persons: new Map(),
      contracts: new Map(),
      ledgerEntries: new Map(),
      invoices: new Map(),
    },
    touchedPersonIds: new Set(),
  };

  upsert(ctx, 'estates', records.estates, (estate: ImportRecords['estates'][number]) => ({
    name: estate.name,
    city: estate.city,
    country: estate.country,
  }));

  upsert(ctx, 'buildings', records.buildings, (building: ImportRecords['buildings'][number]) => {
    const estateId = resolve(ctx, 'estates', building.estateExternalId, {
      entity: 'buildings',
      externalId: building.externalId,
      field: 'estateExternalId',
    });
    if (!estateId) return null;
    return {
      estateId,
      street: building.street,
      houseNumber: building.houseNumber,
      postalCode: building.postalCode,
      city: building.city,
      country: building.country,
      use: building.use,
      currency: building.currency,
    };
  });

  const unitBuilding = new Map<string, string>();
  upsert(
    ctx,
    'units',
    records.units,
    (unit: ImportRecords['units'][number]) => {
      const buildingId = resolve(ctx, 'buildings', unit.buildingExternalId, {
        entity: 'units',
        externalId: unit.externalId,
        field: 'buildingExternalId',
      });
      if (!buildingId) return null;
      unitBuilding.set(unit.externalId, buildingId);
      return {
        buildingId,
        number: unit.number,
        kind: unit.kind,
        floor: unit.floor ?? null,
        areaSqm: unit.areaSqm ?? null,
        rooms: unit.rooms ?? null,
      };
    },
    (unit: ImportRecords['units'][number]) => {
      const buildingId = unitBuilding.get(unit.externalId);
      return buildingId ? findAdoptableUnit(tx, buildingId, unit.number) : undefined;
    },
  );

  const personOutcomes = upsert(
    ctx,
    'persons',
    records.persons,
    (person: ImportRecords['persons'][number]) => ({
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
    (person: ImportRecords['persons'][number]) =>
      person.customerNumber ? findAdoptablePerson(tx, person.customerNumber) : undefined,
  );

  // Units and parties are resolved first: a contract with an unknown unit is not written at all.
  const contractRefs = new Map<
    string,
    { unitIds: string[]; parties: { personId: string; role: string }[] }
  >();
  for (const contract of records.contracts) {
    const from = { entity: 'contracts' as const, externalId: contract.externalId };
    const unitIds = contract.unitExternalIds.map((unit, index) =>
      resolve(ctx, 'units', unit, { ...from, field: `unitExternalIds.${index}` }),
    );
    const parties = contract.parties.map((party, index) => ({
      personId: resolve(ctx, 'persons', party.personExternalId, {
        ...from,
        field: `parties.${index}.personExternalId`,
      }),
      role: party.role,
    }));
    if (unitIds.every(Boolean) && parties.every((party) => party.personId))
      contractRefs.set(contract.externalId, {
        unitIds: unitIds as string[],
        parties: parties as { personId: string; role: string }[],
      });
  }
  // Known contract ids first, so the overlap check can tell a re-sent contract from a second one.
  for (const [externalId, row] of findByExternalIds(
    tx,
    'contracts',
    records.contracts.map((c) => c.externalId),
  ))
    ctx.ids.contracts.set(externalId, row.id);
  checkUnitOverlaps(ctx, records);

  const contractOutcomes = upsert(
    ctx,
    'contracts',
    records.contracts,
    (contract: ImportRecords['contracts'][number]) =>
      contractRefs.has(contract.externalId)
        ? {
            number: contract.number,
            kind: contract.kind,
            startDate: contract.startDate,
            endDate: contract.endDate ?? null,
            currency: contract.currency,
            paymentMethod: contract.paymentMethod,
            ibanMasked: contract.iban ? maskIban(contract.iban) : null,
            accountHolder: contract.accountHolder ?? null,
            depositAmount: contract.depositAmount ?? null,
          }
        : null,
    (contract: ImportRecords['contracts'][number]) => findAdoptableContract(tx, contract.number),
  );

  const fresh: NewContractRows = { units: [], parties: [], rent: [] };
  for (const contract of records.contracts) {
    const contractId = ctx.ids.contracts.get(contract.externalId);
    const refs = contractRefs.get(contract.externalId);
    if (!contractId || !refs) continue;
    if (contractOutcomes.get(contract.externalId) === 'created') {
      // Nothing stored yet to compare with: its rows go in with the other new contracts' rows.
      collectNewContractRows(fresh, contractId, contract, refs);
      for (const party of refs.parties) ctx.touchedPersonIds.add(party.personId);
      continue;
    }
    const detailsChanged = applyContractDetails(ctx, contractId, contract, refs, mode);
    // The row was counted unchanged, but its units, parties or rent were not.
    if (detailsChanged && contractOutcomes.get(contract.externalId) === 'unchanged') {
      ctx.counts.contracts.unchanged--;
      ctx.counts.contracts.updated++;
    }
  }
  insertContractUnitRows(tx, fresh.units);
  insertPartyRows(tx, fresh.parties);
  insertRentComponentRows(tx, fresh.rent);

  upsert(
    ctx,
    'invoices',
    records.invoices,
    (invoice: ImportRecords['invoices'][number]) => {
      const contractId = resolve(ctx, 'contracts', invoice.contractExternalId, {
        entity: 'invoices',
        externalId: invoice.externalId,
        field: 'contractExternalId',
      });
      if (!contractId) return null;
      return {
        contractId,
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
      };
    },
    (invoice: ImportRecords['invoices'][number]) => findAdoptableInvoice(tx, invoice.number),
  );

  upsert(ctx, 'ledgerEntries', records.ledgerEntries, (entry: ImportRecords['ledgerEntries'][number]) => {
    const from = { entity: 'ledgerEntries' as const, externalId: entry.externalId };
    const contractId = resolve(ctx, 'contracts', entry.contractExternalId, {
      ...from,
      field: 'contractExternalId',
    });
    const invoiceId = entry.invoiceExternalId
      ? resolve(ctx, 'invoices', entry.invoiceExternalId, { ...from, field: 'invoiceExternalId' })
      : null;
    if (!contractId || (entry.invoiceExternalId && !invoiceId)) return null;
    return {
      contractId,
      bookedOn: entry.bookedOn,
      kind: entry.kind,
      description: entry.description,
      amount: entry.amount,
      invoiceId,
    };
  });

  applyDocuments(ctx, records.documents, options);
  if (mode === 'full') endContractsLeftOut(ctx, records);
  const createdPersonIds = [...personOutcomes]
    .filter(([, outcome]) => outcome === 'created')
    .map(([externalId]) => ctx.ids.persons.get(externalId)!);
  return {
    counts: ctx.counts,
    problems: ctx.problems,
    touchedPersonIds: [...ctx.touchedPersonIds],
    createdPersonIds,
    events: ctx.events,
  };
}

interface NewContractRows {
  units: { contractId: string; unitId: string }[];
  parties: Parameters<typeof insertPartyRows>[1][number][];
  rent: Parameters<typeof insertRentComponentRows>[1][number][];
}

function collectNewContractRows(
  rows: NewContractRows,
  contractId: string,
  contract: ImportRecords['contracts'][number],
  refs: { unitIds: string[]; parties: { personId: string; role: string }[] },
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
      id: newId(),
      contractId,
      kind: component.kind,
      validFrom: component.validFrom,
      amount: component.amount,
      validTo: component.validTo ?? null,
      label: component.label ?? null,
    });
}

/** Units, parties and rent of one contract; true when any of them changed. */
function applyContractDetails(
  ctx: ApplyContext,
  contractId: string,
  contract: ImportRecords['contracts'][number],
  refs: { unitIds: string[]; parties: { personId: string; role: string }[] },
  mode: ImportMode,
): boolean {
  let changed = false;
  const storedUnits = listUnitIdsOfContract(ctx.tx, contractId).sort();
  const wantedUnits = [...refs.unitIds].sort();
  if (storedUnits.join() !== wantedUnits.join()) {
    replaceContractUnits(ctx.tx, contractId, wantedUnits);
    changed = true;
  }

  const storedParties = new Map(listPartiesOf(ctx.tx, contractId).map((party) => [party.personId, party]));
  for (const party of refs.parties) {
    const stored = storedParties.get(party.personId);
    const role = party.role as (typeof storedParties extends Map<string, infer R> ? R : never)['role'];
    if (stored && stored.role === role && stored.until === null && stored.source === 'erp') continue;
    upsertParty(ctx.tx, {
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
      endParty(ctx.tx, contractId, stored.personId, ctx.today);
      ctx.touchedPersonIds.add(stored.personId);
      ctx.counts.contracts.ended++;
    }
  }

  const storedRent = listRentComponentsOf(ctx.tx, contractId);
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
      insertRentComponent(ctx.tx, {
        contractId,
        kind: component.kind,
        validFrom: component.validFrom,
        ...values,
      });
      changed = true;
    } else if (changedFields(stored, values)) {
      updateRentComponent(ctx.tx, stored.id, values);
      changed = true;
    }
  }
  if (mode === 'full') {
    const named = new Set(contract.rentComponents.map(keyOf));
    for (const stored of storedRent) {
      if (named.has(keyOf(stored)) || (stored.validTo !== null && stored.validTo <= ctx.today)) continue;
      updateRentComponent(ctx.tx, stored.id, { validTo: ctx.today });
      changed = true;
    }
  }
  return changed;
}

/** `full`: an ERP contract the load does not name ends today (never deleted; its history stays). */
function endContractsLeftOut(ctx: ApplyContext, records: ImportRecords): void {
  const kept = new Set(records.contracts.map((contract) => contract.externalId));
  for (const contract of listRunningErpContractsExcept(ctx.tx, kept, ctx.today)) {
    updateExternalRow(ctx.tx, 'contracts', contract.id, { endDate: ctx.today });
    for (const party of listPartiesOf(ctx.tx, contract.id)) ctx.touchedPersonIds.add(party.personId);
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
function applyDocuments(
  ctx: ApplyContext,
  documents: ImportRecords['documents'],
  options: ApplyOptions,
): void {
  if (documents.length === 0) return;
  const existing = findDocumentsByExternalIds(
    ctx.tx,
    documents.map((document) => document.externalId),
  );
  for (const document of documents) {
    advance(ctx);
    const recipientId = resolve(ctx, recipientEntity[document.recipientKind], document.recipientExternalId, {
      entity: 'documents',
      externalId: document.externalId,
      field: 'recipientExternalId',
    });
    const stored = options.documentFiles?.get(document.externalId);
    if (!stored) {
      ctx.problems.push({
        entity: 'documents',
        externalId: document.externalId,
        field: 'file',
        code: 'documents_need_files',
        message: 'Documents come with a load of files, beside their PDFs.',
      });
      continue;
    }
    if (!recipientId) continue;
    const file = findOrInsertFile(ctx.tx, {
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
      const published = publishDocumentIn(
        options.timeZone,
        ctx.tx,
        null,
        { ...values, externalId: document.externalId },
        target,
        publishedAt ?? options.now,
      );
      ctx.events.push(...published.events);
      ctx.counts.documents.created++;
    } else if (changedFields(row, { ...values, ...(publishedAt && { publishedAt }) })) {
      updateImportedDocument(ctx.tx, row.id, { ...values, ...(publishedAt && { publishedAt }) });
      ctx.counts.documents.updated++;
    } else ctx.counts.documents.unchanged++;
  }
}
