import { describe, expect, it } from 'vitest';
import { isPostgres, tablesOf } from '../../db/dialect.ts';
import {
  countSessionsOfUser,
  deleteExpiredSessions,
  deleteSessionsOfUser,
  extendSession,
  findSessionWithUser,
  insertSession,
} from '../../db/repositories/sessions.ts';
import { ensureSetting, findSetting, putSetting } from '../../db/repositories/settings.ts';
import {
  findAccountByCustomerNumber,
  findAccountByLoginEmail,
  findAccountByUserId,
  insertUser,
  isLoginEmailTaken,
  isUniqueViolation,
  markEmailVerified,
  updateUser,
} from '../../db/repositories/users.ts';
import { postgresMissing } from '../helpers/pg-server.ts';
import { bothStores } from '../helpers/both-stores.ts';
import { skipWithout } from '../helpers/server-binaries.ts';

/**
 * The repositories written once for both stores (db/dialect.ts) answer the same on SQLite and on a
 * real PostgreSQL: the session check, accounts and settings, each case run on each store.
 */
const gate = skipWithout('PostgreSQL', postgresMissing());

const at = (minutes: number) => new Date(Date.UTC(2026, 11, 6, 9, minutes));

describe.skipIf(gate.skip)(`repositories on both stores${gate.label}`, () => {
  const stores = bothStores(async (db) => {
    const { persons } = tablesOf(db);
    await db.insert(persons).values([
      {
        id: 'person-1',
        kind: 'natural',
        firstName: 'Jürgen',
        lastName: 'Müller',
        customerNumber: 'K-4711',
      },
      { id: 'person-2', kind: 'organisation', organisationName: 'Öresund Design AB' },
    ]);
  });

  it('knows which store a handle writes to', () => {
    expect(stores.map(([, db]) => isPostgres(db()))).toEqual([false, true]);
  });

  describe.each(stores)('%s', (_name, store) => {
    it('stores an account and finds it by id, login e-mail and customer number', async () => {
      const db = store();
      const user = await insertUser(db, {
        id: 'user-1',
        personId: 'person-1',
        loginEmail: 'juergen@example.test',
        role: 'customer',
        language: 'de',
        createdAt: at(0),
      });
      expect(user).toMatchObject({ id: 'user-1', loginEmail: 'juergen@example.test', emailVerifiedAt: null });
      expect(user.createdAt).toEqual(at(0));

      const byId = await findAccountByUserId(db, 'user-1');
      expect(byId?.person).toMatchObject({ id: 'person-1', lastName: 'Müller', customerNumber: 'K-4711' });
      expect(byId?.user.createdAt).toEqual(at(0));
      expect((await findAccountByLoginEmail(db, 'juergen@example.test'))?.user.id).toBe('user-1');
      expect((await findAccountByCustomerNumber(db, 'K-4711'))?.user.id).toBe('user-1');
      expect(await findAccountByLoginEmail(db, 'nobody@example.test')).toBeUndefined();
      expect(await findAccountByUserId(db, 'user-404')).toBeUndefined();

      expect(await isLoginEmailTaken(db, 'juergen@example.test')).toBe(true);
      expect(await isLoginEmailTaken(db, 'juergen@example.test', 'user-1')).toBe(false);
    });

    it('refuses a second account with the same login e-mail as a unique violation', async () => {
      const db = store();
      const error = await insertUser(db, {
        personId: 'person-2',
        loginEmail: 'juergen@example.test',
        role: 'customer',
      }).then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).not.toBeNull();
      expect(await isUniqueViolation(error)).toBe(true);
      expect(await isUniqueViolation(new Error('something else'))).toBe(false);
    });

    it('marks an address verified once and changes a user', async () => {
      const db = store();
      await markEmailVerified(db, 'user-1', at(1));
      await markEmailVerified(db, 'user-1', at(2));
      expect((await findAccountByUserId(db, 'user-1'))?.user.emailVerifiedAt).toEqual(at(1));
      await updateUser(db, 'user-1', { language: 'sv', lastLoginAt: at(3) });
      expect((await findAccountByUserId(db, 'user-1'))?.user).toMatchObject({
        language: 'sv',
        lastLoginAt: at(3),
      });
    });

    it('checks, extends and ends sessions', async () => {
      const db = store();
      const session = (id: string, expiresAt: Date) => ({
        id,
        userId: 'user-1',
        secretHash: Buffer.from(`secret-${id}`),
        createdAt: at(0),
        lastVerifiedAt: at(0),
        expiresAt,
      });
      await insertSession(db, session('s-1', at(30)));
      await insertSession(db, session('s-2', at(5)));
      await insertSession(db, session('s-3', at(40)));

      const found = await findSessionWithUser(db, 's-1');
      expect(found?.session).toEqual({ id: 's-1', secretHash: Buffer.from('secret-s-1'), expiresAt: at(30) });
      expect(found?.user).toMatchObject({ id: 'user-1', personId: 'person-1', role: 'customer' });
      expect(await findSessionWithUser(db, 's-404')).toBeUndefined();

      await extendSession(db, 's-1', at(50), at(20));
      expect((await findSessionWithUser(db, 's-1'))?.session.expiresAt).toEqual(at(50));

      expect(await deleteExpiredSessions(db, at(10))).toBe(1);
      expect(await countSessionsOfUser(db, 'user-1')).toBe(2);
      expect(await deleteSessionsOfUser(db, 'user-1', 's-1')).toBe(1);
      expect(await countSessionsOfUser(db, 'user-1')).toBe(1);

      // A disabled account's sessions no longer check out.
      await updateUser(db, 'user-1', { disabledAt: at(21) });
      expect(await findSessionWithUser(db, 's-1')).toBeUndefined();
      await updateUser(db, 'user-1', { disabledAt: null });
      expect(await deleteSessionsOfUser(db, 'user-1')).toBe(1);
    });

    it('keeps settings as JSON, set once or overwritten', async () => {
      const db = store();
      expect(await findSetting(db, 'certificates')).toBeUndefined();
      expect(await ensureSetting(db, 'certificates', { residenceConfirmation: true }, at(0))).toEqual({
        residenceConfirmation: true,
      });
      expect(await ensureSetting(db, 'certificates', { residenceConfirmation: false }, at(1))).toEqual({
        residenceConfirmation: true,
      });
      await putSetting(db, 'certificates', { residenceConfirmation: false, note: 'ä' }, at(2));
      expect(await findSetting(db, 'certificates')).toEqual({ residenceConfirmation: false, note: 'ä' });
      await putSetting(db, 'job_link_lifetime_days', 21, at(3));
      expect(await findSetting(db, 'job_link_lifetime_days')).toBe(21);
    });
  });
});
