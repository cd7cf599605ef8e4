import { z } from 'zod';
import { appointmentSlotInput, type AppointmentStateDto } from './appointments.ts';
import { entityId } from './ids.ts';
import type { ContractorLanguage, ContractorTrade } from './contractors.ts';
import type { AvailabilityWindow } from '../ticket-types.ts';

/*
 * Dispatching a ticket to a contractor and the contractor's job page (issue 20 item 2, API.md
 * "Repairs"). Staff: `POST /api/staff/tickets/:id/dispatch`, `GET …/dispatch`,
 * `DELETE …/dispatch/:jobLinkId`. Contractor (no account; the token is the whole authorization):
 * `GET /api/job/:token`, `POST …/accept | decline | done | slots | uploads`, `GET …/files/:fileId`.
 */

/** Several lines allowed (a note, a reason), other control characters not. */
const paragraph = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((value) => !/[^\P{Cc}\n\r\t]/u.test(value), 'control_characters');

export const dispatchRequest = z.strictObject({
  contractorId: entityId,
  /** To the contractor (mail and job page); never shown to the tenant. */
  note: paragraph(2000).optional(),
  /** Dispatch to a contractor who does not serve the ticket's building or trade. */
  force: z.boolean().optional(),
});
export type DispatchRequest = z.infer<typeof dispatchRequest>;

export const jobDeclineRequest = z.strictObject({ reason: paragraph(2000).pipe(z.string().min(1)) });
export type JobDeclineRequest = z.infer<typeof jobDeclineRequest>;

export const jobDoneRequest = z.strictObject({
  note: paragraph(4000),
  attachmentIds: z.array(entityId).max(10).optional(),
});
export type JobDoneRequest = z.infer<typeof jobDoneRequest>;

/**
 * `POST /api/job/:token/slots`: the contractor proposes one to three slots. Unlike staff's
 * proposal there is no contractor to name (the link is one) and no leaving the tenant's windows.
 */
export const jobSlotsRequest = z.strictObject({ slots: z.array(appointmentSlotInput).min(1).max(3) });
export type JobSlotsRequest = z.infer<typeof jobSlotsRequest>;

/** A job's state: its latest step, or what ended the link. */
export const jobStates = ['dispatched', 'accepted', 'declined', 'done', 'withdrawn', 'expired'] as const;
export type JobState = (typeof jobStates)[number];

/** What staff see of a job in the ticket workspace (and live as `job.updated`). */
export interface JobDto {
  id: string;
  ticketId: string;
  contractor: { id: string; name: string; phone: string | null; email: string | null };
  state: JobState;
  /** Staff's note to the contractor. */
  note: string | null;
  declineReason: string | null;
  doneNote: string | null;
  /** The contractor's link while it works (staff copy it); null once withdrawn or expired. */
  url: string | null;
  createdAt: string;
  expiresAt: string;
  updatedAt: string;
}

export interface JobsDto {
  jobs: JobDto[];
}

/** A photo on the job page, served through the link itself. */
export interface JobPhotoDto {
  id: string;
  mime: string;
  name: string;
  url: string;
  thumbnailUrl: string | null;
}

/** A slot on the job page: the instants and how the contractor reads them on the building's clock. */
export interface JobSlotDto {
  start: string;
  end: string;
  /** "Do 4. Dez., 8–10 Uhr" in the contractor's language. */
  label: string;
}

/**
 * The ticket's current appointment as the contractor sees it: the times and where it stands, never
 * the tenant's words (a move request reads only as the state `move_requested`).
 */
export interface JobAppointmentDto {
  state: AppointmentStateDto;
  slots: JobSlotDto[];
  confirmed: JobSlotDto | null;
  /** Proposed through this job page (else by the landlord's staff). */
  byContractor: boolean;
}

/** `GET /api/job/:token`: what the contractor needs, nothing else of the ticket or the tenant. */
export interface JobPageDto {
  state: JobState;
  language: ContractorLanguage;
  contractorName: string;
  /** Staff's note to the contractor. */
  note: string | null;
  ticket: {
    number: string;
    title: string;
    description: string;
    status: string;
    createdAt: string;
  };
  place: {
    street: string | null;
    houseNumber: string | null;
    postalCode: string | null;
    city: string | null;
    unit: string | null;
    floor: number | null;
  };
  access: {
    /** The tenant allows entering in their absence; null when the form did not ask. */
    permissionToEnter: boolean | null;
    petsAtHome: boolean | null;
    keyNotes: string | null;
  };
  /** Only when the tenant allowed passing it on. */
  tenantPhone: string | null;
  windows: AvailabilityWindow[];
  /** The building's zone: the windows and slots are on its wall clock. */
  timeZone: string;
  /** Null when there is none, or when it belongs to another contractor. */
  appointment: JobAppointmentDto | null;
  photos: JobPhotoDto[];
  doneNote: string | null;
  expiresAt: string;
}

/** `POST /api/job/:token/uploads` answers `{ attachment }`. */
export interface JobUploadDto {
  id: string;
  mime: string;
  name: string;
  size: number;
}

/**
 * The trade a ticket needs, from the damage report's component (shared/ticket-types.ts); null
 * when the form says nothing a trade follows from (then only the building is checked).
 */
const tradeByComponent: Record<string, ContractorTrade> = {
  tap: 'plumbing',
  drain: 'plumbing',
  water: 'plumbing',
  toilet_cistern: 'plumbing',
  shower_bath: 'plumbing',
  washbasin: 'plumbing',
  heating: 'heating',
  electrics: 'electrical',
  lighting: 'electrical',
  intercom: 'electrical',
  smoke_detector: 'electrical',
  kitchen_appliance: 'electrical',
  lock: 'locksmith',
  door: 'joinery',
  balcony_door: 'joinery',
  window: 'glazing',
  floor: 'joinery',
  wall_ceiling: 'painting',
  mould: 'painting',
  tiles: 'general',
  ventilation: 'heating',
  roof: 'roofing',
  gutter: 'roofing',
  elevator: 'lift',
  greenery: 'gardening',
  cleaning: 'cleaning',
};

export function tradeOfTicket(fields: Record<string, unknown>): ContractorTrade | null {
  const component = fields.component;
  return typeof component === 'string' ? (tradeByComponent[component] ?? null) : null;
}

/**
 * The ticket field in which the tenant allows passing their phone number to the contractor; the
 * job page shows the number only when it is `true`.
 */
export const phoneConsentField = 'phone_to_contractor';
/** A free-text field on where the keys are, when a form asks for it. */
export const keyNotesField = 'key_notes';
