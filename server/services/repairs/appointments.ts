import {
  claimAppointmentReminder,
  findAppointmentPlace,
  findLatestAppointmentOfTicket,
  findOpenAppointmentOfTicket,
  insertAppointment,
  listAppointmentsDueForReminder,
  updateAppointment,
  type AppointmentRecord,
} from '../../../db/repositories/appointments.ts';
import { findContractor } from '../../../db/repositories/contractors.ts';
import { findTicketWithEstate, type TicketWithEstate } from '../../../db/repositories/tickets.ts';
import { newId } from '../../../db/ids.ts';
import type { Tx } from '../../../db/transaction.ts';
import type {
  AppointmentAnswer,
  AppointmentDto,
  AppointmentSlotInput,
} from '../../../shared/api/appointments.ts';
import type { Locale } from '../../../shared/api/auth.ts';
import type { AvailabilityWindow } from '../../../shared/ticket-types.ts';
import { subjectFor } from '../../../shared/ticket-subject.ts';
import { appointmentIcs, appointmentTimeZones, type AppointmentTimeZone } from '../../calendar/ics.ts';
import type { Deps } from '../../deps.ts';
import { badRequest, conflict, notFound } from '../../domain/errors.ts';
import { addDays, localClock, todayIn } from '../../lib/dates.ts';
import type { SessionUser } from '../../lib/context.ts';
import { runPeriodically } from '../../lib/periodic.ts';
import { addSystemLine, tenantLocaleOf } from '../tickets/system-lines.ts';
import { unitOfWork, type UnitOfWork } from '../../unit-of-work/index.ts';
import { loadLandlordProfile } from '../landlord.ts';
import { customerCanWrite, loadVisibleTicket, loadWritableTicket } from '../tickets/visibility.ts';
import { appointmentLine } from './appointment-format.ts';

/*
 * Repair appointments (issue 20 item 1). Staff or the ticket's contractor propose one to three
 * slots; the tenant confirms one or asks to move it; staff cancel it. Every step writes a public
 * status line into the ticket's dialog (in the tenant's language, on the building's clock) and
 * records a domain event: the projector sends it live and queues the notifications.
 */

type Slot = { start: Date; end: Date };

/** Who proposes: a staff member (who may choose times outside the windows) or a contractor's link. */
type Proposer =
  | { kind: 'staff'; userId: string; outsideWindows: boolean }
  | { kind: 'contractor'; jobLinkId: string; contractorId: string };

export function toAppointmentDto(record: AppointmentRecord, timeZone: string): AppointmentDto {
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    id: record.id,
    ticketId: record.ticketId,
    state: record.state,
    slots: record.slots.map((slot) => ({
      id: slot.id,
      start: slot.startAt.toISOString(),
      end: slot.endAt.toISOString(),
    })),
    contractorName: record.contractorName,
    byContractor: record.proposedByJobLinkId !== null,
    outsideWindows: record.outsideWindows,
    confirmedSlotId: record.confirmedSlotId,
    confirmedAt: iso(record.confirmedAt),
    moveReason: record.moveReason,
    moveRequestedAt: iso(record.moveRequestedAt),
    cancelReason: record.cancelReason,
    cancelledAt: iso(record.cancelledAt),
    timeZone,
    createdAt: record.createdAt.toISOString(),
  };
}

