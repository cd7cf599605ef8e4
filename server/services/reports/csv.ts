import { stringify } from 'csv-stringify/sync';
import { listReportRows, type ReportTicketRow } from '../../../db/repositories/reports.ts';
import type { Locale } from '../../../shared/api/auth.ts';
import type { TicketCsvQuery } from '../../../shared/api/staff-reports.ts';
import { m } from '../../../shared/i18n/paraglide/messages.js';
import { typeLabelIn } from '../../../shared/ticket-subject.ts';
import type { Deps } from '../../deps.ts';
import type { SessionUser } from '../../lib/context.ts';
import { localClock } from '../../lib/dates.ts';
import { slaOf } from '../sla.ts';
import { resolveReportFilters } from './scope.ts';

/**
 * `GET /staff/reports/tickets.csv` (API.md "Reports"): one row per ticket of the period in scope,
 * labelled in the reader's language, for Excel, Numbers and LibreOffice as much as for scripts.
 */

type Message = (inputs: Record<string, never>, options: { locale: Locale }) => string;
const messages = m as unknown as Record<string, Message | undefined>;

const label = (key: string, locale: Locale) => messages[key]?.({}, { locale }) ?? key;

const header = (locale: Locale) =>
  [
    'reports_csv_number',
    'reports_csv_created',
    'reports_csv_type',
    'reports_csv_status',
    'reports_csv_priority',
    'reports_csv_building',
    'reports_csv_unit',
    'reports_csv_team',
    'reports_csv_assignee',
    'reports_csv_first_response',
    'reports_csv_resolved',
    'reports_csv_sla_met',
  ].map((key) => label(key, locale));

/**
 * `2026-03-02 14:05` in the landlord's zone: what spreadsheets read as a date and time in every
 * locale, where an ISO instant with `Z` stays text and shows UTC to people who think in local time.
 */
function localTime(instant: Date | null, timeZone: string): string {
  if (!instant) return '';
  const { date, time } = localClock(instant, timeZone);
  return `${date} ${time}`;
}

/** Closed without passing `resolved`: its last change is when it was closed (as in the figures). */
const finishedAt = (row: ReportTicketRow) =>
  row.resolvedAt ?? (row.status === 'closed' ? (row.updatedAt ?? row.lastActivityAt) : null);

function record(row: ReportTicketRow, locale: Locale, timeZone: string, now: Date): string[] {
  const resolvedAt = finishedAt(row);
  const sla = slaOf({ ...row, resolvedAt }, now).state;
  return [
    row.number,
    localTime(row.createdAt, timeZone),
    typeLabelIn(row.typeId, locale),
    label(`staff_status_${row.status}`, locale),
    label(`staff_priority_${row.priority}`, locale),
    row.street ? `${row.street} ${row.houseNumber ?? ''}`.trim() : '',
    row.unitNumber ?? '',
    row.teamName ?? '',
    [row.assigneeFirstName, row.assigneeLastName].filter(Boolean).join(' '),
    localTime(row.firstRespondedAt, timeZone),
    localTime(resolvedAt, timeZone),
    // Still running and within target: no verdict yet.
    sla === 'breached'
      ? label('reports_csv_no', locale)
      : sla === 'met'
        ? label('reports_csv_yes', locale)
        : '',
  ];
}

/**
 * Spreadsheets in German and Swedish split columns at `;` (the list separator of those locales,
 * where `,` is the decimal comma); English ones at `,`.
 */
const delimiterOf = (locale: Locale) => (locale === 'en' ? ',' : ';');

/** The CSV writer's options: formula escaping (OWASP "CSV Injection") for every cell. */
const csvOptions = (locale: Locale) => ({
  delimiter: delimiterOf(locale),
  record_delimiter: 'windows' as const, // RFC 4180 §2: CRLF
  // Cells starting with =, +, -, @, tab or CR get a leading ' so no spreadsheet runs them.
  escape_formulas: true,
});

const pageSize = 500;
const bom = '\uFEFF';

export interface TicketCsv {
  fileName: string;
  body: ReadableStream<Uint8Array>;
}

/**
 * The export as a stream: the filters are checked before the first byte (a 404 or 400 still has
 * its status), then pages of rows are read as the client takes them, in constant memory. UTF-8 with
 * a byte order mark, without which Excel reads the file as the system code page and breaks umlauts.
 */
export async function ticketCsv(deps: Deps, user: SessionUser, query: TicketCsvQuery): Promise<TicketCsv> {
  const filters = await resolveReportFilters(deps, user, query);
  const locale = query.lang ?? user.language;
  const timeZone = deps.config.timeZone;
  const now = deps.now();
  const options = csvOptions(locale);
  const encoder = new TextEncoder();
  let after: { createdAt: Date; id: string } | undefined;
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(bom + stringify([header(locale)], options)));
        return;
      }
      const rows = await listReportRows(deps.db, filters.tickets, { limit: pageSize, after });
      if (rows.length > 0) {
        controller.enqueue(
          encoder.encode(
            stringify(
              rows.map((row) => record(row, locale, timeZone, now)),
              options,
            ),
          ),
        );
      }
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) controller.close();
      else after = { createdAt: last.createdAt, id: last.id };
    },
  });
  return { fileName: `tickets_${query.from}_${query.to}.csv`, body };
}
