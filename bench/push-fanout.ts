// Push fan-out (issue 6: ≥ 1,000/s on this machine, as a ratio to a bare web-push loop).
// Method: 10,000 encrypted pushes (RFC 8291 aes128gcm + VAPID RFC 8292, fresh ECDH per push) to a
// local endpoint in its own process (bench/lib/push-endpoint.ts), 50 in flight, after a warm-up
// of 200. Bare: web-push's generateRequestDetails (exactly what sendNotification encrypts and
// signs) + a plain keep-alive http.request; sendNotification itself only speaks https, which a
// local endpoint cannot offer without a certificate. App: the push channel's deliverPush
// (server/notify/channels/push.ts) per device, i.e. without the outbox worker around it.
import { createECDH, randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import webpush from 'web-push';
import { freePort, startChild } from './lib/processes.ts';
import { speedRatio, type Figure } from './lib/report.ts';

interface Subscription {
  endpoint: string;
  p256dh: string;
  auth: string;
}
type Deliver = (subscription: Subscription, payload: string) => Promise<void>;

const payload = JSON.stringify({
  web_push: 8030,
  notification: { title: 'Wasserabstellung', navigate: '/notices' },
});

async function fanOut(subscriptions: Subscription[], count: number, deliver: Deliver): Promise<number> {
  const inFlight = 50;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const index = next++;
        await deliver(subscriptions[index % subscriptions.length]!, payload);
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export async function runPushFanout(count: number): Promise<Figure[]> {
  const port = await freePort();
  const endpoint = await startChild({
    args: ['--import', 'tsx', 'bench/lib/push-endpoint.ts'],
    env: { PORT: String(port) },
    ready: 'listening',
  });
  try {
    const subscriptions = Array.from({ length: 100 }, (_, i) => {
      const device = createECDH('prime256v1');
      device.generateKeys();
      return {
        endpoint: `http://127.0.0.1:${port}/push/${i}`,
        p256dh: device.getPublicKey().toString('base64url'),
        auth: randomBytes(16).toString('base64url'),
      };
    });
    const vapid = { subject: 'mailto:bench@portier.localhost', ...webpush.generateVAPIDKeys() };
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const bare: Deliver = (subscription, body) => {
      const details = webpush.generateRequestDetails(
        { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        body,
        { vapidDetails: vapid, TTL: 86_400 },
      );
      return new Promise((resolve, reject) => {
        const req = request(
          details.endpoint,
          { method: details.method, headers: details.headers, agent },
          (res) => {
            res.resume();
            res.on('end', () =>
              res.statusCode === 201 ? resolve() : reject(new Error(`push answered ${res.statusCode}`)),
            );
          },
        );
        req.on('error', reject);
        req.end(details.body);
      });
    };
    await fanOut(subscriptions, 200, bare);
    const bareRate = await fanOut(subscriptions, count, bare);
    agent.destroy();

    let appRate: number | null = null;
    let note = `${count} pushes, 50 in flight; app = deliverPush of server/notify/channels/push.ts`;
    try {
      const { deliverPush } = await import('../server/notify/channels/push.ts');
      const { pushDestination, systemResolver } = await import('../server/notify/push-endpoints.ts');
      const options = {
        vapid,
        topic: 'bench',
        urgency: 'normal' as const,
        ttlSeconds: 86_400,
        // The local endpoint is on the loopback, which the send-time address check lets through only here.
        destination: pushDestination(systemResolver, true),
      };
      const app: Deliver = async (subscription, body) => {
        const outcome = await deliverPush(subscription, body, options);
        if (outcome !== 'delivered') throw new Error(`deliverPush: ${outcome}`);
      };
      await fanOut(subscriptions, 200, app);
      appRate = await fanOut(subscriptions, count, app);
    } catch (error) {
      note = `app push channel not available yet: ${error instanceof Error ? error.message : String(error)}`;
    }
    return [
      {
        bench: 'push-fanout',
        name: `encrypted pushes delivered to a local endpoint`,
        value: appRate,
        unit: '/s',
        baseline: bareRate,
        ratio: speedRatio(appRate, bareRate),
        target: '≥ 1000 /s',
        pass: appRate === null ? null : appRate >= 1000,
        note,
      },
    ];
  } finally {
    await endpoint.stop();
  }
}
