import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './helpers/browser.ts';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { axeViolations } from './helpers/a11y.ts';
import { readLatestMail } from '../helpers/auth.ts';
import { organisationNumber } from '../../server/demo/people.ts';

describe('sign-up without a letter in the browser (seed 004)', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startDemoServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('registers Kvarnby Kaffe AB by organisation number with the code mailed to the held address', async () => {
    const context = await browser.newContext({ locale: 'sv-SE' });
    const page = await context.newPage();
    // The demo's unregistered commercial tenant (README "Demo logins").
    const heldEmail = 'ekonomi@kvarnby-kaffe.example';
    const password = 'Lindenblüte-über-dem-Hof-7';

    await page.goto(`${server.url}/register`);
    await page.getByTestId('register-by-number-link').click();
    await page.getByTestId('signup-number').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('signup-kind-organisation').check();
    await page.getByTestId('signup-number').fill(organisationNumber('559012345'));
    await page.getByTestId('signup-email').fill(heldEmail);
    await page.getByTestId('signup-password').fill(password);
    await page.getByTestId('signup-password-repeat').fill(password);
    await page.getByTestId('signup-accept-privacy').check();
    await page.getByTestId('signup-accept-terms').check();
    await page.getByTestId('signup-delivery-electronic').check();
    await page.getByTestId('signup-next').click();

    // The held address, masked: never shown in full before the code proves it.
    const channel = page.getByTestId('signup-channel-email');
    await channel.waitFor();
    expect(await page.locator('main').innerText()).toContain('e•••@k•••.example');
    expect(await page.locator('main').innerText()).not.toContain(heldEmail);
    expect(await axeViolations(page)).toEqual([]);
    await channel.check();
    await page.getByTestId('signup-send').click();

    await page.getByTestId('signup-code').waitFor();
    const mail = await readLatestMail(server.dataDir, heldEmail, { timeoutMs: 10_000 });
    const code = /\b(\d{6})\b/.exec(
      mail.text
        .split(/\r?\n\r?\n/)
        .slice(1)
        .join('\n'),
    )![1]!;
    await page.getByTestId('signup-code').fill(code === '000000' ? '000001' : '000000');
    await page.getByTestId('signup-confirm').click();
    await page.getByTestId('signup-error').waitFor();
    await page.getByTestId('signup-code').fill(code);
    await page.getByTestId('signup-confirm').click();

    // Signed in at once (the code went to the login address): complete the details, then the portal.
    await page.getByTestId('signup-complete').waitFor();
    await page.getByTestId('profile-form').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByTestId('signup-continue').click();
    await page.getByTestId('home-greeting').waitFor();
    await context.close();
  });
});
