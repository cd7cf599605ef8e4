import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../transaction.ts';
import type { jobLinks } from '../schema/index.ts';
import type { jobLinkSteps } from '../schema/job-steps.ts';
import { tablesOf, type Tables } from '../dialect.ts';

export type JobStepRow = typeof jobLinkSteps.$inferSelect;
export type JobStepKind = JobStepRow['kind'];

export async function insertJobStep(db: DbOrTx, row: typeof jobLinkSteps.$inferInsert): Promise<JobStepRow> {
  const { jobLinkSteps } = tablesOf(db);
  return (await db.insert(jobLinkSteps).values(row).returning())[0]!;
}

/** A job only moves forward: steps of the same millisecond are in this order. */
const stepRank: Record<JobStepKind, number> = { dispatched: 0, accepted: 1, declined: 2, done: 2 };

/** The steps of these links, oldest first. */
export async function listStepsOfLinks(db: DbOrTx, linkIds: readonly string[]): Promise<JobStepRow[]> {
  if (linkIds.length === 0) return [];
  const { jobLinkSteps } = tablesOf(db);
  const rows = await db
    .select()
    .from(jobLinkSteps)
    .where(inArray(jobLinkSteps.jobLinkId, [...linkIds]))
    .orderBy(asc(jobLinkSteps.createdAt), asc(jobLinkSteps.id));
  return rows.sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || stepRank[a.kind] - stepRank[b.kind],
  );
}

/** A job link with the contractor it names. */
export interface JobLinkWithContractor {
  link: typeof jobLinks.$inferSelect;
  contractor: {
    id: string;
    name: string;
    email: string | null;
    phone: string | null;
    language: 'de' | 'en' | 'sv';
    externalId: string | null;
  };
}

const linkWithContractor = ({ jobLinks, contractors }: Tables) => ({
  link: jobLinks,
  contractor: {
    id: contractors.id,
    name: contractors.name,
    email: contractors.email,
    phone: contractors.phone,
    language: contractors.language,
    externalId: contractors.externalId,
  },
});

/** Every link of a ticket with its contractor, newest first. */
export async function listJobLinksOfTicket(db: DbOrTx, ticketId: string): Promise<JobLinkWithContractor[]> {
  const tables = tablesOf(db);
  const { contractors, jobLinks } = tables;
  return await db
    .select(linkWithContractor(tables))
    .from(jobLinks)
    .innerJoin(contractors, eq(contractors.id, jobLinks.contractorId))
    .where(eq(jobLinks.ticketId, ticketId))
    .orderBy(desc(jobLinks.createdAt), desc(jobLinks.id));
}

export async function findJobLinkWithContractor(
  db: DbOrTx,
  linkId: string,
): Promise<JobLinkWithContractor | undefined> {
  const tables = tablesOf(db);
  const { contractors, jobLinks } = tables;
  return (
    await db
      .select(linkWithContractor(tables))
      .from(jobLinks)
      .innerJoin(contractors, eq(contractors.id, jobLinks.contractorId))
      .where(eq(jobLinks.id, linkId))
      .limit(1)
  )[0];
}

/** Where the job is and who to call: the ticket's building, unit and floor, the filer's numbers. */
export async function findJobPlace(db: DbOrTx, ticketId: string) {
  const { buildings, persons, tickets, units, users } = tablesOf(db);
  return (
    await db
      .select({
        building: {
          street: buildings.street,
          houseNumber: buildings.houseNumber,
          postalCode: buildings.postalCode,
          city: buildings.city,
        },
        unit: { number: units.number, floor: units.floor },
        // Flat, not nested: drizzle reads a left-joined nested object as missing when its first
        // column is null (a tenant with a mobile but no landline).
        tenantPhone: persons.phone,
        tenantMobile: persons.mobile,
      })
      .from(tickets)
      .leftJoin(buildings, eq(buildings.id, tickets.buildingId))
      .leftJoin(units, eq(units.id, tickets.unitId))
      .leftJoin(users, eq(users.id, tickets.createdByUserId))
      .leftJoin(persons, eq(persons.id, users.personId))
      .where(eq(tickets.id, ticketId))
      .limit(1)
  )[0];
}

/** The language a user reads the portal in (the ticket's lines are written in the filer's). */
export async function findUserLanguage(db: DbOrTx, userId: string): Promise<'de' | 'en' | 'sv' | undefined> {
  const { users } = tablesOf(db);
  return (await db.select({ language: users.language }).from(users).where(eq(users.id, userId)).limit(1))[0]
    ?.language;
}
