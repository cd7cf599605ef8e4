import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The background services that would dial out are switched off (the machine has no internet). */
const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args });
}

export interface PhoneProfile {
  context: BrowserContext;
  /** Closes the browser and deletes the profile. */
  close(): Promise<void>;
}

/**
 * Chromium with a real profile directory, as a phone: service workers, push and install need it
 * (Chromium never offers to install from the incognito context `browser.newContext()` gives:
 * installability error `in-incognito`).
 */
export async function launchPhoneProfile(name: string): Promise<PhoneProfile> {
  const profileDir = mkdtempSync(join(tmpdir(), `portier-${name}-`));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    args,
    locale: 'en-GB',
    viewport: { width: 390, height: 844 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