/** The tenant's windows of a ticket ("Terminwünsche"): the valid entries of its availability field. */
export function windowsOf(ticket: { fields: Record<string, unknown> }): AvailabilityWindow[] {
  const value = ticket.fields.availability;
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

/** Whether a slot lies inside one of the windows, on the building's wall clock. */
export function slotInWindows(slot: Slot, windows: readonly AvailabilityWindow[], timeZone: string): boolean {
  const start = localClock(slot.start, timeZone);
  const end = localClock(slot.end, timeZone);
  return windows.some(
    (window) =>
      window.date === start.date &&
      // A slot ending at midnight ends on the next day: no window reaches past 23:59.
      end.date === start.date &&
      window.from <= start.time &&
      end.time <= window.to,
  );
}

function parseSlots(input: readonly AppointmentSlotInput[], now: Date): Slot[] {
  const slots = input.map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) }));
  if (slots.length < 1 || slots.length > 3) throw badRequest('invalid_slots', 'Propose one to three slots.');
  for (const slot of slots) {
    if (!(slot.end.getTime() > slot.start.getTime()))
      throw badRequest('invalid_slots', 'A slot ends after it starts.');
    if (slot.start.getTime() <= now.getTime()) throw badRequest('slot_in_past', 'A slot lies in the past.');
  }
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The landlord's zone, which every building uses; the calendar knows its VTIMEZONE. */
export function zoneOf(deps: Pick<Deps, 'config'>): AppointmentTimeZone {
  const zone = deps.config.timeZone;
  return (appointmentTimeZones as readonly string[]).includes(zone)
    ? (zone as AppointmentTimeZone)
    : 'Europe/Berlin';
}

async function propose(
  deps: Deps,
  uow: UnitOfWork,
  ticket: TicketWithEstate,
  input: { slots: readonly AppointmentSlotInput[]; contractorId?: string | null },
  proposer: Proposer,
): Promise<AppointmentRecord> {
  const { tx } = uow;
  const now = deps.now();
  const timeZone = zoneOf(deps);
  if (ticket.status === 'closed') throw conflict('ticket_closed', 'The request is closed.');
  const slots = parseSlots(input.slots, now);
  // The tenant's windows bind unless staff choose otherwise; a ticket without windows leaves the time free.
  const windows = windowsOf(ticket);
  const forced = proposer.kind === 'staff' && proposer.outsideWindows;
  if (windows.length > 0 && !forced && !slots.every((slot) => slotInWindows(slot, windows, timeZone)))
    throw badRequest('outside_windows', "A slot lies outside the tenant's appointment windows.");
  const contractorId = proposer.kind === 'contractor' ? proposer.contractorId : (input.contractorId ?? null);
  if (contractorId && !(await findContractor(tx, contractorId))?.active)
    throw badRequest('unknown_contractor', 'No such contractor.');

  // A new proposal replaces the open one; the series (calendar UID) goes on with a higher sequence.
  const previous = await findOpenAppointmentOfTicket(tx, ticket.id);
  if (previous)
    await updateAppointment(tx, previous.id, { state: 'cancelled', cancelledAt: now, updatedAt: now });
  const id = newId();
  const row = await insertAppointment(
    tx,
    {
      id,
      ticketId: ticket.id,
      seriesId: previous?.seriesId ?? id,
      sequence: previous ? previous.sequence + 1 : 0,
      state: 'proposed',
      proposedByUserId: proposer.kind === 'staff' ? proposer.userId : null,
      proposedByJobLinkId: proposer.kind === 'contractor' ? proposer.jobLinkId : null,
      contractorId,
      outsideWindows: forced && !slots.every((slot) => slotInWindows(slot, windows, timeZone)),
      createdAt: now,
      updatedAt: now,
    },
    slots.map((slot) => ({ startAt: slot.start, endAt: slot.end })),
  );
  const appointment = (await findLatestAppointmentOfTicket(tx, ticket.id))!;
  if (appointment.id !== row.id) throw new Error('appointment not found after insert');
  const locale = await tenantLocaleOf(tx, ticket);
  await addSystemLine(
    uow,
    ticket,
    appointmentLine.proposed(slots, appointment.contractorName, locale, timeZone),
    now,
  );
  uow.record({ type: 'appointment.proposed', ticket, appointment, at: now });
  return appointment;
}

/** `POST /api/staff/tickets/:id/appointment`: staff who see the ticket propose 1–3 slots. */
export async function proposeSlotsByStaff(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: { slots: AppointmentSlotInput[]; contractorId?: string; outsideWindows?: boolean },
): Promise<AppointmentDto> {
  const appointment = await unitOfWork(deps, async (uow) => {
    const { ticket } = await loadVisibleTicket(deps, actor, ticketId, uow.tx);
    return await propose(deps, uow, ticket, input, {
      kind: 'staff',
      userId: actor.id,
      outsideWindows: input.outsideWindows === true,
    });
  });
  return toAppointmentDto(appointment, zoneOf(deps));
}

