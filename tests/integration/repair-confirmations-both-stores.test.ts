import { describe, expect, it } from 'vitest';
import { tablesOf } from '../../db/dialect.ts';
import {
  answerRepairConfirmation,
  findCurrentRepairConfirmation,
  insertRepairConfirmation,
} from '../../db/repositories/repair-confirmations.ts';
import { listDoneJobs, listNotFixedAnswers } from '../../db/repositories/repair-reports.ts';
import { postgresMissing } from '../helpers/pg-server.ts';
import { bothStores } from '../helpers/both-stores.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * The repair confirmations and the repair report's reads answer the same on SQLite and on a real
 * PostgreSQL: the open question before the latest answer, one answer only, the done jobs of a
 * period with their answers, the earlier "not fixed" answers.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 11, day, hour));

describe.skipIf(gate.skip)(`repair confirmations on both stores${gate.label}`, () => {
  const stores = bothStores(async (db) => {
    const { contractors, jobLinkSteps, jobLinks, persons, ticketTypes, tickets, users } = tablesOf(db);
    await db.insert(persons).values({ id: 'p1', kind: 'natural', firstName: 'Erika', lastName: 'Muster' });
    await db
      .insert(users)
      .values({ id: 'u1', personId: 'p1', loginEmail: 'erika@example.test', role: 'customer' });
    await db
      .insert(ticketTypes)
      .values({ id: 'damage_report', form: {}, slaFirstResponseHours: 24, slaResolutionHours: 72 });
    await db.insert(tickets).values(
      ['t1', 't2'].map((id, index) => ({
        id,
        number: `2026-00000${index + 1}`,
        typeId: 'damage_report',
        fields: {},
        subject: 'Wasserhahn',
        description: 'tropft',
        createdByUserId: 'u1',
        clientId: `client-${id}`,
        lastActivityAt: at(1),
        createdAt: at(1),
      })),
    );
    await db.insert(contractors).values([
      { id: 'c1', name: 'Sprudel Sanitär GmbH' },
      { id: 'c2', name: 'Elektro Blitz KG' },
    ]);
    await db.insert(jobLinks).values([
      { id: 'j1', ticketId: 't1', contractorId: 'c2', createdAt: at(2), expiresAt: at(30) },
      { id: 'j2', ticketId: 't1', contractorId: 'c1', createdAt: at(5), expiresAt: at(30) },
      { id: 'j3', ticketId: 't2', contractorId: 'c1', createdAt: at(3), expiresAt: at(30) },
    ]);
    await db.insert(jobLinkSteps).values([
      { jobLinkId: 'j1', ticketId: 't1', kind: 'done', createdAt: at(4) },
      { jobLinkId: 'j2', ticketId: 't1', kind: 'done', createdAt: at(7) },
      { jobLinkId: 'j3', ticketId: 't2', kind: 'done', createdAt: at(4, 10) },
    ]);
  });

  it.each(stores)('%s: asks, answers once, finds the open question first', async (_name, store) => {
    const db = store();
    expect(await findCurrentRepairConfirmation(db, 't1')).toBeUndefined();
    const first = await insertRepairConfirmation(db, {
      ticketId: 't1',
      jobLinkId: 'j1',
      contractorId: 'c2',
      askedAt: at(4),
    });
    expect(first.state).toBe('asked');
    const answer = {
      state: 'not_fixed' as const,
      rating: null,
      comment: 'tropft noch',
      answeredAt: at(5),
      answeredByUserId: 'u1',
    };
    expect(await answerRepairConfirmation(db, first.id, answer)).toBe(1);
    expect(await answerRepairConfirmation(db, first.id, { ...answer, state: 'fixed', rating: 5 })).toBe(0);
    const answered = await findCurrentRepairConfirmation(db, 't1');
    expect(answered).toMatchObject({
      contractorName: 'Elektro Blitz KG',
      confirmation: { id: first.id, state: 'not_fixed', comment: 'tropft noch', answeredAt: at(5) },
    });

    const second = await insertRepairConfirmation(db, {
      ticketId: 't1',
      jobLinkId: 'j2',
      contractorId: 'c1',
      askedAt: at(7),
    });
    expect((await findCurrentRepairConfirmation(db, 't1'))?.confirmation.id).toBe(second.id);
    await answerRepairConfirmation(db, second.id, {
      state: 'fixed',
      rating: 4,
      comment: null,
      answeredAt: at(8),
      answeredByUserId: 'u1',
    });
    // Answered questions: the latest one.
    expect((await findCurrentRepairConfirmation(db, 't1'))?.confirmation).toMatchObject({
      id: second.id,
      state: 'fixed',
      rating: 4,
    });
  });

  it.each(stores)('%s: lists the period’s done jobs with answers, in scope', async (_name, store) => {
    const db = store();
    const period = { start: at(1, 0), end: at(8, 0) };
    const jobs = await listDoneJobs(db, { scopeBuildingIds: null, period });
    expect(jobs.map((job) => [job.jobLinkId, job.contractorName, job.state])).toEqual([
      ['j1', 'Elektro Blitz KG', 'not_fixed'],
      ['j3', 'Sprudel Sanitär GmbH', null],
      ['j2', 'Sprudel Sanitär GmbH', 'fixed'],
    ]);
    expect(jobs[2]).toMatchObject({ dispatchedAt: at(5), doneAt: at(7), rating: 4, askedAt: at(7) });
    expect(
      await listDoneJobs(db, { scopeBuildingIds: null, period: { start: at(5, 0), end: at(6, 0) } }),
    ).toEqual([]);
    // The tickets have no building: a building scope leaves them out.
    expect(await listDoneJobs(db, { scopeBuildingIds: ['b1'], period })).toEqual([]);
    expect(await listNotFixedAnswers(db, ['t1', 't2'])).toEqual([{ ticketId: 't1', askedAt: at(4) }]);
  });
});
