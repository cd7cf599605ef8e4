import type { Deps } from '../../deps.ts';
import type { DomainBus } from '../../events/bus.ts';
import type { ScaleOut } from '../../scale/redis.ts';

/**
 * Who has a ticket open right now (issue 5 "who else is viewing", the Zammad complaint of two
 * agents answering the same ticket). Presence is ephemeral by design (API.md: id 0, never stored):
 * this keeps the last `viewing` per user and ticket in memory, so a workspace opened later still
 * shows who is there. Clients repeat `viewing` every ~20 s; older marks have left.
 *
 * With Redis (several instances) the marks are also written to a hash per ticket
 * (`portier:viewers:<ticketId>`, user → time, expiring `viewerTtlMs` after the last mark), so a
 * workspace opened on one instance lists staff whose sockets sit on another. If Redis cannot be
 * read, the instance answers from its own marks.
 */
export const viewerTtlMs = 45_000;

type Marks = Map<string, Map<string, number>>;
const registries = new WeakMap<DomainBus, Marks>();

/** Starts listening on the deployment's bus (idempotent); returns the marks. */
export function trackViewers(deps: Pick<Deps, 'bus'> & Partial<Pick<Deps, 'redis'>>): Marks {
  let marks = registries.get(deps.bus);
  if (marks) return marks;
  const created: Marks = new Map();
  registries.set(deps.bus, created);
  deps.bus.on('ticket.ephemeral', ({ ticket, type, data }) => {
    if (type !== 'presence' || data.role !== 'staff' || typeof data.userId !== 'string') return;
    let users = created.get(ticket.ticketId);
    if (!users) created.set(ticket.ticketId, (users = new Map<string, number>()));
    const at = typeof data.at === 'string' ? Date.parse(data.at) : Date.now();
    users.set(data.userId, Number.isNaN(at) ? Date.now() : at);
    if (deps.redis) void shareMark(deps.redis, ticket.ticketId, data.userId, users.get(data.userId)!);
  });
  marks = created;
  return marks;
}

const viewersKey = (redis: ScaleOut, ticketId: string) => redis.key(`viewers:${ticketId}`);

async function shareMark(redis: ScaleOut, ticketId: string, userId: string, at: number): Promise<void> {
  if (!redis.client.isReady) return;
  const key = viewersKey(redis, ticketId);
  try {
    await redis.client.multi().hSet(key, userId, String(at)).pExpire(key, viewerTtlMs).exec();
  } catch {
    // Presence is best effort: the next `viewing` (every ~20 s) writes it again.
  }
}

/** Marks from every instance (Redis), or undefined when Redis is off or cannot be read. */
async function sharedMarks(deps: Partial<Pick<Deps, 'redis'>>, ticketId: string) {
  const redis = deps.redis;
  if (!redis?.client.isReady) return undefined;
  try {
    const stored = await redis.client.hGetAll(viewersKey(redis, ticketId));
    return new Map(Object.entries(stored).map(([userId, at]) => [userId, Number(at)]));
  } catch {
    return undefined;
  }
}

/** Staff who sent `viewing` for the ticket within the last 45 s, newest first. */
export async function currentViewers(
  deps: Pick<Deps, 'bus' | 'now'> & Partial<Pick<Deps, 'redis'>>,
  ticketId: string,
) {
  const local = trackViewers(deps).get(ticketId);
  const users = (await sharedMarks(deps, ticketId)) ?? local;
  if (!users) return [];
  const now = deps.now().getTime();
  for (const [userId, at] of users) if (!Number.isFinite(at) || now - at > viewerTtlMs) users.delete(userId);
  return [...users].sort((a, b) => b[1] - a[1]).map(([userId, at]) => ({ userId, at: new Date(at) }));
}
