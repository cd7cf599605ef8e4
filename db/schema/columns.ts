import { integer, text } from 'drizzle-orm/sqlite-core';
import { newId } from '../ids.ts';

/** Primary key: an opaque random string id. */
export const id = () =>
  text()
    .primaryKey()
    .$defaultFn(() => newId());

/** A point in time, stored as integer milliseconds since the epoch. */
export const timestamp = () => integer({ mode: 'timestamp_ms' });

/** Creation time, set on insert. */
export const createdAt = () =>
  integer({ mode: 'timestamp_ms' })
    .notNull()
    .$defaultFn(() => new Date());

/** A calendar date as ISO `YYYY-MM-DD` (periods, due dates, validity). */
export const isoDate = () => text();

/** Money in integer minor units (cents, öre); the currency lives beside it. */
export const money = () => integer();

export const flag = () => integer({ mode: 'boolean' }).notNull().default(false);

export const json = <T>() => text({ mode: 'json' }).$type<T>();
