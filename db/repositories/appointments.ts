import { and, asc, desc, eq, gte, isNull, lt, ne } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { appointmentSlots, appointments } from '../schema/appointments.ts';
import { tablesOf } from '../dialect.ts';

export type AppointmentRow = typeof appointments.$inferSelect;
export type AppointmentInsert = typeof appointments.$inferInsert;
export type AppointmentSlotRow = typeof appointmentSlots.$inferSelect;
export type AppointmentState = AppointmentRow['state'];
export type AppointmentPatch = Partial<Omit<AppointmentInsert, 'id' | 'ticketId' | 'seriesId' | 'createdAt'>>;

/** An appointment with its slots (in position order) and its contractor's company name. */
export interface AppointmentRecord extends AppointmentRow {
  slots: AppointmentSlotRow[];
  contractorName: string | null;
}

export async function insertAppointment(
  db: DbOrTx,
  row: AppointmentInsert,
  slots: { startAt: Date; endAt: Date }[],
): Promise<AppointmentRow> {
  const { appointments, appointmentSlots } = tablesOf(db);
  const inserted = (await db.insert(appointments).values(row).returning())[0]!;
  await db
    .insert(appointmentSlots)
    .values(slots.map((slot, position) => ({ appointmentId: inserted.id, position, ...slot })));
  return inserted;
}

export async function updateAppointment(
  db: DbOrTx,
  id: string,
  patch: AppointmentPatch,
): Promise<AppointmentRow> {
  const { appointments } = tablesOf(db);
  return (await db.update(appointments).set(patch).where(eq(appointments.id, id)).returning())[0]!;
}

async function withDetails(db: DbOrTx, row: AppointmentRow | undefined): Promise<AppointmentRecord | null> {
  const { appointmentSlots, contractors } = tablesOf(db);
  if (!row) return null;
  const slots = await db
    .select()
    .from(appointmentSlots)
    .where(eq(appointmentSlots.appointmentId, row.id))
    .orderBy(asc(appointmentSlots.position));
  const contractor = row.contractorId
    ? (
        await db
          .select({ name: contractors.name })
          .from(contractors)
          .where(eq(contractors.id, row.contractorId))
      )[0]
    : undefined;
  return { ...row, slots, contractorName: contractor?.name ?? null };
}

export async function findAppointment(db: DbOrTx, id: string): Promise<AppointmentRecord | null> {
  const { appointments } = tablesOf(db);
  return await withDetails(db, (await db.select().from(appointments).where(eq(appointments.id, id)))[0]);
}

/** The ticket's newest appointment, cancelled ones included (a cancellation is shown to all). */
export async function findLatestAppointmentOfTicket(
  db: DbOrTx,
  ticketId: string,
): Promise<AppointmentRecord | null> {
  const { appointments } = tablesOf(db);
  const row = (
    await db
      .select()
      .from(appointments)
      .where(eq(appointments.ticketId, ticketId))
      .orderBy(desc(appointments.createdAt), desc(appointments.sequence))
      .limit(1)
  )[0];
  return await withDetails(db, row);
}

/** The ticket's open appointment (proposed, confirmed or asked to move), if any. */
export async function findOpenAppointmentOfTicket(
  db: DbOrTx,
  ticketId: string,
): Promise<AppointmentRecord | null> {
  const { appointments } = tablesOf(db);
  const row = (
    await db
      .select()
      .from(appointments)
      .where(and(eq(appointments.ticketId, ticketId), ne(appointments.state, 'cancelled')))
      .orderBy(desc(appointments.createdAt), desc(appointments.sequence))
      .limit(1)
  )[0];
  return await withDetails(db, row);
}

/** Confirmed appointments starting in [from, to) whose reminder was not queued yet. */
export async function listAppointmentsDueForReminder(
  db: DbOrTx,
  from: Date,
  to: Date,
): Promise<AppointmentRow[]> {
  const { appointments } = tablesOf(db);
  return await db
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.state, 'confirmed'),
        gte(appointments.confirmedStartAt, from),
        lt(appointments.confirmedStartAt, to),
        isNull(appointments.reminderSentAt),
      ),
    );
}

/** Marks the reminder queued, once: false when another run marked it first. */
export async function claimAppointmentReminder(db: DbOrTx, id: string, at: Date): Promise<boolean> {
  const { appointments } = tablesOf(db);
  const claimed = await db
    .update(appointments)
    .set({ reminderSentAt: at })
    .where(
      and(eq(appointments.id, id), eq(appointments.state, 'confirmed'), isNull(appointments.reminderSentAt)),
    )
    .returning({ id: appointments.id });
  return claimed.length > 0;
}

/** Where the visit is: the building's address and the unit's number. */
export async function findAppointmentPlace(
  db: DbOrTx,
  place: { buildingId: string | null; unitId: string | null },
): Promise<{
  street: string;
  houseNumber: string;
  postalCode: string;
  city: string;
  unitNumber: string | null;
} | null> {
  const { buildings, units } = tablesOf(db);
  if (!place.buildingId) return null;
  const building = (
    await db
      .select({
        street: buildings.street,
        houseNumber: buildings.houseNumber,
        postalCode: buildings.postalCode,
        city: buildings.city,
      })
      .from(buildings)
      .where(eq(buildings.id, place.buildingId))
  )[0];
  if (!building) return null;
  const unit = place.unitId
    ? (await db.select({ number: units.number }).from(units).where(eq(units.id, place.unitId)))[0]
    : undefined;
  return { ...building, unitNumber: unit?.number ?? null };
}
