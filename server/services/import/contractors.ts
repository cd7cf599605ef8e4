import {
  findContractorsByExternalIds,
  insertContractor,
  listActiveErpContractorsNotIn,
  replaceContractorBuildings,
  replaceContractorTrades,
  updateContractor,
  type ContractorRecord,
} from '../../../db/repositories/contractors.ts';
import { findIdsByExternalIds, isLoadKey } from '../../../db/repositories/erp-import.ts';
import type { ImportContractor, ImportMode } from '../../../shared/api/import.ts';
import { advance, checkingOnly, claim, report, type ApplyContext } from './apply.ts';
import type { RecordLocation } from './source.ts';

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/**
 * The contractors of a load (the ERP's "Handwerkerkopplung"): upserted by externalId with their
 * trades and the buildings they serve (by the buildings' externalIds). A contractor whose row,
 * trades or buildings differ counts as updated. `full` deactivates the ERP's contractors the load
 * leaves out (counted as ended), never deletes them: tickets keep their company. Contractors the
 * portal made itself (without externalId) are not touched. A landlord has hundreds, not millions,
 * so they come whole (like contracts).
 */
export function applyContractors(
  ctx: ApplyContext,
  { records, at }: { records: ImportContractor[]; at: (RecordLocation | null)[] },
  mode: ImportMode,
  now: Date,
): void {
  const claimed = records.flatMap((contractor, index) =>
    claim(ctx, 'contractors', contractor.externalId, at[index] ?? null)
      ? [{ contractor, where: at[index] ?? null }]
      : [],
  );
  const buildingKeys = [
    ...new Set(claimed.flatMap(({ contractor }) => contractor.buildingExternalIds ?? [])),
  ];
  const buildingIds = findIdsByExternalIds(ctx.db, 'buildings', buildingKeys);
  const stored = checkingOnly(ctx)
    ? new Map<string, ContractorRecord>()
    : findContractorsByExternalIds(
        ctx.db,
        claimed.map(({ contractor }) => contractor.externalId),
      );

  for (const { contractor, where } of claimed) {
    advance(ctx);
    const served: string[] = [];
    let unresolved = false;
    (contractor.buildingExternalIds ?? []).forEach((externalId, index) => {
      const id = buildingIds.get(externalId);
      if (id) return void served.push(id);
      // A refused load wrote nothing: a building the load itself names is still a good reference.
      if (checkingOnly(ctx) && isLoadKey(ctx.db, 'buildings', externalId)) return;
      unresolved = true;
      report(
        ctx,
        {
          entity: 'contractors',
          externalId: contractor.externalId,
          field: `buildingExternalIds.${index}`,
          code: 'unknown_reference',
          message: `No buildings record with externalId ${externalId} in this load or in the portal.`,
        },
        where,
      );
    });
    if (unresolved || checkingOnly(ctx)) continue;

    const values = {
      name: contractor.name,
      contactPerson: contractor.contactPerson ?? null,
      phone: contractor.phone ?? null,
      email: contractor.email?.toLowerCase() ?? null,
      language: contractor.language ?? 'de',
      active: contractor.active ?? true,
    };
    const row = stored.get(contractor.externalId);
    if (!row) {
      const created = insertContractor(ctx.db, {
        id: ctx.newId(),
        ...values,
        externalId: contractor.externalId,
        createdAt: now,
        updatedAt: now,
      });
      replaceContractorTrades(ctx.db, created.id, contractor.trades);
      replaceContractorBuildings(ctx.db, created.id, served);
      ctx.counts.contractors.created++;
      continue;
    }
    const rowChanged = (Object.keys(values) as (keyof typeof values)[]).some(
      (key) => (row[key] ?? null) !== values[key],
    );
    const tradesChanged = !sameList(row.trades, contractor.trades);
    const buildingsChanged = !sameList(row.buildingIds, served);
    if (!rowChanged && !tradesChanged && !buildingsChanged) {
      ctx.counts.contractors.unchanged++;
      continue;
    }
    updateContractor(ctx.db, row.id, { ...values, updatedAt: now });
    if (tradesChanged) replaceContractorTrades(ctx.db, row.id, contractor.trades);
    if (buildingsChanged) replaceContractorBuildings(ctx.db, row.id, served);
    ctx.counts.contractors.updated++;
  }

  if (mode !== 'full' || checkingOnly(ctx)) return;
  const named = claimed.map(({ contractor }) => contractor.externalId);
  for (const left of listActiveErpContractorsNotIn(ctx.db, named)) {
    updateContractor(ctx.db, left.id, { active: false, updatedAt: now });
    ctx.counts.contractors.ended++;
  }
}
