import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserContext, type CDPSession, type Page, type Request } from 'playwright-core';
import { startDemoServer, type RunningServer } from './helpers/server.ts';
import { launchPhoneProfile, type PhoneProfile } from './helpers/browser.ts';
import { deliverPush } from './helpers/push.ts';
import { axeViolations } from './helpers/a11y.ts';
import { DEMO_LOGINS, DEMO_PASSWORD } from '../../server/demo/demo-constants.ts';
import { resolveNavigateUrl } from '../../service-worker/navigate-url.ts';
import { parseDeclarativePush } from '../../service-worker/declarative-push.ts';
import { QUEUE_SYNC_TAG } from '../../service-worker/common/protocol.ts';

const en = JSON.parse(readFileSync('shared/i18n/messages/en.json', 'utf8')) as Record<string, string>;
const offlinePrefix = (en.offline_as_of ?? '').split('{')[0] ?? 'Offline';

/** A damage report with a photo in the offline queue's storage (service-worker/common/queue-store.ts), as queueTicket() writes it. */
function writeQueued(page: Page, marker: string, clientId: string): Promise<void> {
  return page.evaluate(
    async ({ marker, clientId }) => {
      const me = (await (await fetch('/api/me')).json()) as { user: { id: string } };
      const canvas = new OffscreenCanvas(64, 48);
      const drawing = canvas.getContext('2d');
      if (drawing) {
        drawing.fillStyle = '#0a58a8';
        drawing.fillRect(0, 0, 64, 48);
      }
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const entry = {
        kind: 'ticket',
        clientId,
        userId: me.user.id,
        createdAt: new Date().toISOString(),
        photos: [{ blob, name: 'leak.png' }],
        request: {
          type: 'general_correspondence',
          fields: { correspondence_topic: 'other' },
          description: marker,
        },
      };
      await new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('portier-queue', 1);
        open.onupgradeneeded = () =>
          open.result.createObjectStore('requests', { keyPath: 'clientId' }).createIndex('byUser', 'userId');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const tx = open.result.transaction('requests', 'readwrite');
          tx.objectStore('requests').put(entry);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(new Error(String(tx.error)));
        };
      });
    },
    { marker, clientId },
  );
}

/** How many entries wait in the offline queue (IndexedDB `portier-queue`). */
function countQueued(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open('portier-queue', 1);
        open.onsuccess = () => {
          const count = open.result.transaction('requests').objectStore('requests').count();
          count.onsuccess = () => resolve(count.result);
        };
      }),
  );
}

