import type { StoredEvent } from '../../../db/repositories/events.ts';
import {
  insertDocument,
  listContractPlaces,
  listDocumentsForStaff,
  listNamedUsers,
  listPersonPlaces,
  listReadsOfDocuments,
  listRecipientsOfContracts,
  type Document,
} from '../../../db/repositories/documents.ts';
import { findAttachmentWithFiles } from '../../../db/repositories/files.ts';
import { listUserIdsInPlaces } from '../../../db/repositories/notifications.ts';
import { findBuildingPlace, findEstate } from '../../../db/repositories/notices.ts';
import type { StaffScopeFilter } from '../../../db/repositories/tickets.ts';
import type { DbOrTx, Tx } from '../../../db/transaction.ts';
import { listTenantDirectoryRows } from '../../../db/repositories/persons.ts';
import { ownerPersonsOfOwnerships } from '../../../db/repositories/owners.ts';
import type {
  DocumentRecipientOptionDto,
  DocumentRecipientQuery,
  StaffDocumentCreate,
  StaffDocumentDto,
} from '../../../shared/api/staff-documents.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { todayIn } from '../../lib/dates.ts';
import { notFound, unsupported } from '../../domain/errors.ts';
import { project } from '../../events/projector.ts';
import { unitOfWork, type UnitOfWork } from '../../unit-of-work/index.ts';
import { loadStaffScope, staffScopeCovers } from '../tickets/index.ts';
import { resolveOwnershipTarget } from './staff-ownership.ts';

/**
 * An upload the staff member may publish: their own, not yet on a ticket. The same rule as for
 * reading (services/uploads.ts `canReadAttachment`): a fresh upload is its uploader's alone, so
 * anyone else's id is treated as unknown, whatever the caller's scope (issue 13 finding 8).
 */
export async function findOwnFreshUpload(db: DbOrTx, user: SessionUser, attachmentId: string) {
  const found = await findAttachmentWithFiles(db, attachmentId);
  if (!found || found.attachment.ownerUserId !== user.id || found.attachment.ticketId !== null)
    return undefined;
  return found;
}

/**
 * The staff member's own uploaded PDF; someone else's or a missing upload is 404, anything but a
 * PDF 415 (the upload route checked the magic bytes, server/files/inspect.ts).
 */
export async function loadOwnPdf(db: DbOrTx, user: SessionUser, attachmentId: string) {
  const found = await findOwnFreshUpload(db, user, attachmentId);
  if (!found) throw notFound();
  if (found.file.mime !== 'application/pdf') throw unsupported('unsupported_media_type', 'Publish a PDF.');
  return found;
}

export const contractCovered = (
  scope: StaffScopeFilter,
  places: { buildingId: string; estateId: string }[],
) => places.length > 0 && places.some((place) => staffScopeCovers(scope, place));

export type DocumentTarget = Pick<Document, 'scope' | 'personId' | 'contractId' | 'buildingId' | 'estateId'>;
type Target = DocumentTarget & { ownershipId?: string | null };

/** Resolves the addressee and checks it lies in scope; outside: 404 like a missing id. */
async function resolveTarget(
  db: DbOrTx,
  scope: StaffScopeFilter,
  input: StaffDocumentCreate['scope'],
  today: string,
): Promise<Target> {
  if (input.kind === 'ownership') return await resolveOwnershipTarget(db, scope, input.id, today);
  const none = { personId: null, contractId: null, buildingId: null, estateId: null };
  const all = scope.buildingIds === null || scope.estateIds === null;
  if (input.kind === 'estate') {
    if (!(await findEstate(db, input.id)) || !(all || scope.estateIds!.includes(input.id))) throw notFound();
    return { ...none, scope: 'estate', estateId: input.id };
  }
  if (input.kind === 'building') {
    const building = await findBuildingPlace(db, input.id);
    if (!building || !staffScopeCovers(scope, { buildingId: building.id, estateId: building.estateId }))
      throw notFound();
    return { ...none, scope: 'building', buildingId: building.id };
  }
  if (input.kind === 'contract') {
    if (!contractCovered(scope, await listContractPlaces(db, { ids: [input.id] }))) throw notFound();
    return { ...none, scope: 'contract', contractId: input.id };
  }
  if (!contractCovered(scope, await listPersonPlaces(db, input.id))) throw notFound();
  return { ...none, scope: 'person', personId: input.id };
}