/**
 * For the contractor's job link (its route has verified the link): the same rules as for staff,
 * except that a contractor cannot propose outside the tenant's windows. `guard` runs first in the
 * same unit of work, so a check of the job's state (accepted, not withdrawn) holds for the write.
 */
export async function proposeSlotsByContractor(
  deps: Deps,
  link: { id: string; ticketId: string; contractorId: string },
  input: { slots: AppointmentSlotInput[] },
  guard?: (tx: Tx) => Promise<void>,
): Promise<AppointmentDto> {
  const appointment = await unitOfWork(deps, async (uow) => {
    await guard?.(uow.tx);
    const ticket = await findTicketWithEstate(uow.tx, link.ticketId);
    if (!ticket) throw notFound();
    return await propose(deps, uow, ticket, input, {
      kind: 'contractor',
      jobLinkId: link.id,
      contractorId: link.contractorId,
    });
  });
  return toAppointmentDto(appointment, zoneOf(deps));
}

/** `DELETE /api/staff/tickets/:id/appointment`: the open appointment is called off, visibly to all. */
export async function cancelAppointment(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: { reason: string },
): Promise<AppointmentDto> {
  const now = deps.now();
  const appointment = await unitOfWork(deps, async (uow) => {
    const { ticket } = await loadVisibleTicket(deps, actor, ticketId, uow.tx);
    const open = await findOpenAppointmentOfTicket(uow.tx, ticket.id);
    if (!open) throw conflict('no_appointment', 'This request has no open appointment.');
    await updateAppointment(uow.tx, open.id, {
      state: 'cancelled',
      cancelReason: input.reason,
      cancelledByUserId: actor.id,
      cancelledAt: now,
      sequence: open.sequence + 1,
      updatedAt: now,
    });
    const cancelled = (await findLatestAppointmentOfTicket(uow.tx, ticket.id))!;
    await addSystemLine(
      uow,
      ticket,
      appointmentLine.cancelled(input.reason, await tenantLocaleOf(uow.tx, ticket)),
      now,
    );
    uow.record({
      type: 'appointment.cancelled',
      ticket,
      appointment: cancelled,
      wasConfirmed: open.state === 'confirmed' || open.confirmedSlotId !== null,
      at: now,
    });
    return cancelled;
  });
  return toAppointmentDto(appointment, zoneOf(deps));
}

/** `POST /api/tickets/:id/appointment/confirm`: a tenant with write access picks one slot. */
export async function confirmAppointment(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: { slotId: string },
): Promise<AppointmentDto> {
  const now = deps.now();
  const timeZone = zoneOf(deps);
  const appointment = await unitOfWork(deps, async (uow) => {
    const { ticket } = await loadWritableTicket(deps, actor, ticketId, uow.tx);
    const open = await findOpenAppointmentOfTicket(uow.tx, ticket.id);
    if (!open) throw conflict('no_appointment', 'This request has no open appointment.');
    if (open.state !== 'proposed')
      throw conflict('not_proposed', 'This appointment is not waiting for a choice.');
    const slot = open.slots.find((candidate) => candidate.id === input.slotId);
    if (!slot) throw badRequest('unknown_slot', 'No such slot in this proposal.');
    if (slot.startAt.getTime() <= now.getTime()) throw conflict('slot_passed', 'This slot has passed.');
    await updateAppointment(uow.tx, open.id, {
      state: 'confirmed',
      confirmedSlotId: slot.id,
      confirmedStartAt: slot.startAt,
      confirmedEndAt: slot.endAt,
      confirmedByUserId: actor.id,
      confirmedAt: now,
      updatedAt: now,
    });
    const confirmed = (await findLatestAppointmentOfTicket(uow.tx, ticket.id))!;
    const locale = await tenantLocaleOf(uow.tx, ticket);
    await addSystemLine(
      uow,
      ticket,
      appointmentLine.confirmed(
        { start: slot.startAt, end: slot.endAt },
        confirmed.contractorName,
        locale,
        timeZone,
      ),
      now,
    );
    uow.record({
      type: 'appointment.confirmed',
      ticket,
      appointment: confirmed,
      byUserId: actor.id,
      at: now,
    });
    return confirmed;
  });
  return toAppointmentDto(appointment, timeZone);
}

