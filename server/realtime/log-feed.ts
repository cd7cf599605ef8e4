import { latestEventId, listEventsAfterId } from '../../db/repositories/events.ts';
import { listTicketPlacements } from '../../db/repositories/tickets.ts';
import type { Deps } from '../deps.ts';
import type { DomainEvents, TicketPlacement } from '../events/bus.ts';
import { DrainLoop } from '../lib/drain-loop.ts';
import { parseRoom } from './rooms.ts';

type Committed = DomainEvents['log.committed'];

export interface LogFeedOptions {
  /** Reads the log this often whatever else happens: catches up while Redis is away. */
  pollMs: number;
  /** Rows per read. */
  pageSize: number;
}

export const defaultLogFeedOptions: LogFeedOptions = { pollMs: 1_000, pageSize: 500 };

/**
 * The committed event log, handed to this instance's sockets in id order (API.md "Live": ids
 * increase strictly per server), when several instances share one store.
 *
 * Why not the adapter: broadcast through Redis, a socket would get its own instance's events
 * directly and another instance's a moment later through the stream, so an id could arrive after a
 * larger one. A client takes its resync cursor from the largest id it has seen and drops smaller
 * ones as duplicates, so that event would be lost until it reconnects.
 *
 * So each instance reads the log itself and sends to its own sockets only. Ids become visible in
 * increasing order (db/repositories/events.ts `appendEvent`), so a read after the last id sent
 * never skips one. What wakes the reader:
 * - a commit on this instance: sent at once without a read when its first id follows the last one
 *   sent (nothing can lie between), read otherwise;
 * - another instance's commit: its `log.appended` notice through the adapter (Redis Pub/Sub);
 * - a poll every `pollMs`: Redis down or a notice lost, events still arrive, a second late.
 *
 * Access changes travel the same way: a change of who may see what is a row of the log
 * (`rooms.access`), so each instance moves its own sockets when it reads that row, before the rows
 * after it (realtime/index.ts `send`).
 */
export class LogFeed {
  /** The last id handed on; null until the log's end is known. */
  private sent: number | null = null;
  private stopped = false;
  private readonly reader: DrainLoop;

  constructor(
    private readonly deps: Pick<Deps, 'db' | 'config'>,
    private readonly deliver: (committed: Committed) => void,
    private readonly options: LogFeedOptions = defaultLogFeedOptions,
  ) {
    this.reader = new DrainLoop(
      'live log feed',
      async () => await this.readAll(),
      () => () => undefined,
      options.pollMs,
      deps.config.logLevel === 'silent',
    );
  }

  /** Starts at the log's current end (clients catch up on what came before with `resync`). */
  async start(): Promise<void> {
    while (this.sent === null && !this.stopped) {
      try {
        this.sent = await latestEventId(this.deps.db);
      } catch {
        // The store is away at start: the reader's own reports say so once it runs.
        await new Promise((resolve) => setTimeout(resolve, this.options.pollMs));
      }
    }
    if (!this.stopped) this.reader.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reader.stop();
  }

  /** This instance committed these rows (in id order, with their tickets' placements). */
  committed(committed: Committed): void {
    const first = committed.events[0];
    if (!first || this.sent === null || this.stopped) return;
    if (first.id === this.sent + 1 && !this.reader.draining) this.handOn(committed);
    else this.reader.wake();
  }

  /** Some instance committed up to `lastId`. */
  appended(lastId: number): void {
    if (this.sent !== null && lastId > this.sent && !this.stopped) this.reader.wake();
  }

  /** Everything after the last id sent, a page at a time. */
  private async readAll(): Promise<void> {
    for (;;) {
      const events = await listEventsAfterId(this.deps.db, this.sent!, this.options.pageSize);
      if (this.stopped || events.length === 0) return;
      this.handOn({ events, tickets: await this.placementsOf(events) });
      if (events.length < this.options.pageSize) return;
    }
  }

  private handOn(committed: Committed): void {
    const events = committed.events.filter((event) => event.id > this.sent!);
    if (events.length === 0) return;
    this.sent = events.at(-1)!.id;
    this.deliver({ ...committed, events });
  }

  /** Where the tickets of these rows lie, as the projector tells it for a local commit. */
  private async placementsOf(events: Committed['events']): Promise<TicketPlacement[]> {
    const ticketIds = new Set<string>();
    for (const event of events) {
      const room = parseRoom(event.room);
      if (room?.kind === 'ticket' || room?.kind === 'staff-ticket') ticketIds.add(room.id);
    }
    const places = await listTicketPlacements(this.deps.db, [...ticketIds]);
    return places.map(({ id, ...place }) => ({ ticketId: id, ...place }));
  }
}
