export const periodPresets = ['7d', '30d', 'quarter', 'custom'] as const;
export type PeriodPreset = (typeof periodPresets)[number];

/** A local calendar date as `YYYY-MM-DD` (the staff member's day, as the date inputs show it). */
const isoDay = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

/** The period a preset stands for, ending today. */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, today = new Date()) {
  const [year, month, day] = [today.getFullYear(), today.getMonth(), today.getDate()];
  const start =
    preset === '7d'
      ? new Date(year, month, day - 6)
      : preset === '30d'
        ? new Date(year, month, day - 29)
        : new Date(year, Math.floor(month / 3) * 3, 1);
  return { from: isoDay(start), to: isoDay(today) };
}
