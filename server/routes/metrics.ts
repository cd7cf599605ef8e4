import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import ipaddr from 'ipaddr.js';
import type { AppEnv } from '../lib/context.ts';
import { metricsOf } from '../lib/metrics.ts';

/**
 * `GET /metrics` in Prometheus' text format (outside `/api`: no session, no Origin check). Who may
 * read it, as operators expect from a Prometheus target:
 *
 * - with `METRICS_TOKEN` set: a scraper sending `Authorization: Bearer <token>` (Prometheus'
 *   `authorization` / `bearer_token_file`), from anywhere;
 * - without it: only a connection from the machine itself (loopback) that no proxy relayed: a
 *   request carrying `X-Forwarded-For`, `Forwarded` or `X-Real-IP` came from outside through the
 *   reverse proxy, which itself connects from loopback.
 *
 * Anyone else gets 403 (401 for a wrong token). The numbers are not secret per se, but they tell a
 * stranger the load, the backlog and the route table.
 */
function loopbackPeer(c: Context<AppEnv>): boolean {
  if (c.req.header('x-forwarded-for') || c.req.header('forwarded') || c.req.header('x-real-ip')) return false;
  try {
    const address = getConnInfo(c).remote.address;
    return address !== undefined && ipaddr.process(address).range() === 'loopback';
  } catch {
    // No socket (app.request() in tests): not a connection from this machine.
    return false;
  }
}

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const metrics = new Hono<AppEnv>().get('/', async (c) => {
  const deps = c.get('deps');
  const expected = deps.config.metricsToken;
  const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
  if (expected && bearer !== undefined) {
    if (!tokenMatches(bearer, expected)) {
      c.header('WWW-Authenticate', 'Bearer');
      return c.json({ error: { code: 'unauthenticated', message: 'Wrong metrics token.' } }, 401);
    }
  } else if (!loopbackPeer(c)) {
    return c.json(
      {
        error: { code: 'forbidden', message: 'Metrics are for the operator only (see docs/operations.md).' },
      },
      403,
    );
  }
  const collected = metricsOf(deps);
  const text = await collected.scrape();
  c.header('Content-Type', collected.registry.contentType);
  c.header('Cache-Control', 'no-store');
  return c.body(text);
});
