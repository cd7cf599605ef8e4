import type { Deps } from '../../deps.ts';
import type { DomainBus } from '../../events/bus.ts';

/**
 * Who has a ticket open right now (issue 5 "who else is viewing", the Zammad complaint of two
 * agents answering the same ticket). Presence is ephemeral by design (API.md: id 0, never stored):
 * this keeps the last `viewing` per user and ticket in memory, so a workspace opened later still
 * shows who is there. Clients repeat `viewing` every ~20 s; older marks have left.
 */
export const viewerTtlMs = 45_000;

type Marks = Map<string, Map<string, number>>;
const registries = new WeakMap<DomainBus, Marks>();

/** Starts listening on the deployment's bus (idempotent); returns the marks. */
export function trackViewers(deps: Pick<Deps, 'bus'>): Marks {
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
  });
  marks = created;
  return marks;
}

/** Staff who sent `viewing` for the ticket within the last 45 s, newest first. */
export function currentViewers(deps: Pick<Deps, 'bus' | 'now'>, ticketId: string) {
  const users = trackViewers(deps).get(ticketId);
  if (!users) return [];
  const now = deps.now().getTime();
  for (const [userId, at] of users) if (now - at > viewerTtlMs) users.delete(userId);
  return [...users].sort((a, b) => b[1] - a[1]).map(([userId, at]) => ({ userId, at: new Date(at) }));
}
