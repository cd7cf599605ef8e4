/**
 * Onboarding (issue 5 item 7): the tenant directory with registration status, registration letters
 * (seeds 001 and 002 send the code by post) and regenerating a lost code. Only a SHA-256 of a code
 * is stored (server/auth/registration-code.ts), so an open code can never be printed again: every
 * letter carries a fresh code and the person's earlier open letter codes die with it.
 */
import { findPersonsCreatedByImport } from '../../../db/repositories/erp-import.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { conflict, notFound } from '../../lib/http-error.ts';
import { todayIn } from '../../lib/dates.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import { insertAuditEntry } from '../../../db/repositories/audit.ts';
import {
  listBuildingsInScope,
  listTenantDirectoryRows,
  type TenantDirectoryFilter,
} from '../../../db/repositories/persons.ts';
import {
  insertRegistrationCode,
  listPersonIdsWithOpenLetterCode,
  revokeOpenLetterCodes,
} from '../../../db/repositories/registration-codes.ts';
import { hashRegistrationCode } from '../../auth/registration-code.ts';
import { loadStaffScope } from '../tickets/visibility.ts';
import { generateInvitationCode } from '../household.ts';
import { loadLandlordProfile } from '../landlord.ts';
import { renderRegistrationLetters, type RegistrationLetter } from '../../pdf/registration-letter.ts';
import type {
  PerPersonLetterDto,
  RegeneratedCodeDto,
  RegistrationLettersRequest,
  RegistrationStatus,
  TenantDirectoryDto,
  TenantDirectoryQuery,
  TenantRowDto,
} from '../../../shared/api/staff-tenants.ts';

export type OnboardingDeps = Pick<Deps, 'db' | 'config' | 'now' | 'bus'>;

type DirectoryRow = Awaited<ReturnType<typeof listTenantDirectoryRows>>[number];

const nameOf = (person: DirectoryRow['person']) =>
  [person.firstName, person.lastName].filter(Boolean).join(' ') || person.organisationName || '';
const addressOf = (building: DirectoryRow['building']) =>
  `${building.street} ${building.houseNumber}, ${building.postalCode} ${building.city}`;

