import { createReadStream } from 'node:fs';
import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { detectDelimiter, detectEncoding } from './encoding.ts';
import type { ImportFileName } from './layout.ts';
import type { ProblemCollector } from '../problems.ts';
import { TableReader, type TableRow } from './table.ts';

const quoteProblem: Record<string, { code: string; message: string }> = {
  CSV_QUOTE_NOT_CLOSED: { code: 'unclosed_quote', message: 'a quoted cell is never closed (a missing ")' },
  CSV_INVALID_CLOSING_QUOTE: { code: 'invalid_quote', message: 'a closing quote is followed by more text' },
  INVALID_OPENING_QUOTE: { code: 'invalid_quote', message: 'a quote opens in the middle of a cell' },
};

/**
 * Streams one CSV file row by row, as the reader asks for them (the file is read no faster than
 * the load is written). Rows are numbered as a spreadsheet shows them (the header is row 1; a
 * cell with a line break stays one row). Every problem is collected and parsing goes on after a
 * bad row, so one run names them all.
 */
export async function* readCsvFile(
  path: string,
  name: ImportFileName,
  file: string,
  problems: ProblemCollector,
  /** Told when rows may be missing (unreadable file, bad header, broken quotes), so list checks hold back. */
  onIncomplete: () => void = () => undefined,
  /** Told of every chunk read, for the load's progress. */
  onBytes: (bytes: number) => void = () => undefined,
): AsyncGenerator<TableRow> {
  const verdict = await detectEncoding(path);
  if (!verdict.ok) {
    onIncomplete();
    problems.add({
      file,
      ...(verdict.line !== undefined ? { row: verdict.line } : {}),
      code: verdict.code,
      message:
        verdict.line !== undefined ? `${verdict.message} (first at line ${verdict.line})` : verdict.message,
    });
    return;
  }
  const table = new TableReader(name, file, problems);
  const parser = parse({
    delimiter: detectDelimiter(verdict.firstLine),
    bom: true,
    // Widths are checked here, with the row located, instead of aborting the file.
    relax_column_count: true,
    // A quote inside an unquoted cell (`Haus "Linde"`) is text, as spreadsheets read it.
    relax_quotes: true,
    skip_records_with_error: true,
    // Blank lines are kept (and skipped by the table) so row numbers match the spreadsheet's.
    skip_empty_lines: false,
  });
  // Rows are counted here rather than with the parser's `info` (an object per record, a third of
  // the parsing time of a large file): a skipped record is reported before the records after it
  // are read, so counting past the reported rows numbers every row as the spreadsheet does.
  const reported = new Set<number>();
  parser.on('skip', (error: unknown) => {
    if (!(error instanceof CsvError)) return;
    const row = Number(error.records ?? 0) + 1;
    if (reported.has(row)) return;
    reported.add(row);
    onIncomplete();
    const known = quoteProblem[error.code] ?? { code: 'invalid_csv', message: error.message };
    problems.add({ file, row, code: known.code, message: known.message });
  });
  const source = createReadStream(path, { highWaterMark: 1 << 16 });
  source.on('data', (chunk) => onBytes(chunk.length));
  const stream: Readable =
    verdict.encoding === 'utf8'
      ? pipeline(source, parser, () => undefined)
      : pipeline(source, iconv.decodeStream('win1252'), parser, () => undefined);

  let headerSeen = false;
  let usable = false;
  try {
    let row = 0;
    for await (const record of stream as AsyncIterable<string[]>) {
      row++;
      while (reported.has(row)) row++;
      if (!headerSeen) {
        headerSeen = true;
        usable = table.header(record, row);
        if (!usable) {
          onIncomplete();
          break;
        }
        continue;
      }
      const isBlank = record.every((cell) => cell.trim() === '');
      if (!isBlank && record.length < table.headerWidth)
        problems.add({
          file,
          row,
          code: 'column_count',
          message: `row has ${record.length} cells, the header ${table.headerWidth} columns`,
        });
      else {
        const converted = table.row(record, row);
        if (converted) yield converted;
      }
      if (problems.full) break;
    }
  } catch (error) {
    onIncomplete();
    problems.add({
      file,
      code: 'unreadable_file',
      message: error instanceof Error ? error.message : String(error),
    });
  } finally {
    source.destroy();
  }
  if (!headerSeen) problems.add({ file, row: 1, code: 'empty_file', message: 'the file has no header row' });
}
