import type { Tables } from '../../db/dialect.ts';
import * as sqliteTables from '../../db/schema/index.ts';
import * as pgTables from '../../db/schema-pg/index.ts';
import { testStore } from './context.ts';

/**
 * The tables of the store this run's worlds are on (tests/helpers/context.ts `testStore`), typed
 * as SQLite's like db/dialect.ts `tablesOf`: a test queries its world's database with these.
 */
export const testTables: Tables = testStore === 'postgres' ? (pgTables as unknown as Tables) : sqliteTables;