/** `POST /api/tickets/:id/appointment/move`: the tenant asks to move the proposal or appointment. */
export async function requestAppointmentMove(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
  input: { reason: string },
): Promise<AppointmentDto> {
  const now = deps.now();
  const appointment = await unitOfWork(deps, async (uow) => {
    const { ticket } = await loadWritableTicket(deps, actor, ticketId, uow.tx);
    const open = await findOpenAppointmentOfTicket(uow.tx, ticket.id);
    if (!open) throw conflict('no_appointment', 'This request has no open appointment.');
    if (open.state === 'move_requested') throw conflict('move_requested', 'A move was asked for already.');
    await updateAppointment(uow.tx, open.id, {
      state: 'move_requested',
      moveReason: input.reason,
      moveRequestedByUserId: actor.id,
      moveRequestedAt: now,
      updatedAt: now,
    });
    const moved = (await findLatestAppointmentOfTicket(uow.tx, ticket.id))!;
    await addSystemLine(
      uow,
      ticket,
      appointmentLine.moveRequested(input.reason, await tenantLocaleOf(uow.tx, ticket)),
      now,
    );
    uow.record({
      type: 'appointment.move_requested',
      ticket,
      appointment: moved,
      byUserId: actor.id,
      at: now,
    });
    return moved;
  });
  return toAppointmentDto(appointment, zoneOf(deps));
}

/** The ticket's newest appointment for anyone who sees the ticket (staff or household). */
export async function getAppointment(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
): Promise<AppointmentAnswer> {
  const { ticket, customerScope } = await loadVisibleTicket(deps, actor, ticketId);
  const appointment = await findLatestAppointmentOfTicket(deps.db, ticket.id);
  return {
    appointment: appointment ? toAppointmentDto(appointment, zoneOf(deps)) : null,
    canAnswer: customerScope !== null && customerCanWrite(customerScope, ticket),
    timeZone: zoneOf(deps),
  };
}

/** What an `.ics` of a confirmed appointment needs besides the appointment itself. */
export interface InvitationContext {
  publicUrl: string;
  organizer: { name: string; email: string };
  attendee?: { name: string | null; email: string };
  stamp: Date;
  language: Locale;
}

/** The data a notification carries to build the calendar invitation when it is sent. */
export interface AppointmentCalendarData {
  appointmentId: string;
  sequence: number;
  start: string;
  end: string;
  timeZone: string;
  contractorName: string | null;
  number: string;
  subject: string;
  ticketId: string;
  place: { street: string; houseNumber: string; postalCode: string; city: string; unitNumber: string | null };
}

/** Calendar data of an appointment (the confirmed slot), for an outbox row or a download. */
export async function calendarDataOf(
  db: Tx | Deps['db'],
  ticket: TicketWithEstate,
  appointment: AppointmentRecord,
  timeZone: string,
  subject: string,
): Promise<AppointmentCalendarData | null> {
  if (!appointment.confirmedStartAt || !appointment.confirmedEndAt) return null;
  const place = (await findAppointmentPlace(db, ticket)) ?? {
    street: '',
    houseNumber: '',
    postalCode: '',
    city: '',
    unitNumber: null,
  };
  return {
    appointmentId: appointment.seriesId,
    sequence: appointment.sequence,
    start: appointment.confirmedStartAt.toISOString(),
    end: appointment.confirmedEndAt.toISOString(),
    timeZone,
    contractorName: appointment.contractorName,
    number: ticket.number,
    subject,
    ticketId: ticket.id,
    place,
  };
}

