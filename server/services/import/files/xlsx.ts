import ExcelJS from 'exceljs';
import { importFileNameOf, importFileNames, type ImportFileName } from './layout.ts';
import type { ProblemCollector } from '../problems.ts';
import { TableReader, type TableRow } from './table.ts';
import { RefusedCell, type RawCell } from './values.ts';
import { checkWorkbookZip, type ZipLimits } from './zip-guard.ts';

/**
 * Reads the sheets of an XLSX workbook with exceljs, after the zip guard has checked its sizes.
 * The workbook is read whole, not streamed: exceljs' streaming WorkbookReader loses the workbook
 * part when it is stored last, as exceljs itself and others write it (exceljs issue #3064, open),
 * and then fails or names sheets wrongly. Date-formatted cells arrive as dates.
 *
 * Formula cells are refused (`formula_cell`), not read: the value cached in the file is whatever
 * the program that saved it computed, possibly never (files written by libraries carry none), and
 * importing it would import a formula's result the portal cannot check. The fix for the user is
 * "paste values". A text cell that merely starts with `=`, `+`, `-` or `@` is text and stays text.
 */

type ExcelValue = ExcelJS.CellValue | undefined;

function richText(value: { richText: { text: string }[] }): string {
  return value.richText.map((part) => part.text).join('');
}

/** One exceljs cell value to a reader cell. */
function rawCell(value: ExcelValue): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('formula' in value || 'sharedFormula' in value)
      return new RefusedCell(
        'formula_cell',
        'the cell holds a formula; paste it as a value (Paste Special → Values)',
      );
    if ('error' in value)
      return new RefusedCell('cell_error', `the cell holds the error ${String(value.error)}`);
    if ('richText' in value) return richText(value);
    if ('text' in value) {
      // A hyperlink (Excel turns typed e-mail addresses into mailto links): its shown text is the value.
      const text: unknown = value.text;
      return typeof text === 'string'
        ? text
        : typeof text === 'object' && text !== null && 'richText' in text
          ? richText(text as { richText: { text: string }[] })
          : null;
    }
  }
  return new RefusedCell('unsupported_cell', 'the cell holds a value of an unsupported kind');
}

export async function readXlsxWorkbook(
  path: string,
  limits: ZipLimits,
  problems: ProblemCollector,
  onRow: (name: ImportFileName, sheet: string, row: TableRow) => void,
  onIncomplete: (name: ImportFileName | null) => void = () => undefined,
): Promise<void> {
  const verdict = await checkWorkbookZip(path, limits);
  if (!verdict.ok) {
    onIncomplete(null);
    problems.add({ file: path.split(/[\\/]/).pop() ?? path, code: verdict.code, message: verdict.message });
    return;
  }
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
    const seen = new Set<ImportFileName>();
    for (const sheet of workbook.worksheets) {
      const title = sheet.name;
      const name = importFileNameOf(title);
      if (!name || seen.has(name)) {
        problems.add({
          file: title,
          code: name ? 'duplicate_sheet' : 'unknown_sheet',
          message: name
            ? `the sheet "${title}" appears twice`
            : `unknown sheet "${title}"; known sheets: ${importFileNames.join(', ')}`,
        });
        continue;
      }
      seen.add(name);
      const table = new TableReader(name, title, problems);
      let headerSeen = false;
      let usable = false;
      sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
        if (problems.full) return;
        const values = Array.isArray(row.values) ? (row.values as ExcelValue[]) : [];
        // exceljs' row values are 1-based and sparse.
        const cells = Array.from({ length: Math.max(0, values.length - 1) }, (_, index) =>
          rawCell(values[index + 1]),
        );
        if (!headerSeen) {
          if (cells.every((cell) => cell === null)) return;
          headerSeen = true;
          usable = table.header(cells, rowNumber);
          if (!usable) onIncomplete(name);
          return;
        }
        if (!usable) return;
        const converted = table.row(cells, rowNumber);
        if (converted) onRow(name, title, converted);
      });
      if (!headerSeen)
        problems.add({ file: title, row: 1, code: 'empty_file', message: 'the sheet has no header row' });
    }
  } catch (error) {
    onIncomplete(null);
    problems.add({
      file: path.split(/[\\/]/).pop() ?? path,
      code: 'not_a_workbook',
      message: `the workbook cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
}
