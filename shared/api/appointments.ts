import { z } from 'zod';

/** Repair appointments (API.md "Appointments", issue 20): proposals of 1–3 slots the tenant confirms. */

export const appointmentStates = ['proposed', 'confirmed', 'move_requested', 'cancelled'] as const;
export type AppointmentStateDto = (typeof appointmentStates)[number];

/** The longest slot: a repair visit is a window of hours, not days. */
export const maxSlotHours = 12;

export const appointmentSlotInput = z
  .strictObject({ start: z.iso.datetime({ offset: true }), end: z.iso.datetime({ offset: true }) })
  .refine((slot) => Date.parse(slot.end) > Date.parse(slot.start), {
    path: ['end'],
    message: 'validation_invalid_window',
  })
  .refine((slot) => Date.parse(slot.end) - Date.parse(slot.start) <= maxSlotHours * 3_600_000, {
    path: ['end'],
    message: 'validation_invalid_window',
  });
export type AppointmentSlotInput = z.infer<typeof appointmentSlotInput>;

/** `POST /api/staff/tickets/:id/appointment` */
export const proposeAppointmentRequest = z.strictObject({
  slots: z.array(appointmentSlotInput).min(1).max(3),
  contractorId: z.string().min(1).max(64).optional(),
  /** The staff member's explicit choice to propose times outside the tenant's windows. */
  outsideWindows: z.boolean().optional(),
});
export type ProposeAppointmentRequest = z.infer<typeof proposeAppointmentRequest>;

/** `DELETE /api/staff/tickets/:id/appointment` */
export const cancelAppointmentRequest = z.strictObject({ reason: z.string().trim().min(1).max(500) });

/** `POST /api/tickets/:id/appointment/confirm` and `POST /api/appointment-links/:token/confirm` */
export const confirmAppointmentRequest = z.strictObject({ slotId: z.string().min(1).max(64) });

/** `POST /api/tickets/:id/appointment/move` */
export const moveAppointmentRequest = z.strictObject({ reason: z.string().trim().min(1).max(500) });

export interface AppointmentSlotDto {
  id: string;
  start: string;
  end: string;
}

export interface AppointmentDto {
  id: string;
  ticketId: string;
  state: AppointmentStateDto;
  slots: AppointmentSlotDto[];
  contractorName: string | null;
  /** Proposed by the contractor through their job link (else by the landlord's staff). */
  byContractor: boolean;
  outsideWindows: boolean;
  confirmedSlotId: string | null;
  confirmedAt: string | null;
  moveReason: string | null;
  moveRequestedAt: string | null;
  cancelReason: string | null;
  cancelledAt: string | null;
  /** The building's zone: the client shows times on its wall clock. */
  timeZone: string;
  createdAt: string;
}

/** `GET /api/tickets/:id/appointment`, `GET /api/staff/tickets/:id/appointment`: null when none. */
export interface AppointmentAnswer {
  appointment: AppointmentDto | null;
  /** Whether this reader may confirm or ask to move (tenants with write access). */
  canAnswer: boolean;
  /** The building's zone: proposals are entered and shown on its wall clock. */
  timeZone: string;
}
