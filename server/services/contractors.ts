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

export function listContractorsForAdmin(deps: AdminDeps): AdminContractorsDto {
  return {
    contractors: listContractors(deps.db).map(contractorDto),
    buildings: listBuildingAddresses(deps.db).map((b) => ({
      id: b.id,
      label: `${b.street} ${b.houseNumber}, ${b.city}`,
    })),
  };
}

function existing(deps: AdminDeps, contractorId: string): ContractorRecord {
  const row = findContractor(deps.db, contractorId);
  if (!row) throw notFound();
  return row;
}

export function getContractorForAdmin(deps: AdminDeps, contractorId: string): ContractorDto {
  return contractorDto(existing(deps, contractorId));
}

/** An unknown building is the request's mistake, named by its place in the list. */
function checkBuildings(deps: AdminDeps, buildingIds: readonly string[]): void {
  const known = findExistingBuildingIds(deps.db, buildingIds);
  const index = buildingIds.findIndex((id) => !known.has(id));
  if (index >= 0) throw validationFailed({ [`buildingIds.${index}`]: 'unknown_building' });
}

export async function createContractor(
  deps: AdminWriteDeps,
  admin: SessionUser,
  input: ContractorCreate,
): Promise<ContractorDto> {
  checkBuildings(deps, input.buildingIds);
  const now = deps.now();
  const id = await unitOfWork(deps, ({ tx }) => {
    const row = insertContractor(tx, {
      name: input.name,
      contactPerson: input.contactPerson,
      phone: input.phone,
      email: input.email?.toLowerCase() ?? null,
      language: input.language,
      active: true,
      createdAt: now,
      updatedAt: now,
    });
    replaceContractorTrades(tx, row.id, input.trades);
    replaceContractorBuildings(tx, row.id, input.buildingIds);
    auditAdmin(
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
  return getContractorForAdmin(deps, id);
}

export async function changeContractor(
  deps: AdminWriteDeps,
  admin: SessionUser,
  contractorId: string,
  patch: ContractorPatch,
): Promise<ContractorDto> {
  existing(deps, contractorId);
  if (patch.buildingIds) checkBuildings(deps, patch.buildingIds);
  await unitOfWork(deps, ({ tx }) => {
    const { trades, buildingIds, email, ...columns } = patch;
    updateContractor(tx, contractorId, {
      ...columns,
      ...(email !== undefined && { email: email?.toLowerCase() ?? null }),
      updatedAt: deps.now(),
    });
    if (trades) replaceContractorTrades(tx, contractorId, trades);
    if (buildingIds) replaceContractorBuildings(tx, contractorId, buildingIds);
    auditAdmin(
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
  return getContractorForAdmin(deps, contractorId);
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
  const row = existing(deps, contractorId);
  const referenced = await unitOfWork(deps, ({ tx }) => {
    const inUse = isContractorReferenced(tx, contractorId);
    if (inUse) updateContractor(tx, contractorId, { active: false, updatedAt: deps.now() });
    else deleteContractor(tx, contractorId);
    auditAdmin(
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
    ? { deleted: false, contractor: getContractorForAdmin(deps, contractorId) }
    : { deleted: true };
}

/**
 * The dispatch picker: active contractors of a trade serving a building. Staff see only what serves
 * their scope; a building outside it answers 404 like one that does not exist.
 */
export function listContractorsForStaff(
  deps: AdminDeps,
  user: SessionUser,
  query: ContractorPickerQuery,
): ContractorPickerDto {
  const scope = loadStaffScope(deps.db, user);
  const estateOf = new Map(listBuildingAddresses(deps.db).map((b) => [b.id, b.estateId]));
  const covers = (buildingId: string) =>
    estateOf.has(buildingId) &&
    staffScopeCovers(scope, { buildingId, estateId: estateOf.get(buildingId) ?? null });
  if (query.building !== undefined && !covers(query.building)) throw notFound();
  const unrestricted = scope.buildingIds === null || scope.estateIds === null;
  const rows = listActiveContractorsFor(deps.db, { buildingId: query.building, trade: query.trade }).filter(
    (row) => unrestricted || row.buildingIds.some(covers),
  );
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
