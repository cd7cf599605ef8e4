import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import type { AdminContractorsDto } from '../../shared/api/contractors.ts';

/** The contractor directory of the Admin page: add, edit, deactivate and delete, by keyboard, without axe violations. */
describe('contractor directory in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let admin: Page;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1440, height: 900 } });
    admin = await context.newPage();
    await admin.goto(`${server.url}/staff/login`);
    await admin.getByTestId('login-login').fill(DEMO_LOGINS.admin);
    await admin.getByTestId('login-password').fill(DEMO_PASSWORD);
    await admin.getByTestId('login-submit').click();
    await admin.waitForURL(/\/staff\/inbox/);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  // The demo's own directory (server/demo/contractors.ts) is left out: these steps check theirs.
  const demoNames = ['Sprudel Sanitär GmbH', 'Elektro Blitz KG', 'Malmö Rör AB'];
  const stored = () =>
    admin.evaluate(async (skip) => {
      const res = await fetch('/api/staff/admin/contractors');
      const list = (await res.json()) as AdminContractorsDto;
      return { ...list, contractors: list.contractors.filter((c) => !skip.includes(c.name)) };
    }, demoNames);

  it('adds a contractor with trades and a building, using the keyboard for the choices', async () => {
    await admin.goto(`${server.url}/staff/admin#admin-contractors`);
    const form = admin.getByTestId('contractor-form');
    await form.waitFor();
    expect(await axeViolations(admin)).toEqual([]);

    // Saving without a trade says so at the trades, without a request.
    await admin.locator('#contractor-name').fill('Muster Sanitär GmbH');
    await form.getByRole('button', { name: 'Add contractor' }).click();
    await admin
      .locator('#contractor-trades-error')
      .filter({ hasText: 'Choose at least one trade.' })
      .waitFor();

    await admin.getByRole('checkbox', { name: 'Plumbing' }).focus();
    await admin.keyboard.press('Space');
    await admin.getByRole('checkbox', { name: 'Heating' }).focus();
    await admin.keyboard.press('Space');
    const buildings = admin.getByRole('group', { name: 'Buildings served' }).getByRole('checkbox');
    await buildings.first().focus();
    await admin.keyboard.press('Space');
    await admin.locator('#contractor-contact').fill('Max Muster');
    await admin.locator('#contractor-phone').fill('+49 30 7654321');
    await admin.locator('#contractor-email').fill('auftrag@muster-sanitaer.example');
    await admin.locator('#contractor-email').press('Enter');

    const row = admin.getByTestId('contractors-table').getByRole('row', { name: /Muster Sanitär GmbH/ });
    await row.waitFor();
    await admin.getByTestId('contractors-notice').waitFor();
    expect(await row.textContent()).toContain('Plumbing, Heating');
    const list = await stored();
    expect(list.contractors).toEqual([
      expect.objectContaining({
        name: 'Muster Sanitär GmbH',
        trades: ['plumbing', 'heating'],
        contactPerson: 'Max Muster',
        buildingIds: [list.buildings[0]!.id],
      }),
    ]);
    expect(await axeViolations(admin)).toEqual([]);
    await admin.screenshot({ path: '/tmp/staff-contractors-1440.png', fullPage: true });
  });

  it('edits it in the same form, whose heading takes the focus', async () => {
    await admin.getByRole('button', { name: 'Edit Muster Sanitär GmbH' }).click();
    await expect.poll(() => admin.evaluate(() => document.activeElement?.id)).toBe('contractor-form-title');
    expect(await admin.locator('#contractor-name').inputValue()).toBe('Muster Sanitär GmbH');
    await admin.getByRole('checkbox', { name: 'Heating' }).uncheck();
    await admin.locator('#contractor-phone').fill('not a number');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    // The server's 400 lands at the field.
    await admin.locator('#contractor-phone-error').waitFor();
    expect(await admin.locator('#contractor-phone').getAttribute('aria-invalid')).toBe('true');
    await admin.locator('#contractor-phone').fill('+49 30 1111111');
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByRole('heading', { name: 'New contractor' }).waitFor();
    const [contractor] = (await stored()).contractors;
    expect(contractor).toMatchObject({ trades: ['plumbing'], phone: '+49 30 1111111' });
  });

  it('deactivates, reactivates and deletes after asking', async () => {
    await admin.getByRole('button', { name: 'Deactivate Muster Sanitär GmbH' }).click();
    await admin.getByRole('button', { name: 'Reactivate Muster Sanitär GmbH' }).waitFor();
    expect((await stored()).contractors[0]!.active).toBe(false);
    await admin.getByRole('button', { name: 'Reactivate Muster Sanitär GmbH' }).click();
    await admin.getByRole('button', { name: 'Deactivate Muster Sanitär GmbH' }).waitFor();

    await admin.getByRole('button', { name: 'Delete Muster Sanitär GmbH' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Delete “Muster Sanitär GmbH”?' });
    await dialog.waitFor();
    expect(await axeViolations(admin)).toEqual([]);
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await admin
      .getByTestId('contractors-notice')
      .filter({ hasText: 'Muster Sanitär GmbH was deleted.' })
      .waitFor();
    expect((await stored()).contractors).toEqual([]);
  });

  it('fits a phone screen', async () => {
    const status = await admin.evaluate(async () => {
      const res = await fetch('/api/staff/admin/contractors', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Glaserei Lange Firmenbezeichnung GmbH & Co. KG',
          trades: ['glazing', 'joinery'],
          email: 'auftraege.glaserei-lange@example.org',
        }),
      });
      return res.status;
    });
    expect(status).toBe(201);
    await admin.setViewportSize({ width: 360, height: 780 });
    // The page is on this URL already (a fragment-only goto would not load it again).
    await admin.reload();
    await admin.getByTestId('contractors-table').waitFor();
    await admin.getByTestId('contractor-form').waitFor();
    // Other sections of the admin page set its width; held to a phone's width, nothing of this section
    // reaches past its edge (its table scrolls inside its own box).
    const wider = await admin.getByTestId('admin-contractors').evaluate((section) => {
      section.style.width = '328px';
      section.style.minWidth = '0';
      const edge = section.getBoundingClientRect().right + 0.5;
      return [...section.querySelectorAll('*')]
        .filter((element) => element.getBoundingClientRect().right > edge)
        .filter((element) => !element.parentElement?.closest('.table-scroll'))
        .map((element) => `${element.tagName.toLowerCase()}#${element.id}.${element.className}`);
    });
    expect(wider).toEqual([]);
    await admin.screenshot({ path: '/tmp/staff-contractors-360.png', fullPage: true });
  });
});
