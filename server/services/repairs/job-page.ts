import {
  findLatestAppointmentOfTicket,
  type AppointmentRecord,
} from '../../../db/repositories/appointments.ts';
import type { JobLinkRow } from '../../../db/repositories/job-links.ts';
import {
  findJobLinkWithContractor,
  findJobPlace,
  listStepsOfLinks,
  type JobLinkWithContractor,
} from '../../../db/repositories/job-steps.ts';
import { listAttachmentsOfTicket } from '../../../db/repositories/ticket-messages.ts';
import { findTicketWithEstate, type TicketWithEstate } from '../../../db/repositories/tickets.ts';
import {
  keyNotesField,
  phoneConsentField,
  type JobAppointmentDto,
  type JobDoneRequest,
  type JobPageDto,
  type JobPhotoDto,
  type JobSlotDto,
  type JobSlotsRequest,
  type JobUploadDto,
} from '../../../shared/api/dispatch.ts';
import type { AvailabilityWindow } from '../../../shared/ticket-types.ts';
import type { DbOrTx } from '../../../db/transaction.ts';
import type { Deps } from '../../deps.ts';
import { conflict, notFound } from '../../domain/errors.ts';
import type { RequestMeta } from '../../lib/request-meta.ts';
import { servedFileName } from '../../files/names.ts';
import { unitOfWork } from '../../unit-of-work/index.ts';
import { storeUpload, type ServedFile } from '../uploads.ts';
import { formatSlot } from './appointment-format.ts';
import { proposeSlotsByContractor, zoneOf } from './appointments.ts';
import { verifyJobLink } from './job-link.ts';
import { jobStateOf, recordJobStep } from './jobs.ts';

/*
 * The contractor's side (issue 20 item 2): the token is the whole authorization, and it reaches
 * this one ticket's job page and nothing else. Every route resolves the token first; a forged,
 * malformed, expired or revoked one answers 404 like a missing one and counts as a wrong guess
 * for the client's address (the throttle of registration codes and unsubscribe links).
 */

/** Uploads made through a link belong to the link, not to an account. */
const ownerKeyOf = (linkId: string) => `job-link:${linkId}`;

/** The live link a token names; 404 (and a counted wrong guess) for anything else. */
export async function checkJobToken(deps: Deps, token: string, meta: RequestMeta): Promise<JobLinkRow> {
  return await resolve(deps, token, meta);
}

async function resolve(deps: Deps, token: string, meta: RequestMeta): Promise<JobLinkRow> {
  await deps.rateLimits.checkGuess(meta.ip);
  const link = await verifyJobLink(deps, token);
  if (!link) {
    await deps.rateLimits.recordWrongGuess(meta.ip);
    throw notFound();
  }
  return link;
}

async function load(deps: Deps, link: JobLinkRow, db: DbOrTx = deps.db) {
  const job = await findJobLinkWithContractor(db, link.id);
  const ticket = await findTicketWithEstate(db, link.ticketId);
  if (!job || !ticket) throw notFound();
  const steps = await listStepsOfLinks(db, [link.id]);
  return { job, ticket, steps, state: jobStateOf(job.link, steps, deps.now()) };
}

/** The tenant's windows ("Terminwünsche"): the valid entries of the form's availability field. */
function windowsOf(fields: Record<string, unknown>): AvailabilityWindow[] {
  const value = fields.availability;
  if (!Array.isArray(value)) return [];
  return value.filter(
    (window): window is AvailabilityWindow =>
      typeof window === 'object' &&
      window !== null &&
      typeof (window as AvailabilityWindow).date === 'string' &&
      typeof (window as AvailabilityWindow).from === 'string' &&
      typeof (window as AvailabilityWindow).to === 'string',
  );
}

const asBoolean = (value: unknown) => (typeof value === 'boolean' ? value : null);
const asText = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** The ticket's photos the tenant may see: on the ticket itself or on a public message. */
async function publicPhotos(deps: Deps, ticketId: string) {
  return (await listAttachmentsOfTicket(deps.db, ticketId)).filter(
    (row) => row.visibility !== 'internal' && row.file.mime.startsWith('image/'),
  );
}

