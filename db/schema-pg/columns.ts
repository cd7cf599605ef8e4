import { bigint, boolean, customType, jsonb, text, timestamp as pgTimestamp } from 'drizzle-orm/pg-core';
import { newId } from '../ids.ts';

/**
 * The column helpers of db/schema/columns.ts for PostgreSQL: same names, same TypeScript values,
 * native types where SQLite had to encode them (timestamps, booleans, JSON, binary).
 */

/** Primary key: an opaque random string id. */
export const id = () =>
  text()
    .primaryKey()
    .$defaultFn(() => newId());

/** A point in time; millisecond precision like SQLite's integer milliseconds, kept in UTC. */
export const timestamp = () => pgTimestamp({ withTimezone: true, precision: 3, mode: 'date' });

/** Creation time, set on insert. */
export const createdAt = () =>
  timestamp()
    .notNull()
    .$defaultFn(() => new Date());

/** A calendar date as ISO `YYYY-MM-DD`, text as on SQLite so both stores compare and sort it alike. */
export const isoDate = () => text();

/**
 * Money in integer minor units (cents, öre); the currency lives beside it. `bigint` because
 * SQLite's integer is 64-bit too; read as a JS number like there.
 */
export const money = () => bigint({ mode: 'number' });

export const flag = () => boolean().notNull().default(false);

export const json = <T>() => jsonb().$type<T>();

/** Binary values (secret hashes): `bytea`, read and written as a Buffer like SQLite's blob. */
export const bytea = customType<{ data: Buffer; driverData: Buffer }>({
  dataType: () => 'bytea',
});