/** Issue 6 items 5 and 6 in Chromium: installable, offline reading, offline queue, push in the worker. */
describe('the tenant PWA', () => {
  let server: RunningServer;
  let profile: PhoneProfile;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;

  beforeAll(async () => {
    server = await startDemoServer();
    profile = await launchPhoneProfile('pwa-profile');
    context = profile.context;
    await context.grantPermissions(['notifications'], { origin: server.url });
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    await page.goto(`${server.url}/login`);
    // The first install claims the page at once (service-worker/update.ts), so no second visit is needed.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.getByTestId('login-login').fill(DEMO_LOGINS.tenant);
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-greeting').waitFor();
  });
  afterAll(async () => {
    await profile?.close();
    await server?.stop();
  });

  it('passes Chromium install criteria with an active service worker', async () => {
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors).toEqual([]);
    const state = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state);
    expect(state).toBe('activated');

    const manifest = (await (await fetch(`${server.url}/manifest.webmanifest`)).json()) as {
      icons: { purpose: string }[];
      shortcuts: unknown[];
    };
    expect(manifest.icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
    expect(manifest.shortcuts).toHaveLength(3);
    // The staff console is no part of the tenant PWA, and its HTML is never the tenant fallback.
    expect(await (await fetch(`${server.url}/staff/`)).text()).not.toContain('rel="manifest"');
  });

  it('shows contract, invoice PDF and documents offline after one visit, marked with their age', async () => {
    await page.goto(`${server.url}/contracts`);
    await page.getByTestId('contract-link').first().click();
    await page.getByTestId('rent-components').waitFor();
    const contractUrl = page.url();

    await page.goto(`${server.url}/invoices`);
    await page.getByTestId('invoice-item').first().getByRole('link').first().click();
    await page.getByTestId('invoice-amount').waitFor();
    const invoiceUrl = page.url();
    const pdfUrl = (await page.getByTestId('invoice-pdf').getAttribute('href')) ?? '';
    await page.getByTestId('keep-offline').click(); // "keep offline" fetches the PDF into the file cache
    await page.getByTestId('kept-offline').waitFor();

    await page.goto(`${server.url}/documents`);
    await page.getByTestId('document-item').first().waitFor();
    const documentCount = await page.getByTestId('document-item').count();
    // Opening a document once keeps it, as a click on its link would.
    const documentUrl = (await page.getByTestId('document-link').first().getAttribute('href')) ?? '';
    expect(await page.evaluate((url) => fetch(url).then((r) => r.status), documentUrl)).toBe(200);

    await context.setOffline(true);
    try {
      await page.goto(contractUrl);
      await page.getByTestId('rent-components').waitFor();
      expect(await page.getByTestId('offline-as-of').textContent()).toContain(offlinePrefix);
      await page
        .getByText(en.offline_banner_title ?? '')
        .first()
        .waitFor();

      await page.goto(invoiceUrl);
      await page.getByTestId('invoice-amount').waitFor();
      expect(await page.getByTestId('offline-as-of').textContent()).toContain(offlinePrefix);
      const pdf = await page.evaluate(async (url) => {
        const response = await fetch(url);
        const head = new Uint8Array(await response.arrayBuffer()).slice(0, 4);
        return { status: response.status, type: response.headers.get('Content-Type'), head: [...head] };
      }, pdfUrl);
      expect(pdf.status).toBe(200);
      expect(pdf.type).toContain('application/pdf');
      expect(String.fromCharCode(...pdf.head)).toBe('%PDF');

      await page.goto(`${server.url}/documents`);
      await page.getByTestId('document-item').first().waitFor();
      expect(await page.getByTestId('document-item').count()).toBe(documentCount);
      expect(await page.getByTestId('offline-as-of').textContent()).toContain(offlinePrefix);
      expect(await page.evaluate((url) => fetch(url).then((r) => r.status), documentUrl)).toBe(200);
    } finally {
      await context.setOffline(false);
    }
  });

  it('sends a request filed offline, with its photo, exactly once when back online', async () => {
    await page.goto(`${server.url}/documents`);
    await page.getByTestId('document-item').first().waitFor();
    const marker = `Offline queued ${Date.now()}`;
    const clientId = `e2e-offline-${Date.now()}`;
    await context.setOffline(true);
    await writeQueued(page, marker, clientId);
    // Back online: the `online` event flushes; a second racing flush must not file it twice.
    await context.setOffline(false);
    await page.evaluate(() => {
      window.dispatchEvent(new Event('online'));
      window.dispatchEvent(new Event('online'));
    });

    const search = `/api/tickets?q=${encodeURIComponent(marker)}`;
    await expect
      .poll(
        () =>
          page.evaluate(
            (url) => fetch(url, { cache: 'no-store' }).then((r) => r.json() as Promise<unknown>),
            search,
          ),
        {
          timeout: 30_000,
        },
      )
      .toMatchObject({ tickets: [{ description: marker }] });
    await expect.poll(() => countQueued(page)).toBe(0);
    const { tickets } = (await page.evaluate((url) => fetch(url).then((r) => r.json()), search)) as {
      tickets: { id: string }[];
    };
    expect(tickets).toHaveLength(1);
    // The same clientId again is the same ticket (API.md), which is what makes the queue exactly-once.
    const again = await page.evaluate(
      ({ clientId, marker }) =>
        fetch('/api/tickets', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            type: 'general_correspondence',
            fields: { correspondence_topic: 'other' },
            description: marker,
            clientId,
          }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as { ticket: { id: string } } })),
      { clientId, marker },
    );
    expect(again.status).toBe(200);
    expect(again.body.ticket.id).toBe(tickets[0]?.id);
  });

  it('sends the offline queue from Background Sync with no tab of the app open, exactly once', async () => {
    await page.goto(`${server.url}/documents`);
    await page.getByTestId('document-item').first().waitFor();
    const marker = `Background sync ${Date.now()}`;
    await context.setOffline(true);
    await writeQueued(page, marker, `e2e-bgsync-${Date.now()}`);
    // No page of the app is left to flush on `online`: only the service worker can send it now.
    await page.goto('about:blank');
    await context.setOffline(false);

    const sent: string[] = [];
    const record = (request: Request) => {
      const path = new URL(request.url()).pathname;
      if (request.method() === 'POST' && (path === '/api/tickets' || path === '/api/uploads'))
        sent.push(path);
    };
    context.on('request', record);
    let resolveRegistration: (id: string) => void = () => undefined;
    const registration = new Promise<string>((resolve) => (resolveRegistration = resolve));
    const onRegistrations = ({ registrations }: { registrations: unknown }) => {
      const found = (
        registrations as { registrationId: string; scopeURL: string; isDeleted: boolean }[]
      ).find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
      if (found) resolveRegistration(found.registrationId);
    };
    cdp.on('ServiceWorker.workerRegistrationUpdated', onRegistrations);
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registration;
    const fireSync = () =>
      cdp.send('ServiceWorker.dispatchSyncEvent', {
        origin: server.url,
        registrationId,
        tag: QUEUE_SYNC_TAG,
        lastChance: false,
      });
    const search = `${server.url}/api/tickets?q=${encodeURIComponent(marker)}`;
    const found = async () =>
      ((await (await context.request.get(search)).json()) as { tickets: { id: string }[] }).tickets;
    try {
      await fireSync();
      await expect.poll(async () => (await found()).length, { timeout: 30_000 }).toBe(1);
      // Photo first, then the report with it (queue-store.ts sendQueued), each once.
      await expect.poll(() => [...sent].sort()).toEqual(['/api/tickets', '/api/uploads']);

      // A second sync finds nothing to send; the worker says so to the open app (QUEUE_CHANGED).
      await page.goto(`${server.url}/documents`);
      await page.getByTestId('document-item').first().waitFor();
      expect(await countQueued(page)).toBe(0);
      await page.evaluate(() => {
        navigator.serviceWorker.addEventListener('message', (event: MessageEvent<{ type?: string }>) => {
          if (event.data?.type === 'QUEUE_CHANGED') Object.assign(window, { queueChanged: true });
        });
      });
      sent.length = 0;
      await fireSync();
      await page.waitForFunction(() => (window as { queueChanged?: boolean }).queueChanged === true);
      expect(sent).toEqual([]);
      expect(await found()).toHaveLength(1);
    } finally {
      context.off('request', record);
      cdp.off('ServiceWorker.workerRegistrationUpdated', onRegistrations);
      await cdp.send('ServiceWorker.disable');
    }
  });

  it('shows a Declarative Web Push message delivered to the service worker', async () => {
    await page.goto(`${server.url}/settings`);
    await page.getByTestId('push-this-device').waitFor();
    const registration = new Promise<{ registrationId: string; scopeURL: string }>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const found = (
          registrations as { registrationId: string; scopeURL: string; isDeleted: boolean }[]
        ).find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
        if (found) resolve(found);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const { registrationId } = await registration;
    const payload = {
      web_push: 8030,
      notification: {
        title: 'Reply to your request T-1',
        body: 'The caretaker comes on Monday.',
        navigate: '/requests/t-1',
        lang: 'en',
        tag: 'ticket-t-1',
      },
      app_badge: 2,
    };
    const worker = async () => context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const shown = await deliverPush(cdp, worker, { origin: server.url, registrationId }, payload);
    expect(shown).toEqual([
      { title: payload.notification.title, tag: 'ticket-t-1', data: { navigate: '/requests/t-1' } },
    ]);
    // The page sees the same notification through its registration.
    const inPage = await page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => n.title),
    );
    expect(inPage).toEqual([payload.notification.title]);
    await cdp.send('ServiceWorker.disable');
  });

  it('opens only same-origin deep links from a notification click', () => {
    const origin = 'https://portier.example';
    expect(resolveNavigateUrl('/requests/t-1', origin)).toBe(`${origin}/requests/t-1`);
    expect(resolveNavigateUrl(`${origin}/invoices?x=1`, origin)).toBe(`${origin}/invoices?x=1`);
    expect(resolveNavigateUrl('https://evil.example/phish', origin)).toBe(`${origin}/`);
    expect(resolveNavigateUrl('javascript:alert(1)', origin)).toBe(`${origin}/`);
    expect(resolveNavigateUrl(undefined, origin)).toBe(`${origin}/`);
    expect(parseDeclarativePush('{"web_push":8030,"notification":{"title":"x"}}')).toBeNull(); // no navigate
    expect(parseDeclarativePush('not json')).toBeNull();
    expect(
      parseDeclarativePush('{"web_push":8030,"notification":{"title":"x","navigate":"/","app_badge":"3"}}')
        ?.badge,
    ).toBe(3);
  });

  it('explains push before asking and has no axe violations on Settings', async () => {
    await page.goto(`${server.url}/settings`);
    await page.getByTestId('push-this-device').waitFor();
    expect(await page.getByTestId('push-this-device').textContent()).toContain(en.push_ui_explain);
    expect(await axeViolations(page)).toEqual([]);
  });
});