/**
 * The ticket's newest appointment as this contractor may see it: one with another contractor (an
 * earlier dispatch) stays hidden, and the tenant's reason for a move never leaves staff.
 */
function jobAppointmentOf(
  appointment: AppointmentRecord | null,
  contractorId: string,
  language: JobPageDto['language'],
  timeZone: string,
): JobAppointmentDto | null {
  if (!appointment) return null;
  if (appointment.contractorId !== null && appointment.contractorId !== contractorId) return null;
  const slotOf = (start: Date, end: Date): JobSlotDto => ({
    start: start.toISOString(),
    end: end.toISOString(),
    label: formatSlot({ start, end }, language, timeZone),
  });
  const { confirmedStartAt: start, confirmedEndAt: end } = appointment;
  return {
    state: appointment.state,
    slots: appointment.slots.map((slot) => slotOf(slot.startAt, slot.endAt)),
    confirmed: appointment.state === 'confirmed' && start && end ? slotOf(start, end) : null,
    byContractor: appointment.proposedByJobLinkId !== null,
  };
}

/** `GET /api/job/:token`. */
export async function getJobPage(deps: Deps, token: string, meta: RequestMeta): Promise<JobPageDto> {
  return await pageOf(deps, await resolve(deps, token, meta), token);
}

/** The page of a link already verified (after a step the answer is the page, as the GET gives it). */
async function pageOf(deps: Deps, link: JobLinkRow, token: string): Promise<JobPageDto> {
  const { job, ticket, steps, state } = await load(deps, link);
  const place = await findJobPlace(deps.db, ticket.id);
  const base = `/api/job/${token}/files`;
  const photos: JobPhotoDto[] = (await publicPhotos(deps, ticket.id)).map((row) => ({
    id: row.attachment.id,
    mime: row.file.mime,
    name: servedFileName(row.attachment.originalName, row.file.mime),
    url: `${base}/${row.attachment.id}`,
    thumbnailUrl: row.thumbnail ? `${base}/${row.attachment.id}/thumbnail` : null,
  }));
  const fields = ticket.fields;
  const timeZone = zoneOf(deps);
  // The tenant's number goes out only with their consent on the form.
  const phone =
    fields[phoneConsentField] === true ? (place?.tenantMobile ?? place?.tenantPhone ?? null) : null;
  return {
    state,
    language: job.contractor.language,
    contractorName: job.contractor.name,
    note: steps.findLast((step) => step.kind === 'dispatched')?.note ?? null,
    ticket: {
      number: ticket.number,
      title: ticket.title ?? ticket.subject,
      description: ticket.description,
      status: ticket.status,
      createdAt: ticket.createdAt.toISOString(),
    },
    place: {
      street: place?.building?.street ?? null,
      houseNumber: place?.building?.houseNumber ?? null,
      postalCode: place?.building?.postalCode ?? null,
      city: place?.building?.city ?? null,
      unit: place?.unit?.number ?? null,
      floor: place?.unit?.floor ?? null,
    },
    access: {
      permissionToEnter: asBoolean(fields.permission_to_enter),
      petsAtHome: asBoolean(fields.pets_at_home),
      keyNotes: asText(fields[keyNotesField]),
    },
    tenantPhone: phone,
    windows: windowsOf(fields),
    timeZone,
    appointment: jobAppointmentOf(
      await findLatestAppointmentOfTicket(deps.db, ticket.id),
      job.contractor.id,
      job.contractor.language,
      timeZone,
    ),
    photos,
    doneNote: steps.findLast((step) => step.kind === 'done')?.note ?? null,
    expiresAt: job.link.expiresAt.toISOString(),
  };
}

type Answer = 'accepted' | 'declined' | 'done';

/** One answer of the contractor, in its unit of work; the page as it is afterwards. */
async function answer(
  deps: Deps,
  token: string,
  meta: RequestMeta,
  step: Answer,
  note: string | null,
  attachmentIds: readonly string[] = [],
): Promise<JobPageDto> {
  const link = await resolve(deps, token, meta);
  await unitOfWork(deps, async (uow) => {
    const { job, ticket, state } = await load(deps, link, uow.tx);
    if (step === 'accepted' && state === 'accepted') return; // said twice: nothing new
    if (state !== 'dispatched' && state !== 'accepted')
      throw conflict('job_closed', 'This job is already answered.');
    if (step === 'accepted' && state !== 'dispatched')
      throw conflict('job_closed', 'This job is already answered.');
    await step_(uow, ticket, job, step, note, attachmentIds, deps.now());
  });
  return await pageOf(deps, link, token);
}