/** One row per person and contract (a contract over several units shows its first unit). */
async function directoryRows(
  deps: OnboardingDeps,
  user: SessionUser,
  filter: Omit<TenantDirectoryFilter, 'buildingIds' | 'estateIds'>,
) {
  const scope = await loadStaffScope(deps.db, user);
  const today = todayIn(deps.config.timeZone, deps.now());
  const seen = new Set<string>();
  return (await listTenantDirectoryRows(deps.db, { ...scope, ...filter }, today)).filter((row) => {
    const key = `${row.person.id}:${row.contractId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

async function statusesOf(
  deps: OnboardingDeps,
  rows: DirectoryRow[],
): Promise<Map<string, RegistrationStatus>> {
  const open = await listPersonIdsWithOpenLetterCode(
    deps.db,
    [...new Set(rows.map((row) => row.person.id))],
    deps.now(),
  );
  return new Map(
    rows.map((row) => [
      row.person.id,
      row.userId ? 'registered' : open.has(row.person.id) ? 'invited' : 'none',
    ]),
  );
}

export async function listTenantDirectory(
  deps: OnboardingDeps,
  user: SessionUser,
  query: TenantDirectoryQuery,
): Promise<TenantDirectoryDto> {
  const rows = await directoryRows(deps, user, { buildingId: query.building, q: query.q });
  const status = await statusesOf(deps, rows);
  const tenants: TenantRowDto[] = rows
    .map((row) => ({
      personId: row.person.id,
      name: nameOf(row.person),
      customerNumber: row.person.customerNumber,
      language: row.person.language,
      contractId: row.contractId,
      contractNumber: row.contractNumber,
      role: row.role,
      unitNumber: row.unitNumber,
      buildingId: row.building.id,
      address: addressOf(row.building),
      status: status.get(row.person.id) ?? 'none',
    }))
    .filter((row) => !query.status || row.status === query.status);
  const buildings = (await listBuildingsInScope(deps.db, await loadStaffScope(deps.db, user))).map(
    (building) => ({
      id: building.id,
      address: addressOf(building),
    }),
  );
  return { tenants, buildings };
}

/** The selection's rows in scope; ids outside the scope answer 404 like missing ones. */
/** One print run stays a PDF a browser can open and a printer can take (a first load: by building). */
const maxLettersPerPrint = 2000;

async function selectedRows(deps: OnboardingDeps, user: SessionUser, body: RegistrationLettersRequest) {
  if (body.importRunId) {
    // The load's new people within the caller's scope; people of other buildings are not theirs to print.
    const created = await findPersonsCreatedByImport(deps.db, body.importRunId);
    if (!created) throw notFound();
    const rows = created.length === 0 ? [] : await directoryRows(deps, user, { personIds: created });
    if (rows.length > maxLettersPerPrint)
      throw conflict(
        'too_many_letters',
        `This load brought in ${rows.length} people: print their letters building by building.`,
      );
    return rows;
  }
  const rows = await directoryRows(deps, user, {
    personIds: body.personIds,
    contractIds: body.contractIds,
    buildingId: body.buildingId,
  });
  const found = (ids: string[] | undefined, of: (row: DirectoryRow) => string) =>
    !ids || ids.every((id) => rows.some((row) => of(row) === id));
  if (!found(body.personIds, (row) => row.person.id) || !found(body.contractIds, (row) => row.contractId))
    throw notFound();
  if (
    body.buildingId &&
    !(await listBuildingsInScope(deps.db, await loadStaffScope(deps.db, user))).some(
      (b) => b.id === body.buildingId,
    )
  )
    throw notFound();
  return rows;
}

interface IssuedCode {
  row: DirectoryRow;
  code: string;
}

/** New codes for the persons (old open ones revoked), audited with the staff id: one transaction. */
async function issueCodes(
  deps: OnboardingDeps,
  user: SessionUser,
  rows: DirectoryRow[],
  action: string,
): Promise<IssuedCode[]> {
  const now = deps.now();
  const issued = rows.map((row) => ({ row, code: generateInvitationCode() }));
  await unitOfWork(deps, async ({ tx }) => {
    await revokeOpenLetterCodes(
      tx,
      issued.map(({ row }) => row.person.id),
      now,
    );
    for (const { row, code } of issued) {
      await insertRegistrationCode(tx, {
        personId: row.person.id,
        codeHash: hashRegistrationCode(code),
        purpose: 'letter',
        createdByUserId: user.id,
        createdAt: now,
      });
      await insertAuditEntry(tx, {
        actorUserId: user.id,
        action,
        entityType: 'person',
        entityId: row.person.id,
        data: { contractId: row.contractId },
        createdAt: now,
      });
    }
  });
  return issued;
}

export type RegistrationLettersResult =
  | { layout: 'single'; pdf: Buffer; fileName: string }
  | { layout: 'per_person'; letters: PerPersonLetterDto[] };

/**
 * Letters for everyone selected who has no login yet (one per person even when on several
 * contracts). 409 `nothing_to_print` when all of them are registered.
 */
export async function printRegistrationLetters(
  deps: OnboardingDeps,
  user: SessionUser,
  body: RegistrationLettersRequest,
  options: { compress?: boolean } = {},
): Promise<RegistrationLettersResult> {
  const seen = new Set<string>();
  const rows = (await selectedRows(deps, user, body)).filter((row) => {
    if (row.userId || seen.has(row.person.id)) return false;
    seen.add(row.person.id);
    return true;
  });
  if (rows.length === 0) throw conflict('nothing_to_print', 'Everyone selected already has a login.');
  const issued = await issueCodes(deps, user, rows, 'registration.letter_printed');
  const landlord = await loadLandlordProfile(deps.db);
  // Each letter comes from the office in its building's country; one settings read per country.
  const senders = new Map<string, Awaited<ReturnType<typeof loadLandlordProfile>>>();
  const senderFor = async (country: string) => {
    if (!senders.has(country)) senders.set(country, await loadLandlordProfile(deps.db, country));
    return senders.get(country)!;
  };
  const base = {
    sender: landlord,
    issuedOn: todayIn(deps.config.timeZone, deps.now()),
    registerUrl: `${deps.config.publicUrl}/register`,
  };
  const letters = await Promise.all(
    issued.map(async ({ row, code }): Promise<RegistrationLetter & { personId: string }> => ({
      personId: row.person.id,
      locale: row.person.language,
      salutationName: nameOf(row.person),
      customerNumber: row.person.customerNumber,
      code,
      sender: await senderFor(row.building.country),
      recipient: {
        name: nameOf(row.person),
        street: `${row.building.street} ${row.building.houseNumber}`,
        postalCode: row.building.postalCode,
        city: row.building.city,
        country: row.building.country,
      },
    })),
  );
  if (body.layout === 'single') {
    return {
      layout: 'single',
      pdf: await renderRegistrationLetters({ ...base, letters }, options),
      fileName: 'registration-letters.pdf',
    };
  }
  return {
    layout: 'per_person',
    letters: await Promise.all(
      letters.map(async (letter) => ({
        personId: letter.personId,
        fileName: `registration-letter-${letter.customerNumber ?? letter.personId}.pdf`,
        pdf: (await renderRegistrationLetters({ ...base, letters: [letter] }, options)).toString('base64'),
      })),
    ),
  };
}

/** A lost code (issue 5 item 7): the old one dies, the new one is shown once. */
export async function regenerateRegistrationCode(
  deps: OnboardingDeps,
  user: SessionUser,
  personId: string,
): Promise<RegeneratedCodeDto> {
  const [row] = await directoryRows(deps, user, { personIds: [personId] });
  if (!row) throw notFound();
  if (row.userId) throw conflict('already_registered', 'This person already has a login.');
  const [issued] = await issueCodes(deps, user, [row], 'registration.code_regenerated');
  return { personId, code: issued!.code };
}

/** The person's directory row when it is in the staff member's scope (view as tenant). */
export async function findTenantInScope(deps: OnboardingDeps, user: SessionUser, personId: string) {
  return (await directoryRows(deps, user, { personIds: [personId] }))[0];
}
