/**
 * The contractor directory: the craftsmen a ticket can be dispatched to. Admins keep it in the
 * console (or the ERP loads it, server/services/import); staff pick from it by building and trade.
 * A contractor a job link names is deactivated rather than deleted, so the ticket's history keeps
 * its company. Every change is audited with the admin's id in the same transaction.
 */
import { unitOfWork } from '../unit-of-work/index.ts';
import {
  deleteContractor,
  findContractor,
  findExistingBuildingIds,
  insertContractor,
  isContractorReferenced,
  listActiveContractorsFor,
  listBuildingAddresses,
  listContractors,
  replaceContractorBuildings,
  replaceContractorTrades,
  updateContractor,
  type ContractorRecord,
} from '../../db/repositories/contractors.ts';
import type {
  AdminContractorsDto,
  ContractorCreate,
  ContractorDto,
  ContractorPatch,
  ContractorPickerDto,
  ContractorPickerQuery,
} from '../../shared/api/contractors.ts';
import type { SessionUser } from '../lib/context.ts';
import { notFound, validationFailed } from '../lib/http-error.ts';
import { auditAdmin } from './staff/admin-teams.ts';
import type { AdminDeps, AdminWriteDeps } from './staff/admin.ts';
import { loadStaffScope, staffScopeCovers } from './tickets/index.ts';

export function contractorDto(row: ContractorRecord): ContractorDto {
  return {
    id: row.id,
    name: row.name,
    trades: row.trades,
    contactPerson: row.contactPerson,
    phone: row.phone,
    email: row.email,
    language: row.language,
    buildingIds: row.buildingIds,
    externalId: row.externalId,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listContractorsForAdmin(deps: AdminDeps): Promise<AdminContractorsDto> {
  return {
    contractors: (await listContractors(deps.db)).map(contractorDto),
    buildings: (await listBuildingAddresses(deps.db)).map((b) => ({
      id: b.id,
      label: `${b.street} ${b.houseNumber}, ${b.city}`,
    })),
  };
}

async function existing(deps: AdminDeps, contractorId: string): Promise<ContractorRecord> {
  const row = await findContractor(deps.db, contractorId);
  if (!row) throw notFound();
  return row;
}

export async function getContractorForAdmin(deps: AdminDeps, contractorId: string): Promise<ContractorDto> {
  return contractorDto(await existing(deps, contractorId));
}

/** An unknown building is the request's mistake, named by its place in the list. */
async function checkBuildings(deps: AdminDeps, buildingIds: readonly string[]): Promise<void> {
  const known = await findExistingBuildingIds(deps.db, buildingIds);
  const index = buildingIds.findIndex((id) => !known.has(id));
  if (index >= 0) throw validationFailed({ [`buildingIds.${index}`]: 'unknown_building' });
}

export async function createContractor(
  deps: AdminWriteDeps,
  admin: SessionUser,
  input: ContractorCreate,
): Promise<ContractorDto> {
  await checkBuildings(deps, input.buildingIds);
  const now = deps.now();
  const id = await unitOfWork(deps, async ({ tx }) => {
    const row = await insertContractor(tx, {
      name: input.name,
      contactPerson: input.contactPerson,
      phone: input.phone,
      email: input.email?.toLowerCase() ?? null,
      language: input.language,
      active: true,
      createdAt: now,
      updatedAt: now,
    });
    await replaceContractorTrades(tx, row.id, input.trades);
    await replaceContractorBuildings(tx, row.id, input.buildingIds);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.contractor_created',
      { type: 'contractor', id: row.id },
      {
        name: input.name,
        trades: input.trades,
      },
    );
    return row.id;
  });
  return await getContractorForAdmin(deps, id);
}

export async function changeContractor(
  deps: AdminWriteDeps,
  admin: SessionUser,
  contractorId: string,
  patch: ContractorPatch,
): Promise<ContractorDto> {
  await existing(deps, contractorId);
  if (patch.buildingIds) await checkBuildings(deps, patch.buildingIds);
  await unitOfWork(deps, async ({ tx }) => {
    const { trades, buildingIds, email, ...columns } = patch;
    await updateContractor(tx, contractorId, {
      ...columns,
      ...(email !== undefined && { email: email?.toLowerCase() ?? null }),
      updatedAt: deps.now(),
    });
    if (trades) await replaceContractorTrades(tx, contractorId, trades);
    if (buildingIds) await replaceContractorBuildings(tx, contractorId, buildingIds);
    await auditAdmin(
      tx,
      deps,
      admin,
      'admin.contractor_changed',
      { type: 'contractor', id: contractorId },
      {
        fields: Object.keys(patch),
      },
    );
  });
  return await getContractorForAdmin(deps, contractorId);
}

/**
 * Deletes a contractor nothing refers to; one a job link names is deactivated instead (answered
 * with its row), so the tickets it worked on keep their company.
 */
export async function removeContractor(
  deps: AdminWriteDeps,
  admin: SessionUser,
  contractorId: string,
): Promise<{ deleted: true } | { deleted: false; contractor: ContractorDto }> {
  const row = await existing(deps, contractorId);
  const referenced = await unitOfWork(deps, async ({ tx }) => {
    const inUse = await isContractorReferenced(tx, contractorId);
    if (inUse) await updateContractor(tx, contractorId, { active: false, updatedAt: deps.now() });
    else await deleteContractor(tx, contractorId);
    await auditAdmin(
      tx,
      deps,
      admin,
      inUse ? 'admin.contractor_deactivated' : 'admin.contractor_deleted',
      { type: 'contractor', id: contractorId },
      { name: row.name },
    );
    return inUse;
  });
  return referenced
    ? { deleted: false, contractor: await getContractorForAdmin(deps, contractorId) }
    : { deleted: true };
}

/**
 * The dispatch picker: active contractors of a trade serving a building. Staff see only what serves
 * their scope; a building outside it answers 404 like one that does not exist.
 */
export async function listContractorsForStaff(
  deps: AdminDeps,
  user: SessionUser,
  query: ContractorPickerQuery,
): Promise<ContractorPickerDto> {
  const scope = await loadStaffScope(deps.db, user);
  const estateOf = new Map((await listBuildingAddresses(deps.db)).map((b) => [b.id, b.estateId]));
  const covers = (buildingId: string) =>
    estateOf.has(buildingId) &&
    staffScopeCovers(scope, { buildingId, estateId: estateOf.get(buildingId) ?? null });
  if (query.building !== undefined && !covers(query.building)) throw notFound();
  const unrestricted = scope.buildingIds === null || scope.estateIds === null;
  const rows = (
    await listActiveContractorsFor(deps.db, { buildingId: query.building, trade: query.trade })
  ).filter((row) => unrestricted || row.buildingIds.some(covers));
  return {
    contractors: rows.map((row) => ({
      id: row.id,
      name: row.name,
      trades: row.trades,
      contactPerson: row.contactPerson,
      phone: row.phone,
      email: row.email,
      language: row.language,
    })),
  };
}
