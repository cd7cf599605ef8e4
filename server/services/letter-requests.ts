import { insertAuditEntry } from '../../db/repositories/audit.ts';
import {
  insertLetterRequest,
  listLetterRequests,
  markLetterRequestDone,
  type LetterRequestRow,
} from '../../db/repositories/letter-requests.ts';
import { unitOfWork } from '../unit-of-work/index.ts';
import type { Deps } from '../deps.ts';
import type { SessionUser } from '../lib/context.ts';
import { notFound } from '../domain/errors.ts';
import type { RequestMeta } from '../lib/request-meta.ts';
import type {
  LetterRequestDto,
  LetterRequestListResponse,
  LetterRequestRequest,
} from '../../shared/api/letter-requests.ts';

type LetterRequestDeps = Pick<Deps, 'db' | 'now' | 'rateLimits' | 'config' | 'bus'>;

/**
 * Someone without a letter (lost, never arrived, moved in recently) asks for one (seed 002). The
 * request becomes a task in the staff console; staff find the tenant and print the letter with
 * `POST /staff/registration-letters`. Nothing is matched here and the answer is always the same,
 * so the form tells nobody whether a name, address or customer number belongs to a tenant.
 * Throttled per client address.
 */
export async function requestRegistrationLetter(
  deps: LetterRequestDeps,
  input: LetterRequestRequest,
  meta: RequestMeta,
): Promise<void> {
  await deps.rateLimits.checkLetterRequest(meta.ip);
  const now = deps.now();
  await unitOfWork(deps, async ({ tx }) => {
    const row = await insertLetterRequest(tx, {
      name: input.name,
      address: input.address,
      unit: input.unit ?? null,
      customerNumber: input.customerNumber ?? null,
      email: input.email?.toLowerCase() ?? null,
      phone: input.phone ?? null,
      message: input.message ?? null,
      language: input.language ?? 'de',
      ipAddress: meta.ip,
      createdAt: now,
    });
    await insertAuditEntry(tx, {
      actorUserId: null,
      action: 'registration.letter_requested',
      entityType: 'letter_request',
      entityId: row.id,
      data: {},
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
}

const toDto = (row: LetterRequestRow): LetterRequestDto => ({
  id: row.id,
  name: row.name,
  address: row.address,
  unit: row.unit,
  customerNumber: row.customerNumber,
  email: row.email,
  phone: row.phone,
  message: row.message,
  language: row.language,
  status: row.status,
  createdAt: row.createdAt.toISOString(),
  handledAt: row.handledAt?.toISOString() ?? null,
});

/**
 * The requests for staff. They name no building (the writer's address is free text), so every
 * staff member sees them, as they would see the letter in the office's post.
 */
export async function listLetterRequestsForStaff(
  deps: Pick<Deps, 'db'>,
  status: 'open' | 'done',
): Promise<LetterRequestListResponse> {
  return { requests: (await listLetterRequests(deps.db, status)).map(toDto) };
}

/** The letter was printed (or the request dealt with otherwise): off the open list. */
export async function closeLetterRequest(
  deps: Pick<Deps, 'db' | 'now' | 'config' | 'bus'>,
  staff: SessionUser,
  id: string,
  meta: RequestMeta,
): Promise<void> {
  const now = deps.now();
  await unitOfWork(deps, async ({ tx }) => {
    if (!(await markLetterRequestDone(tx, id, staff.id, now))) throw notFound();
    await insertAuditEntry(tx, {
      actorUserId: staff.id,
      action: 'registration.letter_request_done',
      entityType: 'letter_request',
      entityId: id,
      data: {},
      ipAddress: meta.ip,
      createdAt: now,
    });
  });
}
