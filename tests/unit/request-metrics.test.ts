import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { RequestMetrics } from '../../server/lib/metrics.ts';

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** prom-client's own Counter and Histogram fed the same answers: the exposition to match. */
function reference() {
  const registry = new Registry();
  const counter = new Counter({
    name: 'portier_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const histogram = new Histogram({
    name: 'portier_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by route pattern.',
    labelNames: ['method', 'route'],
    buckets,
    registers: [registry],
  });
  return {
    registry,
    record(method: string, route: string, status: number, seconds: number) {
      counter.inc({ method, route, status: String(status) });
      histogram.observe({ method, route }, seconds);
    },
  };
}

/** The exposition's lines, sorted: series may come in another order, each line must be the same. */
const lines = async (registry: Registry) => (await registry.metrics()).split('\n').filter(Boolean).sort();

describe('request metrics', () => {
  it("expose exactly what prom-client's counter and histogram expose for the same answers", async () => {
    const ours = new Registry();
    const metrics = new RequestMetrics(buckets);
    for (const metric of metrics.metrics()) ours.registerMetric(metric);
    const theirs = reference();
    const answers: [string, string, number, number][] = [
      ['GET', '/api/health', 200, 0.0004],
      ['GET', '/api/health', 200, 0.005],
      ['GET', '/api/health', 503, 0.0051],
      ['GET', '/api/contracts/:id', 200, 0.02],
      ['GET', '/api/contracts/:id', 404, 0.3],
      ['POST', '/api/tickets', 201, 2.5],
      ['POST', '/api/tickets', 201, 11],
      ['GET', 'unmatched', 404, 0],
      ['GET', '/api/odd"route\\', 200, 0.07],
    ];
    for (const answer of answers) {
      metrics.record(...answer);
      theirs.record(...answer);
    }
    expect(await lines(ours)).toEqual(await lines(theirs.registry));
    expect(await ours.metrics()).toContain(
      'portier_http_requests_total{method="GET",route="/api/health",status="200"} 2',
    );
    expect(await ours.metrics()).toContain(
      'portier_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/health"} 2',
    );
  });

  it('start empty, as an unused prom-client metric does', async () => {
    const ours = new Registry();
    for (const metric of new RequestMetrics(buckets).metrics()) ours.registerMetric(metric);
    expect(await lines(ours)).toEqual(await lines(reference().registry));
  });
});