/** The `.ics` text of calendar data: a REQUEST, or a CANCEL of an appointment called off. */
export function invitationIcs(
  data: AppointmentCalendarData,
  method: 'request' | 'cancel',
  context: InvitationContext,
): string {
  const zone = (appointmentTimeZones as readonly string[]).includes(data.timeZone)
    ? (data.timeZone as AppointmentTimeZone)
    : 'Europe/Berlin';
  return appointmentIcs({
    method,
    appointmentId: data.appointmentId,
    sequence: data.sequence,
    start: new Date(data.start),
    end: new Date(data.end),
    timeZone: zone,
    language: context.language,
    stamp: context.stamp,
    host: new URL(context.publicUrl).hostname,
    ticket: { number: data.number, subject: data.subject },
    contractorName: data.contractorName,
    place: data.place,
    organizer: context.organizer,
    ...(context.attendee && { attendee: context.attendee }),
    link: `${context.publicUrl}/requests/${encodeURIComponent(data.ticketId)}`,
  });
}

/** A bare address from MAIL_FROM (`Name <a@b>` or `a@b`). */
export const bareAddress = (from: string) => /<([^>]+)>/.exec(from)?.[1] ?? from.trim();

/** `GET /api/tickets/:id/appointment.ics`: the confirmed appointment for the tenant's calendar. */
export async function appointmentIcsDownload(
  deps: Deps,
  actor: SessionUser,
  ticketId: string,
): Promise<string> {
  const { ticket } = await loadVisibleTicket(deps, actor, ticketId);
  const appointment = await findLatestAppointmentOfTicket(deps.db, ticket.id);
  if (!appointment || appointment.state !== 'confirmed') throw notFound();
  const data = await calendarDataOf(
    deps.db,
    ticket,
    appointment,
    zoneOf(deps),
    subjectFor(ticket, actor.language),
  );
  if (!data) throw notFound();
  const landlord = await loadLandlordProfile(deps.db);
  return invitationIcs(data, 'request', {
    publicUrl: deps.config.publicUrl,
    organizer: { name: landlord.name, email: landlord.email ?? bareAddress(deps.config.mailFrom) },
    stamp: appointment.confirmedAt ?? appointment.updatedAt,
    language: actor.language,
  });
}

/** The hour of the day before from which reminders go out (local time): not at midnight. */
export const reminderHour = 9;

/**
 * Queues the reminder of each confirmed appointment of tomorrow (local calendar), once: the stored
 * reminder time is claimed in the same unit as the event, so a second run finds nothing to do.
 * Answers how many were queued.
 */
export async function queueAppointmentReminders(deps: Deps): Promise<number> {
  const now = deps.now();
  const timeZone = zoneOf(deps);
  if (Number(localClock(now, timeZone).time.slice(0, 2)) < reminderHour) return 0;
  const tomorrow = addDays(todayIn(timeZone, now), 1);
  const candidates = await listAppointmentsDueForReminder(
    deps.db,
    now,
    new Date(now.getTime() + 2 * 24 * 3_600_000),
  );
  let queued = 0;
  for (const candidate of candidates) {
    if (localClock(candidate.confirmedStartAt!, timeZone).date !== tomorrow) continue;
    const done = await unitOfWork(deps, async (uow) => {
      if (!(await claimAppointmentReminder(uow.tx, candidate.id, now))) return false;
      const ticket = await findTicketWithEstate(uow.tx, candidate.ticketId);
      const appointment = await findLatestAppointmentOfTicket(uow.tx, candidate.ticketId);
      if (!ticket || !appointment || appointment.id !== candidate.id) return false;
      uow.record({ type: 'appointment.reminder.due', ticket, appointment, at: now });
      return true;
    });
    if (done) queued++;
  }
  return queued;
}

/** Started from main.ts: looks for tomorrow's appointments every quarter of an hour. */
export function startAppointmentReminders(deps: Deps, intervalMs = 15 * 60_000): () => void {
  return runPeriodically(deps, 'appointment reminders', intervalMs, async () => {
    await queueAppointmentReminders(deps);
  });
}
