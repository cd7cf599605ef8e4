import {
  countUnreadDocumentsVisibleTo,
  findDocumentVisibleTo,
  listDocumentsVisibleTo,
  listOwnerDocumentsVisibleTo,
  listDocumentTypesVisibleTo,
  listEstateIdsOfBuildings,
  recordFirstOpening,
  type DocumentAudience,
  type VisibleDocument,
} from '../../../db/repositories/documents.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import { sanitizeFileName } from '../../files/names.ts';
import type { ServedFileInfo } from '../../files/serve.ts';
import type { SessionUser } from '../../lib/context.ts';
import { notFound } from '../../lib/http-error.ts';
import type { DocumentDto, DocumentType } from '../../../shared/api/documents.ts';
import { loadCustomerScope, type CustomerScope } from '../access.ts';

export type DocumentDeps = Pick<Deps, 'db' | 'config' | 'now' | 'files'>;

/** Publishing a document (staff, bulk import) calls this in its transaction: mail/push per choice. */
export { notifyDocumentPublished } from '../../notify/domain.ts';

/**
 * Where the customer's documents hang off. The customer scope merges tenant and owner estates, but
 * audiences differ (seed 003: owner statements are not for tenants of the same house), so estates
 * are looked up per side: one extra query.
 */
export async function documentAudienceOf(db: DbOrTx, scope: CustomerScope): Promise<DocumentAudience> {
  const tenantBuildingIds = [...scope.tenantBuildingIds];
  const ownerBuildingIds = [...scope.ownerBuildingIds];
  const estateOf = await listEstateIdsOfBuildings(db, [
    ...new Set([...tenantBuildingIds, ...ownerBuildingIds]),
  ]);
  const estatesOf = (ids: string[]) => [
    ...new Set(ids.map((id) => estateOf.get(id)).filter((id) => id !== undefined)),
  ];
  return {
    personId: scope.personId,
    contractIds: [...scope.contracts.keys()],
    ownershipIds: [...scope.ownershipIds],
    tenantBuildingIds,
    ownerBuildingIds,
    tenantEstateIds: estatesOf(tenantBuildingIds),
    ownerEstateIds: estatesOf(ownerBuildingIds),
  };
}

async function audienceOfUser(
  deps: Pick<Deps, 'db' | 'config' | 'now'>,
  user: SessionUser,
): Promise<DocumentAudience> {
  return await documentAudienceOf(deps.db, await loadCustomerScope(deps, user));
}

function toDocumentDto({ document, firstOpenedAt }: VisibleDocument): DocumentDto {
  return {
    id: document.id,
    type: document.type,
    title: document.title,
    scope: document.scope,
    publishedAt: document.publishedAt.toISOString(),
    read: firstOpenedAt !== null,
    firstOpenedAt: firstOpenedAt?.toISOString() ?? null,
    fileUrl: `/api/documents/${encodeURIComponent(document.id)}/file`,
  };
}

/** Seed 000/001/002 "Dokumente": everything addressed to the person, contracts, houses and estates. */
export async function listDocuments(
  deps: Pick<Deps, 'db' | 'config' | 'now'>,
  user: SessionUser,
  type?: DocumentType,
): Promise<DocumentDto[]> {
  const now = deps.now();
  return (await listDocumentsVisibleTo(deps.db, await audienceOfUser(deps, user), user.id, now, type)).map(
    toDocumentDto,
  );
}

/** Seed 003: the WEG's documents for owners and the owner's own, from the customer scope already loaded. */
export async function listOwnerDocuments(
  db: DbOrTx,
  scope: CustomerScope,
  now: Date,
): Promise<DocumentDto[]> {
  return (await listOwnerDocumentsVisibleTo(db, await documentAudienceOf(db, scope), scope.userId, now)).map(
    toDocumentDto,
  );
}

export async function listDocumentTypes(
  deps: Pick<Deps, 'db' | 'config' | 'now'>,
  user: SessionUser,
): Promise<DocumentType[]> {
  return await listDocumentTypesVisibleTo(deps.db, await audienceOfUser(deps, user), deps.now());
}

export async function countUnreadDocuments(
  db: DbOrTx,
  scope: CustomerScope,
  userId: string,
  now: Date,
): Promise<number> {
  return await countUnreadDocumentsVisibleTo(db, await documentAudienceOf(db, scope), userId, now);
}

export interface OpenedDocument extends ServedFileInfo {
  read(): Promise<Buffer>;
}

/**
 * The PDF of a visible document; someone else's or a missing id is the same 404. The first opening
 * per user is stored as the proof of delivery; later openings keep it (`ON CONFLICT DO NOTHING`).
 * `recordOpening` is false when the request was caused by another site: served, not counted.
 */
export async function openDocumentFile(
  deps: DocumentDeps,
  user: SessionUser,
  documentId: string,
  options: { recordOpening: boolean },
): Promise<OpenedDocument> {
  const now = deps.now();
  const found = await findDocumentVisibleTo(deps.db, await audienceOfUser(deps, user), documentId, now);
  if (!found) throw notFound();
  if (options.recordOpening) await recordFirstOpening(deps.db, found.document.id, user.id, now);
  const { file, document } = found;
  return {
    sha256: file.sha256,
    mime: file.mime,
    size: file.size,
    // The title is the name ("Mietvertrag …, Wohnung 1.02.pdf"); it is not split at its last dot.
    fileName: `${sanitizeFileName(document.title) ?? 'document'}${file.mime === 'application/pdf' ? '.pdf' : ''}`,
    read: () => deps.files.read(file.sha256),
  };
}
