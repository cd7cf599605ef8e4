import { importFileColumns, importFileEntity, type ColumnSpec, type ImportFileName } from './layout.ts';
import type { ProblemCollector } from '../problems.ts';
import { convertCell, RefusedCell, type RawCell } from './values.ts';

/** One data row turned into record values, with where it came from. */
export interface TableRow {
  row: number;
  values: Record<string, string | number>;
  /** The row's own key (`externalId`, or `contractExternalId` in the nested files), for locating problems. */
  key: string | null;
  /** False when a cell was refused; the row is then reported and left out of the records. */
  ok: boolean;
}

const cellText = (cell: RawCell | undefined): string =>
  cell === null || cell === undefined
    ? ''
    : cell instanceof Date
      ? cell.toISOString()
      : cell instanceof RefusedCell
        ? cell.code
        : String(cell);
const isBlank = (cell: RawCell | undefined): boolean => cellText(cell).trim() === '';

/**
 * Reads one file or sheet: checks the header against the file's columns, then converts each row.
 * Shared by the CSV and XLSX readers so both refuse the same input with the same codes.
 */
export class TableReader {
  private columns: (ColumnSpec | null)[] = [];
  private usable = false;
  private readonly specs: readonly ColumnSpec[];
  private readonly entity;

  constructor(
    readonly name: ImportFileName,
    readonly file: string,
    private readonly problems: ProblemCollector,
  ) {
    this.specs = importFileColumns[name];
    this.entity = importFileEntity[name];
  }

  /** False when the header leaves the rows unreadable (a required column is missing). */
  header(cells: RawCell[], row: number): boolean {
    const names = cells.map((cell) => cellText(cell).trim());
    // Spreadsheets often write empty trailing header cells (`a;b;;`); they carry no column.
    while (names.length > 0 && names[names.length - 1] === '') names.pop();
    const known = this.specs.map((spec) => spec.name).join(', ');
    const seen = new Set<string>();
    this.columns = names.map((name, index) => {
      const spec = this.specs.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
      if (!spec) {
        this.problems.add({
          file: this.file,
          row,
          field: name || `column ${index + 1}`,
          code: name ? 'unknown_column' : 'empty_column_name',
          message: name
            ? `unknown column "${name}" in ${this.name}; known columns: ${known}`
            : `column ${index + 1} has no name; known columns: ${known}`,
        });
        return null;
      }
      if (seen.has(spec.name)) {
        this.problems.add({
          file: this.file,
          row,
          field: spec.name,
          code: 'duplicate_column',
          message: `column "${spec.name}" appears twice`,
        });
        return null;
      }
      seen.add(spec.name);
      return spec;
    });
    const missing = this.specs.filter((spec) => spec.required && !seen.has(spec.name));
    for (const spec of missing)
      this.problems.add({
        file: this.file,
        row,
        field: spec.name,
        code: 'missing_column',
        message: `required column "${spec.name}" is missing in ${this.name}`,
      });
    this.usable = missing.length === 0;
    return this.usable;
  }

  get headerWidth(): number {
    return this.columns.length;
  }

  /** One data row; null for a blank row (spreadsheets leave them) or when the header was unusable. */
  row(cells: RawCell[], row: number): TableRow | null {
    if (!this.usable || cells.every(isBlank)) return null;
    const keyColumn = this.specs[0]?.name ?? 'externalId';
    const keyIndex = this.columns.findIndex((spec) => spec?.name === keyColumn);
    const keyText = cellText(cells[keyIndex]).trim();
    const key = keyText === '' ? null : keyText;
    const located = { entity: this.entity, externalId: key, file: this.file, row };
    let ok = true;

    if (cells.slice(this.columns.length).some((cell) => !isBlank(cell))) {
      ok = false;
      this.problems.add({
        ...located,
        code: 'column_count',
        message: `row has ${cells.length} cells, the header ${this.columns.length} columns`,
      });
    }
    const values: Record<string, string | number> = {};
    this.columns.forEach((spec, index) => {
      if (!spec) return;
      const result = convertCell(cells[index] ?? null, spec.type);
      if (!result.ok) {
        ok = false;
        this.problems.add({ ...located, field: spec.name, code: result.code, message: result.message });
      } else if (result.value !== undefined) values[spec.name] = result.value;
      else if (spec.required) {
        ok = false;
        this.problems.add({
          ...located,
          field: spec.name,
          code: 'required',
          message: `"${spec.name}" is empty`,
        });
      }
    });
    return { row, values, key, ok };
  }
}
