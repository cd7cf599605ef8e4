import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

/**
 * Chart.js with only what the report's bar charts use (its tree-shakable build: about a third of
 * the whole library). This module is imported lazily by BarChart.svelte, so the charting code
 * loads with the report page and no other console page pays for it.
 */
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export { Chart };
