import { call } from '../../helpers/auth.ts';
import type { Actor, DemoWorld } from './demo-world.ts';
import { fillPath, validBodies, validQueries } from './requests.ts';

/** The answer classes of the matrix. */
export type Outcome = 'ok' | 401 | 403 | 404;

/**
 * 401/403/404 are refusals by authorization (no session, not allowed, not yours). Everything else
 * below 500 means the actor got past every guard: 2xx/3xx, or a 4xx the handler raises *after*
 * its checks (400 validation, 409 conflict, 413/415 body, 422) — the probe sends valid bodies where
 * it can, so these appear only where a valid body would end the session or need a mailed token.
 * A 5xx is never acceptable and is reported as such.
 */
export function outcomeOf(status: number): Outcome | `5xx:${number}` {
  if (status >= 500) return `5xx:${status}`;
  if (status === 401 || status === 403 || status === 404) return status;
  return 'ok';
}

export interface ProbeOptions {
  /** Replaces the filled path (for parameters `fillPath` does not know). */
  path?: string;
  /** Sign in anew for this request: the route ends the session it is called with. */
  freshSession?: boolean;
}

let address = 0;
/** A distinct client address per request, so login and guess throttles never turn a probe into a 429. */
const nextIp = () => `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address++ & 255}`;

export async function probe(
  world: DemoWorld,
  actor: Actor,
  method: string,
  routePath: string,
  options: ProbeOptions = {},
): Promise<Response> {
  await world.restore();
  const key = `${method} ${routePath}`;
  const path = options.path ?? fillPath(routePath, world.ids);
  if (path === null) throw new Error(`${key}: unknown path parameter; give the matrix entry a \`path\``);
  const query = validQueries[key]?.(world.ids) ?? '';
  const cookie =
    actor === 'anonymous' ? null : options.freshSession ? await world.freshToken(actor) : world.tokens[actor];
  const body = validBodies[key]?.(world.ids, actor);
  const withBody = method !== 'GET' && method !== 'HEAD';
  return call(world.app, path + query, {
    method,
    cookie,
    ip: nextIp(),
    ...(withBody ? { json: body ?? {} } : {}),
  });
}