async function step_(
  uow: Parameters<Parameters<typeof unitOfWork>[1]>[0],
  ticket: TicketWithEstate,
  job: JobLinkWithContractor,
  step: Answer,
  note: string | null,
  attachmentIds: readonly string[],
  now: Date,
) {
  await recordJobStep(uow, {
    ticket,
    job,
    step,
    note,
    now,
    url: null,
    // The decline's reason is for staff; the report of the finished work is the tenant's too.
    publicNote: step === 'done',
    attachments: { ids: attachmentIds, ownerKey: ownerKeyOf(job.link.id) },
  });
}

export const acceptJob = (deps: Deps, token: string, meta: RequestMeta) =>
  answer(deps, token, meta, 'accepted', null);

export const declineJob = (deps: Deps, token: string, meta: RequestMeta, reason: string) =>
  answer(deps, token, meta, 'declined', reason.trim());

export const reportJobDone = (deps: Deps, token: string, meta: RequestMeta, input: JobDoneRequest) =>
  answer(deps, token, meta, 'done', input.note.trim() || null, input.attachmentIds ?? []);

/**
 * `POST /api/job/:token/slots`: the contractor proposes times for the visit, inside the tenant's
 * windows. Only an accepted job may: the state is read in the proposal's own unit of work, so a
 * link withdrawn or a job declined meanwhile cannot slip a proposal in.
 */
export async function proposeJobSlots(
  deps: Deps,
  token: string,
  meta: RequestMeta,
  input: JobSlotsRequest,
): Promise<JobPageDto> {
  const link = await resolve(deps, token, meta);
  await proposeSlotsByContractor(deps, link, input, async (tx) => {
    const { state } = await load(deps, link, tx);
    if (state === 'dispatched') throw conflict('job_not_accepted', 'Accept the job before proposing times.');
    if (state !== 'accepted') throw conflict('job_closed', 'This job is already answered.');
  });
  return await pageOf(deps, link, token);
}

/**
 * `POST /api/job/:token/uploads`: a photo of the work, through the tenants' checks (type by the
 * bytes, re-encoded, size limit), owned by the link until `done` hands it to the ticket.
 */
export async function storeJobUpload(
  deps: Deps,
  token: string,
  meta: RequestMeta,
  bytes: Uint8Array,
  name: string | null,
): Promise<JobUploadDto> {
  const link = await resolve(deps, token, meta);
  const { state } = await load(deps, link);
  if (state !== 'dispatched' && state !== 'accepted')
    throw conflict('job_closed', 'This job is already answered.');
  const stored = await storeUpload(deps, { id: ownerKeyOf(link.id) }, bytes, name);
  return { id: stored.id, mime: stored.mime, name: stored.name, size: stored.size };
}

/**
 * `GET /api/job/:token/files/:fileId[/thumbnail]`: a photo of this ticket the tenant may see;
 * any other id (another ticket's, an internal note's) answers 404.
 */
export async function openJobFile(
  deps: Deps,
  token: string,
  meta: RequestMeta,
  attachmentId: string,
  variant: 'original' | 'thumbnail',
): Promise<ServedFile> {
  const link = await resolve(deps, token, meta);
  const row = (await listAttachmentsOfTicket(deps.db, link.ticketId)).find(
    (candidate) => candidate.attachment.id === attachmentId && candidate.visibility !== 'internal',
  );
  if (!row) throw notFound();
  const chosen = variant === 'thumbnail' ? row.thumbnail : row.file;
  if (!chosen) throw notFound();
  return {
    sha256: chosen.sha256,
    mime: chosen.mime,
    size: chosen.size,
    fileName: servedFileName(
      row.attachment.originalName,
      chosen.mime,
      variant === 'thumbnail' ? '-thumbnail' : '',
    ),
    read: async () => {
      const bytes = await deps.files.read(chosen.sha256);
      return new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}