interface PublishedDocumentInput {
  title: string;
  type: Document['type'];
  fileId: string;
  audience: Document['audience'];
  externalId?: string;
}

/**
 * Publishes one document in a unit of work: one way for a staff upload and a bulk publish; the
 * projector writes its outbox rows and `document.published` events. `author` is the staff member.
 */
export async function publishDocument(
  uow: UnitOfWork,
  author: { id: string },
  input: PublishedDocumentInput,
  target: Target,
  now: Date,
): Promise<Document> {
  const document = await insertPublishedDocument(uow.tx, author, input, target, now);
  uow.record({ type: 'document.published', document, at: now });
  return document;
}

/**
 * The ERP load's way (inside its own transaction on its worker's connection, `author` null): the
 * same rows through the same projector; the load publishes the returned events after its commit.
 */
export async function publishDocumentIn(
  timeZone: string,
  tx: Tx,
  author: { id: string } | null,
  input: PublishedDocumentInput,
  target: Target,
  now: Date,
): Promise<{ document: Document; events: StoredEvent[] }> {
  const document = await insertPublishedDocument(tx, author, input, target, now);
  return {
    document,
    events: (await project(tx, [{ type: 'document.published', document, at: now }], { timeZone })).events,
  };
}

async function insertPublishedDocument(
  tx: Tx,
  author: { id: string } | null,
  input: PublishedDocumentInput,
  target: Target,
  now: Date,
): Promise<Document> {
  return await insertDocument(tx, {
    ...target,
    title: input.title,
    type: input.type,
    audience: input.audience,
    fileId: input.fileId,
    externalId: input.externalId ?? null,
    publishedAt: now,
    createdByUserId: author?.id ?? null,
    createdAt: now,
  });
}

/** `POST /staff/documents`: one PDF to a person, contract, building or estate. */
export async function createStaffDocument(
  deps: Deps,
  user: SessionUser,
  input: StaffDocumentCreate,
): Promise<StaffDocumentDto> {
  const target = await resolveTarget(
    deps.db,
    await loadStaffScope(deps.db, user),
    input.scope,
    todayIn(deps.config.timeZone, deps.now()),
  );
  const pdf = await loadOwnPdf(deps.db, user, input.attachmentId);
  const now = deps.now();
  const document = await unitOfWork(
    deps,
    async (uow) => await publishDocument(uow, user, { ...input, fileId: pdf.file.id }, target, now),
  );
  return (await staffDocumentDtos(deps, [document]))[0]!;
}

/** Shown per search; more rows than this means the query should be more precise. */
const recipientSearchLimit = 10;

/**
 * `GET /staff/documents/recipients?q=`: current parties of current contracts in the staff member's
 * buildings whose name, customer number or contract number matches, so a document is addressed by
 * what staff know and never by an internal id (issue 15 item 9). Outside the scope nobody is found.
 */
