import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';

const de = JSON.parse(readFileSync('shared/i18n/messages/de.json', 'utf8')) as Record<string, string>;

/** Where the screenshots of the report page go, to be looked at (issue 15 "look before done"). */
const shots = process.env.SCREENSHOT_DIR ?? '/tmp';

/** Issue 15 item 7 in the browser: the report page draws its charts, has their tables, exports CSV. */
describe('staff reports in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const scripts: string[] = [];

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await page.goto(`${server.url}/staff/login`);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.staff);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/staff\/inbox/);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('loads the chart library only with the report page', async () => {
    await page.waitForLoadState('networkidle');
    expect(scripts.filter((url) => /chart/i.test(url))).toEqual([]);
    await page.getByRole('link', { name: de.reports_title }).click();
    await page.waitForURL(/\/staff\/reports$/);
    await page.getByTestId('report-weeks-chart').waitFor();
    await expect.poll(() => scripts.some((url) => /chart/i.test(url))).toBe(true);
  });

  it('draws the weekly chart and shows its numbers as a table, without axe violations', async () => {
    const chart = page.getByTestId('report-weeks-chart');
    // Something was painted on the canvas (Chart.js draws asynchronously after its lazy load).
    await expect
      .poll(() =>
        chart.evaluate((canvas: HTMLCanvasElement) => {
          const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
          return painted;
        }),
      )
      .toBeGreaterThan(100);
    expect(await chart.getAttribute('aria-hidden')).toBe('true');
    await page.getByRole('img', { name: new RegExp(de.reports_volume_week!) }).waitFor();

    const table = page.getByTestId('report-weeks-table');
    expect(await table.isVisible()).toBe(false);
    await page.getByText(de.reports_show_table!).first().click();
    await table.waitFor();
    // Last 30 days span five or six Monday weeks; the table has one row per week with a number.
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(5);
    const total = (await table.locator('tbody td').allInnerTexts()).reduce((sum, n) => sum + Number(n), 0);
    expect(total).toBeGreaterThan(0);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Tickets vom' }).innerText())
      .toContain(String(total));

    // SLA figures and the backlog are there in words too.
    await page.getByTestId('report-sla-first-response').waitFor();
    expect(await page.getByTestId('report-backlog-chart').count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.screenshot({ path: `${shots}/staff-reports-1440.png`, fullPage: true });
  });

  it('explains a reversed period and offers no export for it', async () => {
    await page.locator('#report-from').fill('2026-03-10');
    await page.locator('#report-to').fill('2026-03-01');
    await page.getByText(de.reports_error_period_order!).waitFor();
    expect(await page.getByTestId('report-csv').count()).toBe(0);
    expect(await page.locator('#report-from').getAttribute('aria-invalid')).toBe('true');
    await page.locator('#report-period').selectOption('30d');
    await page.getByTestId('report-csv').waitFor();
  });

  it('downloads the CSV of the same filters: BOM, German header, one row per ticket', async () => {
    const link = page.getByTestId('report-csv');
    const href = (await link.getAttribute('href'))!;
    expect(href).toMatch(
      /^\/api\/staff\/reports\/tickets\.csv\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d&lang=de$/,
    );
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^tickets_\d{4}-\d\d-\d\d_\d{4}-\d\d-\d\d\.csv$/);
    const bytes = readFileSync(await download.path());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe(
      [
        de.reports_csv_number,
        de.reports_csv_created,
        de.reports_csv_type,
        de.reports_csv_status,
        de.reports_csv_priority,
        de.reports_csv_building,
        de.reports_csv_unit,
        de.reports_csv_team,
        de.reports_csv_assignee,
        de.reports_csv_first_response,
        de.reports_csv_resolved,
        de.reports_csv_sla_met,
      ].join(';'),
    );
    const status = await page.getByRole('status').filter({ hasText: 'Tickets vom' }).innerText();
    expect(lines.length - 1).toBe(Number(/^(\d+)/.exec(status)![1]));
  });

  it('reads on a phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('report-weeks-chart').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: `${shots}/staff-reports-390.png`, fullPage: true });
    await page.getByTestId('report-sla-resolution').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/staff-reports-390-sla.png` });
    await page.getByTestId('report-incidents-table').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${shots}/staff-reports-390-incidents.png` });
  });
});
