import {
  reportMaxDays,
  reportPeriodDays,
  type ReportFilterOptionsDto,
  type TicketReportDto,
} from '../../../shared/api/staff-reports.ts';
import { api } from '../../lib/api.ts';
import { i18n } from '../../lib/i18n.svelte.ts';
import { Resource } from '../../lib/resource.svelte.ts';
import { presetPeriod, type PeriodPreset } from '../components/reports/period.ts';

export { periodPresets, type PeriodPreset } from '../components/reports/period.ts';

export type PeriodProblem = 'required' | 'period_order' | 'period_too_long' | null;

/** The report page (issue 15 item 7): filters, the figures they select and the CSV link. */
class ReportsState {
  preset = $state<PeriodPreset>('30d');
  from = $state(presetPeriod('30d').from);
  to = $state(presetPeriod('30d').to);
  team = $state('');
  building = $state('');

  readonly options = new Resource<ReportFilterOptionsDto>(() =>
    api.get<ReportFilterOptionsDto>('/staff/reports/filters'),
  );
  readonly figures = new Resource<TicketReportDto>(() =>
    api.get<TicketReportDto>(`/staff/reports/tickets?${this.query}`),
  );

  /** The same checks as the server's, so a wrong period is explained before it is sent. */
  readonly periodProblem: PeriodProblem = $derived.by(() => {
    if (!this.from || !this.to) return 'required';
    const days = reportPeriodDays(this.from, this.to);
    if (days < 1) return 'period_order';
    return days > reportMaxDays ? 'period_too_long' : null;
  });

  readonly query: string = $derived.by(() => {
    const params: [string, string][] = [
      ['from', this.from],
      ['to', this.to],
      ['team', this.team],
      ['building', this.building],
    ];
    return params
      .filter(([, value]) => value !== '')
      .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
      .join('&');
  });

  /** The CSV of exactly what the page shows, labelled in the console's language. */
  readonly csvHref: string = $derived(`/api/staff/reports/tickets.csv?${this.query}&lang=${i18n.locale}`);

  choosePreset(preset: PeriodPreset): void {
    this.preset = preset;
    if (preset !== 'custom') Object.assign(this, presetPeriod(preset));
  }

  /** Loads the figures when the period is valid; an invalid one keeps the last figures shown. */
  load(): Promise<void> {
    return this.periodProblem ? Promise.resolve() : this.figures.load();
  }
}

export const reports = new ReportsState();
