import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import {
  newestEvent,
  notificationBacklog,
  webhookBacklog,
  type Backlog,
} from '../../db/repositories/metrics.ts';
import type { Deps } from '../deps.ts';
import type { DomainBus } from '../events/bus.ts';

/**
 * Prometheus metrics of one instance (`GET /metrics`, server/routes/metrics.ts). Requests are
 * counted by route pattern (`/api/tickets/:id`, never the concrete path, so the series stay few);
 * the outbox backlog and the event log are read from the store at scrape time (two indexed counts);
 * sockets are this instance's. With several instances Prometheus scrapes each and sums.
 */
export class Metrics {
  readonly registry = new Registry();
  /** This instance's open live sockets; the live layer sets it when it attaches (server/realtime). */
  liveSockets: () => number = () => 0;
  /** The newest event-log id this instance sent live after its commit. */
  lastLiveEventId = 0;
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route'>;

  constructor(deps: Pick<Deps, 'db' | 'now' | 'redis'>) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'portier_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'portier_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by route pattern.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const sockets: Gauge = new Gauge({
      name: 'portier_live_sockets',
      help: 'Live (Socket.IO) connections open on this instance.',
      registers,
      collect: () => sockets.set(this.liveSockets()),
    });
    const secondsSince = (date: Date | null) =>
      date ? Math.max(0, (deps.now().getTime() - date.getTime()) / 1000) : 0;
    // Both outbox gauges read one query pair per scrape (the registry collects them concurrently).
    let reading: Promise<Record<'notifications' | 'webhooks', Backlog>> | null = null;
    const backlogs = () =>
      (reading ??= Promise.all([notificationBacklog(deps.db), webhookBacklog(deps.db)])
        .then(([notifications, webhooks]) => ({ notifications, webhooks }))
        .finally(() => setImmediate(() => (reading = null))));
    new Gauge({
      name: 'portier_outbox_backlog',
      help: 'Rows waiting to be sent: notifications (mail, push, SMS) and webhook deliveries.',
      labelNames: ['queue'],
      registers,
      async collect() {
        for (const [queue, backlog] of Object.entries(await backlogs())) this.set({ queue }, backlog.waiting);
      },
    });
    new Gauge({
      name: 'portier_outbox_oldest_waiting_seconds',
      help: 'Age of the oldest row still waiting in each outbox (0 when empty).',
      labelNames: ['queue'],
      registers,
      async collect() {
        for (const [queue, backlog] of Object.entries(await backlogs()))
          this.set({ queue }, secondsSince(backlog.oldestCreatedAt));
      },
    });
    new Gauge({
      name: 'portier_event_log_last_id',
      help: 'Newest id in the event log (what a resyncing client reads up to).',
      registers,
      async collect() {
        this.set((await newestEvent(deps.db)).id);
      },
    });
    const lastLive: Gauge = new Gauge({
      name: 'portier_live_last_event_id',
      help:
        'Newest event-log id this instance sent live after committing it; on a single instance, ' +
        'portier_event_log_last_id minus this is the live lag.',
      registers,
      collect: () => lastLive.set(this.lastLiveEventId),
    });
    const redis = deps.redis;
    if (redis) {
      new Gauge({
        name: 'portier_redis_up',
        help: 'Whether this instance reaches Redis (REDIS_URL): 1 up, 0 down.',
        registers,
        async collect() {
          this.set((await redis.status()) === 'up' ? 1 : 0);
        },
      });
    }
  }

  private processMetrics = false;

  /** The text Prometheus reads. Node's process metrics (memory, CPU, event-loop lag) from the first scrape on. */
  async scrape(): Promise<string> {
    if (!this.processMetrics) {
      this.processMetrics = true;
      collectDefaultMetrics({ register: this.registry, prefix: 'portier_' });
    }
    return await this.registry.metrics();
  }

  /** Counts every answer, errors included (outermost middleware; app.onError has run by then). */
  countRequests(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      try {
        await next();
      } finally {
        const route = routeLabel(c);
        const method = c.req.method;
        this.requests.inc({ method, route, status: String(c.res.status) });
        this.duration.observe({ method, route }, (performance.now() - started) / 1000);
      }
    };
  }
}

/**
 * The registered pattern of the handler that answered (after the chain ran, the route index
 * points at it); everything the API does not know is one series.
 */
function routeLabel(c: Parameters<MiddlewareHandler>[0]): string {
  try {
    return routePath(c) || 'unmatched';
  } catch {
    return 'unmatched';
  }
}

const perDeployment = new WeakMap<DomainBus, Metrics>();

/** The deployment's metrics (one per Deps bus, like the presence marks), made on first use. */
export function metricsOf(deps: Pick<Deps, 'bus' | 'db' | 'now' | 'redis'>): Metrics {
  let metrics = perDeployment.get(deps.bus);
  if (!metrics) perDeployment.set(deps.bus, (metrics = new Metrics(deps)));
  return metrics;
}
