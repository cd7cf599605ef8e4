import { m } from '../../../../shared/i18n/paraglide/messages.js';
import type { BacklogBucket } from '../../../../shared/api/staff-reports.ts';
import { i18n } from '../../../lib/i18n.svelte.ts';

/** A duration in minutes as staff read it: "45 min", "3 h 20 min", "2 d 4 h". */
export function durationText(minutes: number | null): string {
  if (minutes === null) return '–';
  if (minutes < 60) return m.reports_duration_minutes({ minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return m.reports_duration_hours({ hours, minutes: minutes % 60 });
  return m.reports_duration_days({ days: Math.floor(hours / 24), hours: hours % 24 });
}

/** A share 0–1 as a whole percentage in the UI language ("60 %", "60%"). */
export const percentText = (share: number) =>
  i18n.formatNumber(share, { style: 'percent', maximumFractionDigits: 0 });

export const backlogLabel: Record<BacklogBucket, () => string> = {
  under_1d: m.reports_backlog_under_1d,
  d1_3: m.reports_backlog_d1_3,
  d3_7: m.reports_backlog_d3_7,
  d7_30: m.reports_backlog_d7_30,
  over_30d: m.reports_backlog_over_30d,
};

/** A week's Monday as a short date ("3. März", "3 Mar", "3 mars"). */
export const weekText = (monday: string) =>
  new Intl.DateTimeFormat(i18n.locale === 'en' ? 'en-GB' : i18n.locale, {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(`${monday}T00:00:00Z`));
