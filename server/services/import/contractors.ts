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
export async function applyContractors(
  ctx: ApplyContext,
  { records, at }: { records: ImportContractor[]; at: (RecordLocation | null)[] },
  mode: ImportMode,
  now: Date,
): Promise<void> {
  const claimed: { contractor: ImportContractor; where: RecordLocation | null }[] = [];
  for (const [index, contractor] of records.entries()) {
    const where = at[index] ?? null;
    if (await claim(ctx, 'contractors', contractor.externalId, where)) claimed.push({ contractor, where });
  }
  const buildingKeys = [
    ...new Set(claimed.flatMap(({ contractor }) => contractor.buildingExternalIds ?? [])),
  ];
  const buildingIds = await findIdsByExternalIds(ctx.db, 'buildings', buildingKeys);
  const stored = checkingOnly(ctx)
    ? new Map<string, ContractorRecord>()
    : await findContractorsByExternalIds(
        ctx.db,
        claimed.map(({ contractor }) => contractor.externalId),
      );

  for (const { contractor, where } of claimed) {
    advance(ctx);
    const served: string[] = [];
    let unresolved = false;
    for (const [index, externalId] of (contractor.buildingExternalIds ?? []).entries()) {
      const id = buildingIds.get(externalId);
      if (id) {
        served.push(id);
        continue;
      }
      // A refused load wrote nothing: a building the load itself names is still a good reference.
      if (checkingOnly(ctx) && (await isLoadKey(ctx.db, 'buildings', externalId))) continue;
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
    }
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
      const created = await insertContractor(ctx.db, {
        id: ctx.newId(),
        ...values,
        externalId: contractor.externalId,
        createdAt: now,
        updatedAt: now,
      });
      await replaceContractorTrades(ctx.db, created.id, contractor.trades);
      await replaceContractorBuildings(ctx.db, created.id, served);
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
    await updateContractor(ctx.db, row.id, { ...values, updatedAt: now });
    if (tradesChanged) await replaceContractorTrades(ctx.db, row.id, contractor.trades);
    if (buildingsChanged) await replaceContractorBuildings(ctx.db, row.id, served);
    ctx.counts.contractors.updated++;
  }

  if (mode !== 'full' || checkingOnly(ctx)) return;
  const named = claimed.map(({ contractor }) => contractor.externalId);
  for (const left of await listActiveErpContractorsNotIn(ctx.db, named)) {
    await updateContractor(ctx.db, left.id, { active: false, updatedAt: now });
    ctx.counts.contractors.ended++;
  }
}
