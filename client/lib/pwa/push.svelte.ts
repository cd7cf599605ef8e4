import { api, ApiError } from '../api.ts';

/** `GET /api/push/public-key` (server side of issue 6 item 3; its type will live in shared/api/push.ts). */
interface PublicKeyResponse {
  publicKey: string;
}

export type PushSupport = 'supported' | 'unsupported' | 'denied';

/** VAPID public key (base64url, RFC 8292) → the bytes PushManager.subscribe wants. */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Push on this device (issue 6 item 3): permission is asked only from the button (a user gesture, as
 * browsers require and as the explanation before it promises), then the subscription goes to the server.
 */
class PushDeviceState {
  support = $state<PushSupport>('unsupported');
  /** This browser's subscription endpoint, when it has one. */
  endpoint = $state<string | null>(null);
  busy = $state(false);

  async refresh(): Promise<void> {
    if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
      this.support = 'unsupported';
      return;
    }
    this.support = Notification.permission === 'denied' ? 'denied' : 'supported';
    const registration = await navigator.serviceWorker.getRegistration();
    const subscription = await registration?.pushManager.getSubscription();
    this.endpoint = subscription?.endpoint ?? null;
  }

  /** Must run inside the click handler: Notification.requestPermission needs the user's gesture. */
  async enable(): Promise<void> {
    this.busy = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        this.support = permission === 'denied' ? 'denied' : 'supported';
        throw new PushPermissionRefused();
      }
      const registration = await workerRegistration();
      const { publicKey } = await api.get<PublicKeyResponse>('/push/public-key');
      const subscription =
        (await registration.pushManager.getSubscription()) ??
        (await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey(publicKey),
        }));
      const { endpoint, keys } = subscription.toJSON();
      await api.post('/push/subscriptions', { endpoint, keys: { p256dh: keys?.p256dh, auth: keys?.auth } });
      this.endpoint = subscription.endpoint;
    } finally {
      this.busy = false;
    }
  }

  async disable(): Promise<void> {
    this.busy = true;
    try {
      const registration = await navigator.serviceWorker.getRegistration();
      const subscription = await registration?.pushManager.getSubscription();
      if (subscription) {
        await forgetOnServer(subscription.endpoint);
        await subscription.unsubscribe();
      }
      this.endpoint = null;
    } finally {
      this.busy = false;
    }
  }

  async sendTest(): Promise<void> {
    await api.post('/push/test');
  }
}

export class PushPermissionRefused extends Error {}

/**
 * The worker that shows pushes (/sw.js, scope "/"). The tenant app registers it at start; the staff
 * console has no offline mode and registers it only when a staff member turns push on here.
 */
async function workerRegistration(): Promise<ServiceWorkerRegistration> {
  if (!(await navigator.serviceWorker.getRegistration('/')))
    await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  return navigator.serviceWorker.ready;
}

/**
 * `DELETE /api/push/subscriptions` with `{ endpoint }`: only this device. `api.delete` sends no body,
 * hence the direct call (a 404 means the server had already dropped it: fine).
 */
async function forgetOnServer(endpoint: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/api/push/subscriptions', {
      method: 'DELETE',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ endpoint }),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'fetch failed');
  }
  if (!response.ok && response.status !== 404) {
    throw new ApiError(response.status, `http_${response.status}`, response.statusText);
  }
}

export const pushDevice = new PushDeviceState();
