import { listAllContractNumbers, listContractPlaces } from '../../../db/repositories/documents.ts';
import type {
  BulkPreviewRequest,
  BulkPreviewResponse,
  BulkPublishRequest,
  StaffDocumentDto,
} from '../../../shared/api/staff-documents.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, notFound } from '../../domain/errors.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import type { SessionUser } from '../../lib/context.ts';
import { loadStaffScope, staffScopeCovers } from '../tickets/index.ts';
import {
  contractCovered,
  findOwnFreshUpload,
  loadOwnPdf,
  publishDocument,
  staffDocumentDtos,
} from './staff.ts';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The contract number in a file name, e.g. "NK-2025_1001-02-03.pdf" → "1001-02-03". The longest
 * known number wins, bounded by non-alphanumerics so "1001-02-0" never matches "1001-02-03"'s
 * neighbour "1001-02-031". Only numbers in the staff scope are candidates: a file for another
 * team's tenant is a miss, like an unknown number (no hint that it exists).
 */
export function matchContractNumber(fileName: string, numbers: readonly string[]): string | null {
  let best: string | null = null;
  for (const number of numbers) {
    if (best && number.length <= best.length) continue;
    if (new RegExp(`(^|[^0-9A-Za-z])${escape(number)}($|[^0-9A-Za-z])`, 'i').test(fileName)) best = number;
  }
  return best;
}

/** `POST /staff/documents/bulk/preview`: which uploaded PDF goes to which contract, and the misses. */
export async function previewBulk(
  deps: Deps,
  user: SessionUser,
  input: BulkPreviewRequest,
): Promise<BulkPreviewResponse> {
  const scope = await loadStaffScope(deps.db, user);
  const byNumber = new Map<string, string>();
  for (const place of await listAllContractNumbers(deps.db)) {
    if (staffScopeCovers(scope, place)) byNumber.set(place.number, place.contractId);
  }
  const numbers = [...byNumber.keys()];
  const answer: BulkPreviewResponse = { matched: [], missed: [] };
  for (const file of input.files) {
    // Looked up with the ownership rule first: the stored name of someone else's upload must not
    // leave the server, so such an id reads exactly like one that does not exist.
    const found = await findOwnFreshUpload(deps.db, user, file.attachmentId);
    const fileName = file.fileName ?? found?.attachment.originalName ?? file.attachmentId;
    const miss = (reason: BulkPreviewResponse['missed'][number]['reason']) =>
      answer.missed.push({ attachmentId: file.attachmentId, fileName, reason });
    if (!found) miss('unknown_attachment');
    else if (found.file.mime !== 'application/pdf') miss('not_a_pdf');
    else {
      const number = matchContractNumber(fileName, numbers);
      if (!number) miss(/\d{3,}/.test(fileName) ? 'unknown_contract' : 'no_contract_number');
      else
        answer.matched.push({
          attachmentId: file.attachmentId,
          fileName,
          contractId: byNumber.get(number)!,
          contractNumber: number,
        });
    }
  }
  return answer;
}

/**
 * `POST /staff/documents/bulk/publish`: all documents in ONE transaction (seed 000 yearly
 * operating-cost statements): either every tenant gets theirs, or nobody does. Any attachment or
 * contract that is not the caller's to use answers 404 and publishes nothing.
 */
export async function publishBulk(
  deps: Deps,
  user: SessionUser,
  input: BulkPublishRequest,
): Promise<StaffDocumentDto[]> {
  const scope = await loadStaffScope(deps.db, user);
  const contractIds = [...new Set(input.items.map((item) => item.contractId))];
  const places = await listContractPlaces(deps.db, { ids: contractIds });
  for (const contractId of contractIds) {
    if (
      !contractCovered(
        scope,
        places.filter((p) => p.contractId === contractId),
      )
    )
      throw notFound();
  }
  const attachmentIds = input.items.map((item) => item.attachmentId);
  if (new Set(attachmentIds).size !== attachmentIds.length)
    throw badRequest('duplicate_attachment', 'Each file can be published once.');
  const pdfs = new Map<string, Awaited<ReturnType<typeof loadOwnPdf>>>();
  for (const item of input.items)
    pdfs.set(item.attachmentId, await loadOwnPdf(deps.db, user, item.attachmentId));
  const now = deps.now();
  const documents = await unitOfWork(deps, async (uow) => {
    const published = [];
    for (const item of input.items) {
      published.push(
        await publishDocument(
          uow,
          user,
          {
            title: input.title,
            type: input.type,
            audience: 'all',
            fileId: pdfs.get(item.attachmentId)!.file.id,
          },
          {
            scope: 'contract',
            contractId: item.contractId,
            personId: null,
            buildingId: null,
            estateId: null,
          },
          now,
        ),
      );
    }
    return published;
  });
  return await staffDocumentDtos(deps, documents);
}
