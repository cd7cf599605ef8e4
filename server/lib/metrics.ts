import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { collectDefaultMetrics, Gauge, Registry, type Metric } from 'prom-client';
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
  private readonly requests = new RequestMetrics(requestDurationBuckets);

  constructor(deps: Pick<Deps, 'db' | 'now' | 'redis'>) {
    const registers = [this.registry];
    for (const metric of this.requests.metrics()) this.registry.registerMetric(metric);
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
        this.requests.record(c.req.method, routeLabel(c), c.res.status, (performance.now() - started) / 1000);
      }
    };
  }
}

const requestDurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** One method and route pattern: its answers by status, and their durations in buckets. */
interface RequestSeries {
  labels: { method: string; route: string };
  statuses: Map<number, number>;
  /** Per bucket (not cumulative), the answers that took at most its bound and more than the one before. */
  buckets: number[];
  sum: number;
  count: number;
}

/**
 * `portier_http_requests_total` and `portier_http_request_duration_seconds`, counted in plain
 * numbers per series on every answer and handed to the registry in prom-client's own shapes at
 * scrape time, so the exposition is prom-client's counter and histogram to the character.
 * prom-client's Counter.inc and Histogram.observe check the label names and build a key string
 * from the labels on every call: with the label lookup, about a tenth of the JavaScript of a small
 * answer (measured with --cpu-prof under load).
 */
export class RequestMetrics {
  private readonly series = new Map<string, RequestSeries>();

  constructor(private readonly bounds: readonly number[]) {}

  record(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      series = {
        labels: { method, route },
        statuses: new Map(),
        buckets: this.bounds.map(() => 0),
        sum: 0,
        count: 0,
      };
      this.series.set(key, series);
    }
    series.statuses.set(status, (series.statuses.get(status) ?? 0) + 1);
    series.sum += seconds;
    series.count += 1;
    // The first bound the duration does not exceed (prom-client's `le`); beyond the last only +Inf.
    for (let index = 0; index < this.bounds.length; index++) {
      if (seconds <= this.bounds[index]!) {
        series.buckets[index]! += 1;
        break;
      }
    }
  }

  /** The two metrics as the registry reads them (its `get()`), in prom-client's value shapes. */
  metrics(): Metric[] {
    const counter = {
      name: 'portier_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status.',
      type: 'counter',
      aggregator: 'sum',
    } as const;
    const histogram = {
      name: 'portier_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by route pattern.',
      type: 'histogram',
      aggregator: 'sum',
    } as const;
    const series = () => [...this.series.values()];
    return [
      {
        ...counter,
        get: () =>
          Promise.resolve({
            ...counter,
            values: series().flatMap(({ labels, statuses }) =>
              [...statuses].map(([status, value]) => ({
                labels: { ...labels, status: String(status) },
                value,
              })),
            ),
          }),
        reset: () => this.series.clear(),
      },
      {
        ...histogram,
        get: () =>
          Promise.resolve({
            ...histogram,
            values: series().flatMap(({ labels, buckets, sum, count }) => {
              let below = 0;
              const bucket = `${histogram.name}_bucket`;
              return [
                ...this.bounds.map((le, index) => ({
                  labels: { le },
                  sharedLabels: labels,
                  value: (below += buckets[index]!),
                  metricName: bucket,
                })),
                { labels: { le: '+Inf' }, sharedLabels: labels, value: count, metricName: bucket },
                { labels: {}, sharedLabels: labels, value: sum, metricName: `${histogram.name}_sum` },
                { labels: {}, sharedLabels: labels, value: count, metricName: `${histogram.name}_count` },
              ];
            }),
          }),
        reset: () => this.series.clear(),
      },
    ] as unknown as Metric[];
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
