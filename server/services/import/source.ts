import type { ImportEntity, ImportRecords } from '../../../shared/api/import.ts';
import type { ProblemCollector } from './problems.ts';

/** Where a record came from: the file (or sheet) and its row as a spreadsheet numbers it. */
export interface RecordLocation {
  file: string;
  row: number;
}

/**
 * A slice of one entity's records, each checked against its record schema, with where each came
 * from (null for a JSON body). `refused` names the records of the slice that failed their checks:
 * their keys still count as named by the load, so what refers to them is not also reported as an
 * unknown reference, and a second record with the same key is still a duplicate.
 */
export interface RecordSlice<E extends ImportEntity> {
  records: ImportRecords[E];
  at: (RecordLocation | null)[];
  refused: { externalId: string; at: RecordLocation | null }[];
}

/**
 * The records of one load, read as a stream (issue 14: a landlord of 50,000 flats loads in one
 * go, in bounded memory). The importer asks for each entity once, in reference order (estates,
 * buildings, units, persons, contracts, invoices, ledger entries, documents), and holds only the
 * slice at hand. A folder of CSV files reads each file as it is asked for; a JSON body hands out
 * its arrays in slices.
 */
export interface ImportSource {
  slices<E extends ImportEntity>(entity: E): AsyncIterable<RecordSlice<E>>;
  /** Every problem of the load, located: the source's own and those the importer finds. */
  readonly problems: ProblemCollector;
  /** How far the load has been read: bytes of its files, or records of its body. */
  progress(): { done: number; total: number };
  /** Lets go of what reading needs (a reader thread); the importer calls it when the load is over. */
  close?(): Promise<void>;
}

/** Records are handed out (and looked up, compared and written) this many at a time. */
export const sliceSize = 2000;