export async function searchDocumentRecipients(
  deps: Deps,
  user: SessionUser,
  query: DocumentRecipientQuery,
): Promise<DocumentRecipientOptionDto[]> {
  const today = todayIn(deps.config.timeZone, deps.now());
  // A contract over several units yields one row per unit: fetch a few more, keep one per pair.
  const rows = await listTenantDirectoryRows(
    deps.db,
    { ...(await loadStaffScope(deps.db, user)), q: query.q, limit: recipientSearchLimit * 4 },
    today,
  );
  const seen = new Set<string>();
  const options: DocumentRecipientOptionDto[] = [];
  for (const row of rows) {
    const key = `${row.person.id}:${row.contractId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const { building } = row;
    options.push({
      personId: row.person.id,
      name: nameOf(row.person) ?? '',
      customerNumber: row.person.customerNumber,
      contractId: row.contractId,
      contractNumber: row.contractNumber,
      unitNumber: row.unitNumber,
      address: `${building.street} ${building.houseNumber}, ${building.postalCode} ${building.city}`,
    });
  }
  return options.slice(0, recipientSearchLimit);
}

const nameOf = (p: { firstName: string | null; lastName: string | null; organisationName: string | null }) =>
  [p.firstName, p.lastName].filter(Boolean).join(' ') || p.organisationName || null;

/**
 * Delivery status per recipient (issue 5 item 6): the current addressees plus anyone who opened it.
 * A fixed number of queries per page: recipients by contract and person in one query each, places
 * per distinct house or estate.
 */
export async function staffDocumentDtos(deps: Deps, rows: Document[]): Promise<StaffDocumentDto[]> {
  const today = todayIn(deps.config.timeZone, deps.now());
  const ids = rows.map((row) => row.id);
  const byContract = await listRecipientsOfContracts(
    deps.db,
    rows.flatMap((row) => (row.contractId ? [row.contractId] : [])),
    today,
  );
  // An ownership's own document goes to the owner of that unit (seed 003).
  const ownerOf = await ownerPersonsOfOwnerships(
    deps.db,
    rows.flatMap((row) => (row.ownershipId ? [row.ownershipId] : [])),
  );
  const personOf = (row: Document) =>
    row.personId ?? (row.ownershipId ? ownerOf.get(row.ownershipId) : undefined) ?? null;
  const byPerson = await listNamedUsers(deps.db, {
    personIds: rows.flatMap((row) => personOf(row) ?? []),
  });
  const placeUsers = new Map<string, string[]>();
  for (const row of rows) {
    if (row.scope !== 'building' && row.scope !== 'estate') continue;
    const key = `${row.scope}:${row.buildingId ?? row.estateId}:${row.audience}`;
    if (placeUsers.has(key)) continue;
    const filter =
      row.scope === 'building' ? { buildingIds: [row.buildingId!] } : { estateIds: [row.estateId!] };
    placeUsers.set(key, await listUserIdsInPlaces(deps.db, filter, today, row.audience));
  }
  const reads = await listReadsOfDocuments(deps.db, ids);
  const names = new Map(
    (
      await listNamedUsers(deps.db, {
        userIds: [...new Set([...[...placeUsers.values()].flat(), ...reads.map((r) => r.userId)])],
      })
    ).map((u) => [u.userId, nameOf(u)]),
  );
  for (const u of [...byContract, ...byPerson]) names.set(u.userId, nameOf(u));
  return rows.map((row) => {
    const addressees =
      row.scope === 'contract'
        ? byContract.filter((r) => r.contractId === row.contractId).map((r) => r.userId)
        : row.scope === 'person' || row.scope === 'ownership'
          ? byPerson.filter((r) => r.personId === personOf(row)).map((r) => r.userId)
          : (placeUsers.get(`${row.scope}:${row.buildingId ?? row.estateId}:${row.audience}`) ?? []);
    const opened = new Map(
      reads.filter((r) => r.documentId === row.id).map((r) => [r.userId, r.firstOpenedAt]),
    );
    const userIds = [...new Set([...addressees, ...opened.keys()])];
    const recipients = userIds.map((userId) => ({
      userId,
      name: names.get(userId) ?? null,
      openedAt: opened.get(userId)?.toISOString() ?? null,
    }));
    return {
      id: row.id,
      title: row.title,
      type: row.type,
      scope: {
        kind: row.scope,
        id: (row.personId ?? row.contractId ?? row.buildingId ?? row.estateId ?? row.ownershipId)!,
      },
      publishedAt: row.publishedAt.toISOString(),
      recipients,
      openedCount: recipients.filter((r) => r.openedAt !== null).length,
    };
  });
}

/** `GET /staff/documents`: the newest documents in scope with their delivery status. */
export async function listStaffDocuments(deps: Deps, user: SessionUser): Promise<StaffDocumentDto[]> {
  return await staffDocumentDtos(
    deps,
    await listDocumentsForStaff(deps.db, await loadStaffScope(deps.db, user)),
  );
}
