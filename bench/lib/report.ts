// The report is the product (issue 7): every figure beside its bare baseline from the same run,
// the ratio, the target and whether it was met. `--strict` turns a missed target into exit 1.
import { writeFileSync } from 'node:fs';

export interface Figure {
  /** Which benchmark produced it (http, live-latency, …). */
  bench: string;
  name: string;
  /** null: not measured (e.g. the app side does not exist yet); `note` says why. */
  value: number | null;
  unit: string;
  baseline?: number | null;
  /** value / baseline, or baseline / value for "higher is better" figures (see ratioLabel). */
  ratio?: number | null;
  target?: string;
  /** null: no target, or not measurable. */
  pass?: boolean | null;
  note?: string;
}

/** Ratio of app to bare where smaller is better (latency, memory, time). */
export const costRatio = (value: number | null, baseline: number | null) =>
  value === null || baseline === null || baseline === 0 ? null : value / baseline;

/** Ratio of app to bare where bigger is better (throughput): 0.5 = half as fast as bare. */
export const speedRatio = costRatio;

function format(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

function verdict(figure: Figure): string {
  if (figure.pass === true) return 'pass';
  if (figure.pass === false) return 'FAIL';
  return figure.value === null ? 'n/a' : '';
}

export function renderTable(figures: Figure[]): string {
  const header = ['bench', 'figure', 'value', 'bare', 'ratio', 'target', 'result'];
  const rows = figures.map((f) => [
    f.bench,
    f.name,
    format(f.value, f.unit),
    format(f.baseline, f.baseline === undefined ? '' : f.unit),
    f.ratio === undefined || f.ratio === null ? '–' : `${f.ratio.toFixed(2)}×`,
    f.target ?? '',
    verdict(f),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' │ ');
  const notes = figures.filter((f) => f.note).map((f) => `  · ${f.bench} / ${f.name}: ${f.note}`);
  return [
    line(header),
    widths.map((width) => '─'.repeat(width)).join('─┼─'),
    ...rows.map(line),
    ...(notes.length > 0 ? ['', 'notes:', ...notes] : []),
  ].join('\n');
}

export interface RunInfo {
  quick: boolean;
  strict: boolean;
  startedAt: string;
  seconds: number;
  machine: { cpus: number; node: string; load: number[] };
  skipped: { bench: string; reason: string }[];
}

export function writeResults(file: string, info: RunInfo, figures: Figure[]): void {
  writeFileSync(file, JSON.stringify({ ...info, figures }, null, 2) + '\n');
}

/** Figures with a target that was measured and missed. */
export const missed = (figures: Figure[]) => figures.filter((f) => f.pass === false);
